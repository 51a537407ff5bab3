"""Which addresses stored content may turn into links: one rule for the build and the staff app.

A stored `javascript:` or `data:` address becomes script the moment someone clicks it, however
well the page around it is escaped, so content URLs are allowed only with the schemes below or
as paths on the site itself.
"""

from urllib.parse import urlsplit

from .messages import Message

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_RULE = Message("must be an http, https or mailto address, or a path on this site")


def is_safe_link(url: str) -> bool:
    """True for http(s) and mailto addresses and relative paths; false for any other scheme.

    Control characters and whitespace inside are refused too: browsers drop them, which turns
    `java\\tscript:` into `javascript:`.
    """
    if not url or any(ord(c) < 0x21 or c == "\x7f" for c in url.strip(" ")):
        return False
    try:
        scheme = urlsplit(url.strip(" ")).scheme.lower()
    except ValueError:
        return False
    return scheme in LINK_SCHEMES if scheme else not url.strip(" ").startswith("\\")
