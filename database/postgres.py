"""PostgreSQL behind the same small interface the code uses on SQLite (psycopg 3).

Magnetiq's SQL is written once, in the subset both databases run (see docs/postgresql.md), and
talks to a connection the way Python's sqlite3 does: `conn.execute(sql, params)` with `?` or
`:name` placeholders, rows read by position or by column name, explicit BEGIN/COMMIT. This
module is the whole difference on the PostgreSQL side, so no query needs two spellings:

- placeholders become psycopg's `%s` / `%(name)s` (once per statement text, cached);
- values come back as SQLite gives them: times as UTC text in the stored format, dates as
  'YYYY-MM-DD', jsonb as its text, booleans as 0/1, integral numerics as int;
- LIKE is sent as ILIKE: SQLite's LIKE ignores the case of ASCII letters, and so does ILIKE
  under the C collation the schema gives every text column;
- Python ints are sent untyped, so `1` fills a boolean column as it does in SQLite;
- errors are raised as the DB-API classes of Python's sqlite3 (IntegrityError, OperationalError,
  DatabaseError), chained to psycopg's, so one `except sqlite3.Error` serves both backends;
  a lost connection, a deadlock or a serialisation failure reads "database unavailable";
- `BEGIN IMMEDIATE` (SQLite's "take the write lock now") is a plain BEGIN: PostgreSQL locks
  rows, and the few writes that must serialise lock the row they count (`for_update`);
  a plain `BEGIN` is a REPEATABLE READ snapshot, which is what a SQLite read transaction is.
"""

import re
import sqlite3
from contextlib import contextmanager
from functools import lru_cache

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus

from .errors import OperationError


class Row(tuple):
    """A result row readable as `row[0]`, `row["name"]`, `dict(row)`, like sqlite3.Row."""

    __slots__ = ()
    columns: dict[str, int] = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self.columns[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.columns)


@lru_cache(maxsize=512)
def row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "columns": {n: i for i, n in enumerate(names)}})


def row_factory(cursor):
    return row_class(tuple(column.name for column in cursor.description or ()))


class TimestampAsText(Loader):
    """'2026-12-01 10:00:00+00' -> '2026-12-01 10:00:00' (the session runs in UTC)."""

    def load(self, data) -> str:
        text = bytes(data).decode()
        stamp, _, _zone = text.partition("+")
        if "." in stamp:  # milliseconds, always three digits as SQLite's %f writes them
            whole, fraction = stamp.split(".")
            return f"{whole}.{fraction[:3]:0<3}"
        return stamp


class DateAsText(Loader):
    def load(self, data) -> str:
        return bytes(data).decode()


class JsonAsText(Loader):
    def load(self, data) -> str:
        return bytes(data).decode()


class BooleanAsInteger(Loader):
    def load(self, data) -> int:
        return 1 if bytes(data) == b"t" else 0


class NumericAsNumber(Loader):
    """sum() and avg() of integers are numeric in PostgreSQL; SQLite gives int or float."""

    def load(self, data):
        text = bytes(data).decode()
        return float(text) if "." in text or "e" in text.lower() else int(text)


class IntegerUntyped(Dumper):
    """Let the server give the parameter its column's type, as SQLite's type affinity does."""

    oid = 0

    def dump(self, obj) -> bytes:
        return str(int(obj)).encode()


def _adapt(conn: psycopg.Connection) -> None:
    adapters = conn.adapters
    adapters.register_loader("timestamptz", TimestampAsText)
    adapters.register_loader("date", DateAsText)
    adapters.register_loader("jsonb", JsonAsText)
    adapters.register_loader("json", JsonAsText)
    adapters.register_loader("bool", BooleanAsInteger)
    adapters.register_loader("numeric", NumericAsNumber)
    adapters.register_dumper(int, IntegerUntyped)


# '...' literals, "..." identifiers and -- comments pass through; ?, :name and % are rewritten,
# LIKE made ILIKE, and SQLite's index hints (INDEXED BY) dropped: PostgreSQL's planner takes none.
_TOKENS = re.compile(
    r"'(?:[^']|'')*'|\"[^\"]*\"|--[^\n]*|::|\?|:[A-Za-z_]\w*|%|\bINDEXED BY \w+|\bLIKE\b"
)


