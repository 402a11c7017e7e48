"""Keep search text out of the access logs: a query string can hold a citizen's name (?q=...).

The development server (werkzeug) logs the request line with its query string; this module's filter
strips it. gunicorn's access log is configured in gunicorn.conf.py to log the path only (%(U)s).
"""
import logging
import re

#: "?..." up to " HTTP/1.1" (the end of a request line), a quote or the end: a query string may hold
#: unencoded spaces, so everything after the "?" goes.
QUERY_STRING = re.compile(r"\?[^\"']*?(?=\s+HTTP/[\d.]+|[\"']|$)")
LOGGERS = ("werkzeug",)


def strip_query(text: str) -> str:
    """``text`` with every query string removed ("GET /petitions/?q=An HTTP/1.1" -> "GET /petitions/ HTTP/1.1")."""
    return QUERY_STRING.sub("", text)


class StripQueryStringFilter(logging.Filter):
    """Remove query strings from a log record's message and arguments (it never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = strip_query(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(strip_query(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: strip_query(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


def install_log_filters() -> None:
    """Put the filter on the request loggers (once, however often it is called)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, StripQueryStringFilter) for f in logger.filters):
            logger.addFilter(StripQueryStringFilter())


def init_app(app) -> None:
    """Install the privacy log filters for ``app`` (call from create_app)."""
    install_log_filters()
