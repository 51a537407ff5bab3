"""The Content-Security-Policy every page carries in a `<meta http-equiv>`.

Scripts and styles come only from the site itself (no inline script, no `eval`), forms and
the beacon talk only to the site and its capture service, and nothing may be embedded as an
object or change the base URL. Hosts that can send headers should send the same policy plus
`frame-ancestors 'none'`, which a `<meta>` cannot carry (docs/operations.md).
"""

from urllib.parse import urlsplit


def content_security_policy(capture_url: str) -> str:
    parts = urlsplit(capture_url)
    capture = f"{parts.scheme}://{parts.netloc}"
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: https:",
            f"connect-src 'self' {capture}",
            f"form-action 'self' {capture}",
            "base-uri 'none'",
            "object-src 'none'",
        )
    )
