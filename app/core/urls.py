"""Redirect targets taken from the request (?next=, a form's next field) must stay on this site."""
from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site, else ``fallback``.

    Refused: anything not starting with one "/", a backslash (browsers read "/\\host" as "//host"), and any
    control character: Werkzeug's redirect() drops tabs and newlines while building the Location header,
    so "/\\t/evil.example" would leave as "//evil.example" (and a CR or LF would be a 500).
    """
    if not target or not isinstance(target, str) or len(target) > 2000:
        return fallback
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target) or "\\" in target:
        return fallback
    if not target.startswith("/") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target


def referrer_or(fallback: str) -> str:
    """The page the request came from, if it is on this site (path and query only), else ``fallback``."""
    from flask import request

    if not request.referrer:
        return fallback
    parts = urlsplit(request.referrer)
    if parts.netloc and parts.netloc != request.host:
        return fallback
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""), fallback)
