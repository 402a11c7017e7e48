"""Numbers in URL paths, and redirect targets taken from the request (?next=, a form's next field), which
must stay on this site."""

from urllib.parse import urlsplit

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, Map, ValidationError

from .validation import INT_MAX


class IdConverter(IntegerConverter):
    """``<int:...>`` of every route: ASCII digits, at most what an INTEGER column holds.

    A larger number (/cases/99999999999999999999) is a 404 like any id that does not exist, not a 500 from
    the database (PostgreSQL: NumericValueOutOfRange beyond 2**31 - 1; SQLite: OverflowError beyond
    2**63 - 1). NotFound rather than werkzeug's ValidationError: that one makes a POST to a path that also
    has a GET rule a 405. Werkzeug's ``\\d+`` would also take "١٢٣" as 123.
    """

    regex = r"[0-9]+"

    def __init__(
        self,
        map: Map,  # noqa: A002  (werkzeug's names)
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002
        max: int | None = None,  # noqa: A002
        signed: bool = False,
    ) -> None:
        bound = INT_MAX if max is None or max > INT_MAX else max
        super().__init__(map, fixed_digits, min, bound, signed)

    def to_python(self, value: str) -> int:
        try:
            number: int = super().to_python(value)
            return number
        except ValidationError:
            raise NotFound() from None


def init_app(app: Flask) -> None:
    """Install the bounded ``int`` converter: before the blueprints add their routes (a rule binds its
    converter when it is added)."""
    app.url_map.converters["int"] = IdConverter


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
