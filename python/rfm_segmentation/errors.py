"""Errors the CLI reports as one clear line instead of a traceback."""


class UserError(Exception):
    """A mistake the user can fix: a bad option, a missing file, a bad value.

    The message must name the file, row or setting at fault.
    """


class CheckFailed(Exception):
    """Data checks ran and at least one failed (the report was already printed)."""