@lru_cache(maxsize=1024)
def pyformat(sql: str, with_params: bool = True) -> str:
    """psycopg's spelling of `sql`; without parameters psycopg sends `%` as it is."""

    def replace(match: re.Match) -> str:
        token = match.group()
        if token == "?":
            return "%s"
        if token == "%":
            return "%%" if with_params else "%"
        if token.startswith(":") and token != "::":
            return f"%({token[1:]})s"
        if token[0] in "'\"-":  # a literal, an identifier or a comment: only % is psycopg's
            return token.replace("%", "%%") if with_params else token
        if token.startswith("INDEXED BY"):
            return ""
        if token == "LIKE":
            return "ILIKE"
        return token

    return _TOKENS.sub(replace, sql)


TRANSACTION_STARTS = {
    "BEGIN IMMEDIATE": "BEGIN",
    "BEGIN EXCLUSIVE": "BEGIN",
    "BEGIN": "BEGIN ISOLATION LEVEL REPEATABLE READ",
    "BEGIN DEFERRED": "BEGIN ISOLATION LEVEL REPEATABLE READ",
}


@contextmanager
def sqlite_errors():
    """psycopg's exceptions as the sqlite3 classes the rest of the code catches."""
    try:
        yield
    except psycopg.errors.IntegrityError as error:
        raise sqlite3.IntegrityError(str(error)) from error
    except (psycopg.OperationalError, psycopg.errors.ReadOnlySqlTransaction) as error:
        # also deadlocks, serialisation failures, lock timeouts and a full disk
        raise sqlite3.OperationalError(f"database unavailable: {error}") from error
    except psycopg.Error as error:
        raise sqlite3.DatabaseError(str(error)) from error


class Connection:
    """A psycopg connection in autocommit mode that answers like a sqlite3.Connection."""

    backend = "postgresql"

    def __init__(self, raw: psycopg.Connection):
        self.raw = raw

    def execute(self, sql: str, params=()) -> psycopg.Cursor:
        statement = sql.strip().upper()
        with sqlite_errors():
            if statement in TRANSACTION_STARTS:
                return self.raw.execute(TRANSACTION_STARTS[statement])
            if not params:
                return self.raw.execute(pyformat(sql, with_params=False))
            return self.raw.execute(pyformat(sql), params)

    def executemany(self, sql: str, rows) -> psycopg.Cursor:
        cursor = self.raw.cursor()
        with sqlite_errors():
            cursor.executemany(pyformat(sql), list(rows))
        return cursor

    def executescript(self, script: str) -> None:
        """Several statements with no parameters (the migrations), sent as one."""
        with sqlite_errors():
            self.raw.execute(script.encode())

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status in (
            TransactionStatus.INTRANS, TransactionStatus.INERROR, TransactionStatus.ACTIVE
        )  # fmt: skip

    def commit(self) -> None:
        """Nothing to do: as in sqlite3's autocommit mode, a statement outside BEGIN commits."""

    @property
    def closed(self) -> bool:
        """Closed, or broken (the server went away): not to be used again."""
        return self.raw.closed or self.raw.broken

    def close(self) -> None:
        self.raw.close()


class ServerUnavailable(OperationError, sqlite3.OperationalError):
    """No connection: a one-line error for a command, a 503 with Retry-After for a service."""


class ClosedWhenDropped(psycopg.Connection):
    """Closed when dropped, as a sqlite3 connection is (psycopg would warn instead)."""

    def __del__(self) -> None:
        if not getattr(self, "closed", True):
            self.close()


def connect(url: str, busy_timeout_ms: int) -> Connection:
    """Open `url` in autocommit mode, in UTC; use `database.transaction()` to write.

    A statement waits at most `busy_timeout_ms` for a lock, as SQLite waits for a busy database.
    """
    options = f"-c TimeZone=UTC -c lock_timeout={int(busy_timeout_ms)}"
    try:
        raw = ClosedWhenDropped.connect(
            url, autocommit=True, options=options, row_factory=row_factory
        )
    except psycopg.Error as error:  # the message never repeats the URL: it may hold a password
        raise ServerUnavailable(f"database unavailable: cannot open it: {error}") from error
    _adapt(raw)
    return Connection(raw)
