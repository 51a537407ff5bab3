"""Open connections kept for reuse by one process: taken for a request, then given back.

A service keeps its SQLite connections open between requests: opening one costs the spec's
PRAGMAs, and closing the last connection to a WAL database checkpoints it. Keeping them per
thread (`threading.local`) breaks under gevent, where every request is its own greenlet and
so got a fresh connection; a list of idle connections works the same for threads and
greenlets and never holds more connections than requests ran at once.
"""

import os
import sqlite3
from collections.abc import Callable


class IdleConnections:
    def __init__(self, open_connection: Callable[[], sqlite3.Connection]):
        self.open_connection = open_connection
        self.pid = os.getpid()
        self.idle: list[sqlite3.Connection] = []

    def take(self) -> sqlite3.Connection:
        if self.pid != os.getpid():  # a forked worker never shares its parent's connections
            self.pid, self.idle = os.getpid(), []
        try:
            return self.idle.pop()  # atomic: no lock needed between threads
        except IndexError:
            return self.open_connection()

    def give_back(self, conn: sqlite3.Connection) -> None:
        """Never carry a transaction into the next use, nor a connection the server dropped."""
        if getattr(conn, "closed", False):
            return
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if self.pid == os.getpid():
            self.idle.append(conn)
