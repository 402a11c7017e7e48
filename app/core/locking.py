"""Optimistic locking against stale forms."""

from collections.abc import Iterable
from typing import Protocol
from urllib.parse import urlsplit

from flask import Flask, get_flashed_messages, request, url_for
from markupsafe import Markup

from .errors import StaleObject
from .i18n import lazy_gettext as _l
from .validation import INT_MAX, parse_int

STALE_MESSAGE = _l(
    "Someone else changed this record after you opened it. "
    "Nothing was saved: reload the page to see their changes, then try again."
)
MISSING_VERSION_MESSAGE = _l(
    "This form was sent without the version of the record it was opened at (or with a "
    "damaged one), so it cannot be checked against later changes. Nothing was saved: "
    "reload the page, then try again."
)
RELOAD_LABEL = _l("Reload the latest version")


class _Unchecked:
    def __repr__(self) -> str:
        return "UNCHECKED"


#: The ``expected_version`` of a write that no form showed to anyone: the demo seed, a command line tool, a
#: job, a test building its data. It skips the comparison, and says so where it is passed; nothing else
#: (no version, None, "") does.
UNCHECKED = _Unchecked()


class Versioned(Protocol):
    """A record with an optimistic-lock version (the models' ``version`` column)."""

    @property
    def version(self) -> int: ...


def check_version(obj: Versioned, expected_version: object) -> None:
    """Refuse the write unless ``expected_version``, the version the form showing the record was opened
    at, is still the record's.

    A missing or unreadable version (None, "", "abc", 0, a huge number) is refused as well, with
    MISSING_VERSION_MESSAGE: a post that leaves the version out must not overwrite a newer state. Only
    UNCHECKED skips the check.
    """
    if expected_version is UNCHECKED:
        return
    expected = expected_version if type(expected_version) is int else parse_int(expected_version)
    if expected is None or not 0 < expected <= INT_MAX:
        raise StaleObject(MISSING_VERSION_MESSAGE)
    if expected != obj.version:
        raise StaleObject(STALE_MESSAGE)


def init_app(app: Flask) -> None:
    """Show every stale-record message with a link that reloads the latest version of the page."""
    app.add_template_global(flashed_messages, "get_flashed_messages")


def reload_url() -> str:
    """The page to reload: this one if it was fetched with GET or also answers GET, else the (same-site)
    page the form was on."""
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    if request.url_rule is not None and "GET" in (request.url_rule.methods or ()):
        return request.path  # a form page posting to itself (administration edits): GET shows the latest
    referrer = urlsplit(request.referrer or "")
    if referrer.path.startswith("/") and not referrer.path.startswith("//") and referrer.netloc in ("", request.host):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("index")


def stale_markup(message: str) -> Markup:
    return Markup('{} <a class="alert-link" href="{}" data-testid="reload-latest">{}</a>').format(
        message, reload_url(), RELOAD_LABEL
    )


def flashed_messages(with_categories: bool = False, category_filter: Iterable[str] = ()) -> list[str | tuple[str, str]]:
    """Flask's get_flashed_messages, with the reload link added to the stale-record messages."""
    messages = get_flashed_messages(with_categories=with_categories, category_filter=category_filter)
    stale = {str(STALE_MESSAGE), str(MISSING_VERSION_MESSAGE)}

    def with_reload(message: str) -> str:
        return stale_markup(message) if message in stale else message

    out: list[str | tuple[str, str]] = []
    for item in messages:  # (category, message) pairs if with_categories, else messages
        if isinstance(item, tuple):
            category, message = item
            out.append((category, with_reload(message)))
        else:
            out.append(with_reload(item))
    return out
