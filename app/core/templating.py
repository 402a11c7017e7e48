"""Jinja filters and globals: Vietnamese date formats, state colours, the current language."""

from datetime import date, datetime
from typing import Any

from flask import Flask, request, url_for
from flask_babel import format_number, get_locale

from .timeutil import to_local

STATE_COLOURS = {
    "received": "secondary",
    "accepted": "primary",
    "assigned": "info",
    "suspended": "warning",
    "resolved": "success",
    "enforced": "success",
    "closed": "dark",
    "withdrawn": "light",
    "terminated": "light",
    "transferred": "secondary",
    "guided": "secondary",
    "filed": "light",
}


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value)
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return to_local(value).strftime("%H:%M %d/%m/%Y")


def iso_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def url_with(**changes: Any) -> str:
    """The current URL with some query arguments changed (for filters and pagination links)."""
    args: dict[str, Any] = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    endpoint = request.endpoint
    assert endpoint is not None, "url_with() is called from the page of a matched route"
    return url_for(endpoint, **(request.view_args or {}), **args)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date"] = fmt_date
    app.jinja_env.filters["datetime"] = fmt_datetime
    app.jinja_env.filters["isodate"] = iso_date
    app.jinja_env.filters["number"] = format_number  # 10.000 in Vietnamese, 10,000 in English
    app.jinja_env.globals["state_colour"] = lambda s: STATE_COLOURS.get(str(s), "secondary")
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.add_extension("jinja2.ext.do")
