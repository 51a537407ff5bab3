"""What the two Flask services (the public `capture` and the staff `studio`) share: their
configuration from the environment, a database connection per request, and rate limits kept
in SQLite. Neither service imports the other; both import this."""
