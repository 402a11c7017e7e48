"""Keep citizens' data out of the logs.

- Access logs: a query string can hold a citizen's name (?q=...). The development server (werkzeug) logs
  the request line with its query string; a filter strips it. gunicorn's access log is configured in
  gunicorn.conf.py to log the path only (%(U)s).
- Error logs: a database error carries the statement's values (hidden by the engine's hide_parameters,
  see create_app) and, on PostgreSQL, the server's DETAIL line ("Failing row contains (Nguyễn Văn An,
  ...)", "Key (citizen_id)=(0790...) already exists"); a filter on the app's logger removes those lines
  from the logged traceback.
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


#: PostgreSQL's DETAIL line of an error message (it quotes the row or key values).
DB_DETAIL = re.compile(r"^DETAIL:.*$", re.MULTILINE)
DB_DETAIL_REDACTED = "DETAIL: [values hidden: they may be a citizen's personal data]"


def redact_db_details(text: str) -> str:
    return DB_DETAIL.sub(DB_DETAIL_REDACTED, text)


class RedactDatabaseDetailsFilter(logging.Filter):
    """Remove PostgreSQL DETAIL lines (row and key values) from a record's message and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_db_details(record.exc_text)
        if isinstance(record.msg, str):
            record.msg = redact_db_details(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_db_details(a) if isinstance(a, str) else a for a in record.args)
        return True


ERROR_LOGGERS = (
    "tiepdan.scheduler",
    "apscheduler.executors.default",
    "app.attachments.operations",
    "app.attachments.views",
)


def install_log_filters() -> None:
    """Put the filter on the request loggers (once, however often it is called)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, StripQueryStringFilter) for f in logger.filters):
            logger.addFilter(StripQueryStringFilter())


def init_app(app) -> None:
    """Install the privacy log filters for ``app`` (call from create_app)."""
    install_log_filters()
    # A logger's filters see only the records logged to it (not its children's): name each logger that
    # may log a database error (Flask's 500s, the scheduler's jobs, APScheduler's job errors).
    for logger in (app.logger, *(logging.getLogger(n) for n in ERROR_LOGGERS)):
        if not any(isinstance(f, RedactDatabaseDetailsFilter) for f in logger.filters):
            logger.addFilter(RedactDatabaseDetailsFilter())
