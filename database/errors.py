"""Errors raised by the database layer; the command line turns them into one-line messages."""


class OperationError(Exception):
    """An operator task (init, migrate, backup, restore, ...) could not be done; nothing was changed."""
