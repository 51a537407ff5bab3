"""Magnetiq's database: the schema and its migrations, connections, and operator tasks."""

from .connection import DEFAULT_DB_PATH, connect, database_path, transaction
from .errors import OperationError
from .migrations import SCHEMA_VERSION, migrate, schema_version

__all__ = [
    "DEFAULT_DB_PATH",
    "SCHEMA_VERSION",
    "OperationError",
    "connect",
    "database_path",
    "migrate",
    "schema_version",
    "transaction",
]
