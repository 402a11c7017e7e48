"""Optimistic locking against stale forms."""
from urllib.parse import urlsplit

from flask import get_flashed_messages, request, url_for
from .i18n import lazy_gettext as _l
from markupsafe import Markup

from .errors import StaleObject

STALE_MESSAGE = _l("Someone else changed this record after you opened it. "
                   "Nothing was saved: reload the page to see their changes, then try again.")
RELOAD_LABEL = _l("Reload the latest version")


def check_version(obj, expected_version) -> None:
    """Refuse the write if the record changed since the form showing ``expected_version`` was opened."""
    if expected_version is None:
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = -1
    if expected != obj.version:
        raise StaleObject(STALE_MESSAGE)


def init_app(app) -> None:
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
    if referrer.path.startswith("/") and not referrer.path.startswith("//") and \
            referrer.netloc in ("", request.host):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("index")


def stale_markup(message: str) -> Markup:
    return Markup('{} <a class="alert-link" href="{}" data-testid="reload-latest">{}</a>').format(
        message, reload_url(), RELOAD_LABEL)


def flashed_messages(with_categories: bool = False, category_filter=()):
    """Flask's get_flashed_messages, with the reload link added to the stale-record message."""
    messages = get_flashed_messages(with_categories=with_categories, category_filter=category_filter)
    stale = str(STALE_MESSAGE)
    out = []
    for item in messages:
        category, message = item if with_categories else (None, item)
        if message == stale:
            message = stale_markup(message)
        out.append((category, message) if with_categories else message)
    return out
