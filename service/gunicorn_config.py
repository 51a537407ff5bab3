"""gunicorn settings for the capture service: `magnetiq capture` and the tests load this file.

The service faces the internet, so a slow or idle client must not hold a worker. Sync workers
give each connection a whole process while its request trickles in (two slow clients stalled
the service for the 30 s worker timeout); gevent workers read every connection in a greenlet of
their own, so one worker keeps answering while up to `worker_connections` clients dawdle.
SQLite calls do not yield, so a write transaction never interleaves with another request's.
"""

worker_class = "gevent"
worker_connections = 1000  # per worker: open connections, slow ones included
timeout = 30  # a worker whose event loop is stuck this long is restarted
graceful_timeout = 10
keepalive = 5
# gunicorn's defaults, written down: a request line and headers of bounded size and number.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
