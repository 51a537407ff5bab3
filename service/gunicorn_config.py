"""gunicorn settings for the capture service and the studio: their commands and the tests load this.

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
# A worker is replaced, gracefully, after about this many requests (the jitter keeps workers from
# all restarting at once): cmarkgfm leaks ~40 KB for each Markdown body it converts, which the
# studio's live preview does on every pause in typing. Nothing lives in a worker's memory alone.
max_requests = 2000
max_requests_jitter = 200
keepalive = 5
# gunicorn's defaults, written down: a request line and headers of bounded size and number.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
