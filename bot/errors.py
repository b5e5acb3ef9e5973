"""The errors newsbot reports as one line; every one is a NewsbotError, so a front end catches one class."""

from retrieval.errors import NewsbotError

__all__ = ["BackendError", "NewsbotError", "SettingsError"]


class SettingsError(NewsbotError, ValueError):
    """A setting has a value newsbot cannot use; the message names it."""


class BackendError(NewsbotError):
    """The language model failed; the message is a short sentence fit to show a user."""
