"""Access logs never carry a search text: werkzeug's request log is filtered, gunicorn logs the path only."""

import contextlib
import logging
import runpy
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest

from app.privacy import logs
from tests.privacy.helpers import CCCD, NAME

ROOT = Path(__file__).resolve().parents[2]


def _get(url: str) -> None:
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(url, timeout=10).read()


def _werkzeug_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "werkzeug"]


@pytest.fixture
def no_filter():
    """Take the filter off the werkzeug logger for the test, and restore what was there."""
    logger = logging.getLogger("werkzeug")
    saved = list(logger.filters)
    for f in saved:
        logger.removeFilter(f)
    yield logger
    for f in list(logger.filters):
        logger.removeFilter(f)
    for f in saved:
        logger.addFilter(f)


def test_dev_server_log_has_no_query_string(app, live_server, caplog, no_filter):
    caplog.set_level(logging.INFO, logger="werkzeug")
    search = f"{live_server}/petitions/?q={quote(NAME)}&cccd={CCCD}"
    # Without the filter werkzeug logs the query string (so this test can tell).
    _get(search)
    assert any("q=" in m for m in _werkzeug_messages(caplog))
    caplog.clear()

    logs.init_app(app)
    logs.init_app(app)  # idempotent
    assert sum(isinstance(f, logs.StripQueryStringFilter) for f in no_filter.filters) == 1
    _get(search)
    messages = _werkzeug_messages(caplog)
    assert any("GET /petitions/ " in m for m in messages), messages  # the request was logged, path only
    for m in messages:
        assert "q=" not in m and "?" not in m and CCCD not in m and quote(NAME) not in m and NAME not in m


def test_filter_strips_message_and_arguments():
    f = logs.StripQueryStringFilter()
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '"%s" %s %s', (f"GET /cases/?q={NAME}&page=2 HTTP/1.1", "200", "-"), None
    )
    assert f.filter(record) is True
    assert record.getMessage() == '"GET /cases/ HTTP/1.1" 200 -'
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, f"GET /x?cccd={CCCD} done", None, None)
    f.filter(record)
    assert record.getMessage() == "GET /x"  # the rest of the line may be the query: it goes too


def test_gunicorn_access_log_is_path_only():
    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    fmt = settings["access_log_format"]
    for atom in ("%(r)s", "%(q)s", "%(f)s", "{query_string}e", "{raw_uri}e"):
        assert atom not in fmt
    assert "%(U)s" in fmt
    cfg = Config()
    cfg.set("access_log_format", fmt)
    logger = Logger(cfg)

    class Resp:
        status, sent, headers = "200 OK", 512, []

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/petitions/?q={quote(NAME)}",
        "PATH_INFO": "/petitions/",
        "QUERY_STRING": f"q={quote(NAME)}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_REFERER": f"https://tiepdan.example/cases/?q={CCCD}",
        "HTTP_USER_AGENT": "test",
    }
    line = fmt % logger.atoms_wrapper_class(logger.atoms(Resp(), {}, environ, timedelta(milliseconds=5)))
    assert "GET /petitions/ HTTP/1.1" in line and " 200 " in line
    assert "q=" not in line and CCCD not in line and quote(NAME) not in line


def test_database_errors_do_not_carry_citizens_data(app, caplog):
    """A failed statement logged with its traceback (as Flask logs a 500) names no value it was given.

    The engine hides the statement's parameters; PostgreSQL's DETAIL line ("Failing row contains ...") is
    redacted by the app logger's filter.
    """
    from sqlalchemy.exc import IntegrityError

    from app.extensions import db
    from app.persons.models import Person

    db.session.add(Person(full_name=NAME, citizen_id=CCCD[:5]))  # breaks the 12-digit CHECK constraint
    with pytest.raises(IntegrityError) as caught:
        db.session.flush()
    db.session.rollback()
    assert "[SQL parameters hidden" in str(caught.value)
    with caplog.at_level(logging.ERROR, logger=app.logger.name):
        try:
            raise caught.value
        except IntegrityError:
            app.logger.exception("Exception on /petitions/new [POST]")
    logged = caplog.text
    assert "persons" in logged and "IntegrityError" in logged  # the statement is there, for the developer
    assert NAME not in logged and CCCD[:5] not in logged
