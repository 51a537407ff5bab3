"""Mail: the worker that renders queued messages (database/outbox.py) and sends them by SMTP.

`smtp` speaks to the server and sorts its failures into temporary and permanent; `compose`
turns an outbox row into a message from the rows as they are now and the sandboxed templates in
`templates/`; `schedule` queues what time brings (reminders, recordings); `worker` claims due
messages, sends them at a steady rate, retries with backoff and records the outcome.
"""
