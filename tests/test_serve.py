"""`serve`: the local preview, run as a user would run it, on ports other than the defaults."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

import database

from .conftest import REPO, TEST_PASSWORD
from .servers import Lines, free_port, request


def three_free_ports() -> int:
    """A port whose two successors are free too: `serve` puts the capture service on PORT+1
    and its mail catcher on PORT+2."""
    while True:
        port = free_port()
        try:
            with socket.socket() as one, socket.socket() as two:
                one.bind(("127.0.0.1", port + 1))
                two.bind(("127.0.0.1", port + 2))
        except OSError:
            continue
        return port


@pytest.fixture(params=["sqlite", "postgresql"])
def preview_target(request, tmp_path):
    """A database `serve --demo` fills: a file, or an empty database on a server."""
    if request.param == "sqlite":
        return tmp_path / "preview.db"
    return request.getfixturevalue("postgres_url")


def test_serve_on_other_ports_builds_forms_that_post_to_its_own_capture(tmp_path, preview_target):
    port = three_free_ports()
    db = preview_target
    env = {**os.environ, "MAGNETIQ_ADMIN_PASSWORD": TEST_PASSWORD, "PYTHONUNBUFFERED": "1",
           "MAGNETIQ_MEDIA": str(tmp_path / "media")}  # fmt: skip
    env.pop("MAGNETIQ_SECRET_KEY", None)
    command = [sys.executable, str(REPO / "build.py"), "--db", str(db), "serve", "--demo",
               "--port", str(port), "--output", str(tmp_path / "output")]  # fmt: skip
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, text=True)
    try:
        out = Lines(process)
        out.wait_for("Ctrl-C stops", seconds=60)
        site, capture = f"http://localhost:{port}", f"http://localhost:{port + 1}"
        assert any(f"{capture}/admin/" in line for line in out.lines), out.lines
        page = urllib.request.urlopen(f"{site}/en/book/", timeout=10).read().decode()
        assert f'action="{capture}/api/bookings"' in page
        assert "localhost:8001" not in page
        status, body, _ = request(f"{capture}/api/bookings", {
            "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
            "booking_type": "demo", "preferred_date": "2031-06-01T10:00", "timezone": "Europe/Berlin",
        }, headers={"Origin": site})  # fmt: skip
        assert status == 201 and body["redirect_to"].startswith(f"{site}/en/thank-you/")
        caught = tmp_path / "caught-mail" / "new"  # the worker sends to serve's own catcher
        deadline = time.monotonic() + 20
        while not list(caught.glob("*")) and time.monotonic() < deadline:
            time.sleep(0.2)
        (mail,) = [f.read_text() for f in caught.glob("*") if "ada@example.com" in f.read_text()]
        assert "Subject: We received your request" in mail
        assert urllib.request.urlopen(f"{capture}/admin/login", timeout=10).status == 200
    finally:
        process.terminate()
        process.wait(timeout=15)
        process.stdout.close()
    conn = database.connect(db)
    stored = dict(map(tuple, conn.execute("SELECT key, value FROM system_settings")))
    conn.close()
    assert stored["capture_url"] == "http://localhost:8001"  # the preview did not rewrite it
    assert stored["site_url"] == "http://localhost:8000"
