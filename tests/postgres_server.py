"""A throwaway PostgreSQL cluster in a temporary directory, for the tests and the benchmarks.

It uses the server binaries of Debian's `postgresql` package (`.ci/run` installs it), listens on
a Unix socket inside its own directory only (no TCP port to collide with), trusts local
connections, and is deleted when it stops. A second one can be a streaming replica of the first. PostgreSQL refuses to run as root, so under root
the cluster belongs to the `postgres` account the package creates.
"""

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from database.server_tasks import server_tool


def server_binaries() -> Path:
    """The newest installed server's bin directory (`initdb` is not on Debian's PATH)."""
    return Path(server_tool("initdb")).parent


class ThrowawayCluster:
    def __init__(self):
        self.bin = server_binaries()
        self.root = Path(tempfile.mkdtemp(prefix="magnetiq-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    def run(self, *command: str) -> None:
        subprocess.run([*self.as_owner, *command], check=True, capture_output=True)

    def start(self, replica_of: "ThrowawayCluster | None" = None) -> "ThrowawayCluster":
        """A new cluster; with `replica_of`, a hot standby streaming from that one (its data
        copied by `pg_basebackup`), in a directory and on a socket of its own."""
        if replica_of is None:
            self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                     "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")  # fmt: skip
        else:
            self.run(str(self.bin / "pg_basebackup"), "-D", str(self.data), "--write-recovery-conf",
                     "--wal-method=stream", "-d", f"host={replica_of.socket_dir} user=postgres")  # fmt: skip
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}' "
            "-c fsync=on -c max_connections=200 -c shared_buffers=128MB"
        )
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-w",
                 "-l", str(self.root / "server.log"), "start")  # fmt: skip
        return self

    def stop(self) -> None:
        try:
            self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket_dir}"

    def drop_database(self, url: str) -> None:
        import psycopg

        name = url.split("/")[3].split("?")[0]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def new_database(self) -> str:
        """A fresh, empty database on this cluster; its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
