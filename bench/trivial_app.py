"""The ceiling for bench/capture_bench.py: a Flask endpoint that does nothing but answer."""

from flask import Flask

app = Flask(__name__)


@app.post("/api/noop")
def noop():
    return {"status": "ok"}, 201
