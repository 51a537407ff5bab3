"""The capture service under a real gunicorn with several workers, on SQLite and PostgreSQL."""

import http.client
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import database
from database.backends import is_postgres

from .conftest import count_rows
from .servers import gunicorn, request

PERSON = {"first_name": "Grace", "last_name": "Hopper", "company": "Navy"}


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


def registrations(db, slug: str) -> int:
    conn = database.connect(db)
    try:
        return conn.execute(
            "SELECT count(*) FROM webinar_registrations r JOIN webinars w ON w.id = r.webinar_id "
            "WHERE w.slug = ?",
            (slug,),
        ).fetchone()[0]
    finally:
        conn.close()


def test_capacity_holds_under_concurrent_registration(demo_db_path, tmp_path):
    database.connect(demo_db_path).execute(
        "UPDATE webinars SET max_participants = 20 WHERE slug = 'energy-monitoring-101'"
    )
    with gunicorn(demo_db_path, tmp_path / "media", workers=4) as server:
        url = f"{server.url}/api/webinars/energy-monitoring-101/registrations"

        def register(n: int) -> int:
            """A definitive answer: "busy, retry" (503, when the database stayed locked past the
            busy timeout on a loaded machine) is retried after its Retry-After, as a person
            would; the claim under test is that no seat is given twice, whatever the timing."""
            for _ in range(5):
                status, _, headers = request(url, {**PERSON, "email": f"grace{n}@example.com"})
                if status != 503:
                    return status
                time.sleep(int(headers["Retry-After"]))
            return status

        with ThreadPoolExecutor(max_workers=32) as pool:
            statuses = list(pool.map(register, range(100)))
    assert statuses.count(201) == 20 and statuses.count(409) == 80, sorted(set(statuses))
    assert registrations(demo_db_path, "energy-monitoring-101") == 20


def test_rate_limit_holds_across_all_workers(demo_db_path, tmp_path):
    with gunicorn(
        demo_db_path, tmp_path / "media", workers=4, MAGNETIQ_RATE_LIMIT="5/minute"
    ) as server:
        url = f"{server.url}/api/webinars/energy-monitoring-101/registrations"
        answers = [request(url, {**PERSON, "email": f"g{n}@example.com"}) for n in range(12)]
    statuses = [status for status, _, _ in answers]
    assert statuses == [201] * 5 + [429] * 7
    assert all(int(headers["Retry-After"]) > 0 for status, _, headers in answers if status == 429)
    assert count_rows(demo_db_path, "webinar_registrations") == 3 + 5


def test_every_acknowledged_lead_survives_sigkill(demo_db_path, tmp_path):
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()
    booking = {**PERSON, "email": "grace@example.com", "booking_type": "consultation",
               "preferred_date": "2031-01-10T10:00", "timezone": "Europe/Berlin"}  # fmt: skip

    with gunicorn(demo_db_path, tmp_path / "media", workers=2) as server:

        def client(worker: int) -> None:
            n = 0
            while not stop.is_set():
                subject = f"w{worker}-{n}"
                try:
                    status, _, _ = request(
                        f"{server.url}/api/bookings", {**booking, "subject": subject}, timeout=5
                    )
                except (OSError, http.client.HTTPException):
                    continue  # connection reset or answer cut by the kill: not acknowledged
                if status == 201:
                    with lock:
                        acknowledged.append(subject)
                n += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 60 and time.monotonic() < deadline:
            time.sleep(0.01)
        server.kill()
        stop.set()
        for thread in threads:
            thread.join()

    with gunicorn(demo_db_path, tmp_path / "media") as restarted:
        assert request(f"{restarted.url}/api/health")[0] == 200
    conn = database.connect(demo_db_path)
    if not is_postgres(conn):
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in conn.execute("SELECT subject FROM bookings")}
    assert set(acknowledged) <= stored and len(acknowledged) >= 60


def test_the_service_keeps_answering_while_100_clients_dawdle(demo_db_path, tmp_path):
    """Idle connections, headers trickled a line at a time and bodies a byte at a time, 100 in
    all, against two workers: others are still answered at once (raw sockets, real gunicorn)."""
    with gunicorn(demo_db_path, tmp_path / "media", workers=2) as server:
        stop = threading.Event()
        sockets = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(100)]
        trickle = (b"POST /api/bookings HTTP/1.1\r\nHost: localhost\r\n", b"Content-Type: application/json\r\n",
                   b"Content-Length: 5000\r\n\r\n")  # fmt: skip

        def dawdle() -> None:
            step = 0
            while not stop.wait(0.5):
                for number, sock in enumerate(sockets):
                    if number % 3 == 0:
                        continue  # idle: connected, nothing sent
                    piece = trickle[step] if step < len(trickle) else b"{"
                    if number % 3 == 1 and step >= len(trickle):
                        continue  # headers only, never finished
                    try:
                        sock.sendall(piece)
                    except OSError:
                        pass
                step += 1

        sender = threading.Thread(target=dawdle)
        sender.start()
        try:
            time.sleep(2)
            for _ in range(20):
                started = time.monotonic()
                assert request(f"{server.url}/api/health", timeout=5)[0] == 200
                assert time.monotonic() - started < 1
                time.sleep(0.2)
            status, _, _ = request(f"{server.url}/api/bookings", {**PERSON, "email": "quick@example.com",
                                   "booking_type": "demo", "preferred_date": "2031-01-10T10:00",
                                   "timezone": "Europe/Berlin"})  # fmt: skip
            assert status == 201
        finally:
            stop.set()
            sender.join()
            for sock in sockets:
                sock.close()
