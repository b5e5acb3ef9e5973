"""The base of every error newsbot reports to a user as one line (front ends catch this one class)."""


class NewsbotError(Exception):
    """Something newsbot cannot do, with a message fit to show a user."""
