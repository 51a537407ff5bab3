"""What the service keeps about a visitor: truncated addresses and a daily-rotating session hash.

Documented in docs/capture.md. No cookies are set and no raw IP address is stored.
"""

import hashlib
import hmac
import ipaddress
import re
from datetime import date

BOTS = re.compile(
    r"bot|crawl|spider|slurp|curl|wget|python-requests|httpx|aiohttp|go-http-client|java/|"
    r"headlesschrome|phantomjs|facebookexternalhit|preview|monitor|pingdom|lighthouse",
    re.IGNORECASE,
)


def truncated_ip(address: str | None) -> str | None:
    """IPv4 to its /24 network, IPv6 to its /48: enough for abuse handling, not a person."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def daily_session_id(secret: str, address: str | None, user_agent: str, day: date) -> str:
    """Same visitor, same day: same id. The key changes every day and is never stored."""
    day_key = hmac.new(
        secret.encode(), f"session-salt:{day.isoformat()}".encode(), hashlib.sha256
    ).digest()
    return hmac.new(day_key, f"{address}|{user_agent}".encode(), hashlib.sha256).hexdigest()[:32]


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOTS.search(user_agent))


def opted_out(headers) -> bool:
    """Do-Not-Track or Global Privacy Control: the visitor asked not to be tracked."""
    return headers.get("DNT") == "1" or headers.get("Sec-GPC") == "1"
