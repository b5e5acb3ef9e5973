"""Passages in, cited answers out: the answer engine, the terminal, and Slack."""
