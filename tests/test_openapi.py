"""The API document describes exactly what the service does: checked by schemathesis, a
third-party fuzzer, against the real service under gunicorn, and by a few direct checks."""

import re
import subprocess
import sys

import pytest

from .conftest import REPO
from .servers import gunicorn


@pytest.fixture
def demo_db_path(demo_site):
    """Every test here runs on SQLite and on PostgreSQL."""
    return demo_site


CONFIG = REPO / "tests" / "schemathesis.toml"
FORM_OPERATIONS = ("/api/webinars/{slug}/registrations", "/api/whitepapers/{slug}/downloads")


def test_schemathesis_finds_no_difference_between_the_document_and_the_service(
    demo_db_path, tmp_path
):
    """Every check (server errors, status codes, content types, headers, response schemas,
    schema-valid data accepted and schema-invalid data refused), ~3,000 generated requests."""
    with gunicorn(demo_db_path, tmp_path / "media", workers=2) as server:
        run = subprocess.run(
            [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run",
             f"{server.url}/api/openapi.json", "--checks", "all", "--max-examples", "100",
             "--seed", "20261201", "--no-color"],
            cwd=tmp_path, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    summary = run.stdout[-3000:]
    assert run.returncode == 0, summary
    generated = re.search(r"(\d+) generated, (\d+) passed\n", summary)  # no ", N failed" or errors
    assert generated and generated[1] == generated[2] and int(generated[1]) > 1000, summary


def test_path_parameters_lengths_and_batches_are_declared(client):
    document = client.get("/api/openapi.json").json
    for path in FORM_OPERATIONS:
        operation = document["paths"][path]["post"]
        names = {(p["in"], p["name"]) for p in operation["parameters"]}
        assert {("path", "slug"), ("header", "Idempotency-Key")} <= names
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        for field in ("first_name", "last_name", "email"):
            assert body["properties"][field]["minLength"] == 1 and field in body["required"]
    booking = document["paths"]["/api/bookings"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    for field in ("preferred_date", "timezone"):
        assert booking["schema"]["properties"][field]["minLength"] == 1
    events = document["paths"]["/api/events"]["post"]["requestBody"]["content"]["application/json"]
    batch = events["schema"]["oneOf"][1]
    assert batch["minItems"] == 1 and batch["maxItems"] == 25


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("get", "/api/bookings", {"POST", "OPTIONS"}),
        ("put", "/api/events", {"POST", "OPTIONS"}),
        ("post", "/api/health", {"GET", "HEAD", "OPTIONS"}),
        ("delete", "/api/webinars/energy-monitoring-101/registrations", {"POST", "OPTIONS"}),
    ],
)
def test_405_says_which_methods_are_allowed(client, method, path, allowed):
    answer = getattr(client, method)(path)
    assert answer.status_code == 405
    assert {m.strip() for m in answer.headers["Allow"].split(",")} == allowed
