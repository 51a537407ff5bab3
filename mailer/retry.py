"""When to try again, for mail and webhooks alike."""

import random
from datetime import timedelta

CLAIM = timedelta(minutes=5)  # a claimed message or delivery is someone's for this long
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, … minutes, at most an hour, each spread by ±20 % so retries do not bunch up."""
    minutes = min(2 ** max(attempts - 1, 0), 60)
    return timedelta(minutes=minutes * random.uniform(0.8, 1.2))
