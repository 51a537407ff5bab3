"""Real servers for end-to-end tests: gunicorn running the capture service, a static file server."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(url: str, body: dict | None = None, headers: dict | None = None, timeout: float = 10):
    """(status, parsed JSON or None, headers) without raising on HTTP errors."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            raw = answer.read()
            return (
                answer.status,
                json.loads(raw)
                if raw and answer.headers.get_content_type() == "application/json"
                else None,
                answer.headers,
            )
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, json.loads(raw) if raw.startswith(b"{") else None, error.headers


CAPTURE = ("capture:create_app()", "/api/health")  # (what gunicorn loads, a page that answers 200)
STUDIO = ("studio:create_app()", "/admin/login")


class Gunicorn:
    def __init__(self, db: Path, media: Path, workers: int = 2, port: int | None = None,
                 app: tuple[str, str] = CAPTURE, **environment: str):  # fmt: skip
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "MAGNETIQ_DB": str(db), "MAGNETIQ_MEDIA": str(media),
                    "MAGNETIQ_SECRET_KEY": "gunicorn-test-secret-" + "x" * 16, "MAGNETIQ_ENV": "production",
                    "MAGNETIQ_RATE_LIMIT": "100000/minute", **environment}  # fmt: skip
        self.workers = workers
        self.app, self.ready = app
        self.process: subprocess.Popen | None = None

    def start(self) -> "Gunicorn":
        command = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_config",
                   "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
                   self.app]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=REPO, env=self.env, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited: {self.process.stderr.read().decode()[-2000:]}"
                )
            try:
                if request(f"{self.url}{self.ready}", timeout=1)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not become healthy in 30 s")

    def kill(self) -> None:
        """SIGKILL to the whole process group: master and workers die mid-request."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process and self.process.stderr:
            self.process.stderr.close()


@contextmanager
def gunicorn(db: Path, media: Path, workers: int = 2, port: int | None = None,
             app: tuple[str, str] = CAPTURE, **environment: str):  # fmt: skip
    server = Gunicorn(db, media, workers, port, app, **environment).start()
    try:
        yield server
    finally:
        server.stop()


def start_worker(db: Path, output: Path, *args: str, **environment: str) -> subprocess.Popen:
    """`magnetiq worker` as its own process (the build runner and the mail worker)."""
    env = {**os.environ, "MAGNETIQ_DB": str(db), "MAGNETIQ_OUTPUT": str(output),
           "MAGNETIQ_SECRET_KEY": "worker-test-secret-" + "x" * 16, **environment}  # fmt: skip
    return subprocess.Popen([sys.executable, "build.py", "worker", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip


@contextmanager
def worker(db: Path, output: Path, **environment: str):
    """A running worker that looks at its queues often, stopped (and its output read) after."""
    process = start_worker(db, output, "--interval", "0.2", **environment)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


def wait_for_file(path: Path, seconds: float = 60, contains: str = "") -> str:
    """The file's text once it exists (and holds `contains`): what a runner builds arrives."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and contains in (text := path.read_text()):
            return text
        time.sleep(0.1)
    raise AssertionError(f"{path} did not appear{' with ' + repr(contains) if contains else ''}")


class Lines:
    """A child process's stdout read line by line in the background."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self.read, args=(process.stdout,), daemon=True)
        self.thread.start()

    def read(self, stream) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while not any(text in line for line in self.lines):
            assert time.monotonic() < deadline, f"no {text!r} in {self.lines}"
            time.sleep(0.05)

    def count(self, text: str) -> int:
        return sum(line.startswith(text) for line in self.lines)
