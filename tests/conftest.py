"""Fixtures: an app per database backend (SQLite always, PostgreSQL when TEST_DATABASE_URL is set).

The schema is built once per backend by running the Alembic migrations (so every run also tests
them); each test then starts from empty tables.
"""

import os
import re
import shutil
import tempfile
import threading
from contextlib import contextmanager

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, text
from werkzeug.serving import make_server

from app import create_app
from app.config import normalise_db_url
from app.extensions import db as _db
from tests.factories import PASSWORD

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
_tmpdir = tempfile.mkdtemp(prefix="tiepdan-test-")


def backend_url(backend: str) -> str:
    if backend == "sqlite":
        return "sqlite:///" + os.path.join(_tmpdir, "test.sqlite3")
    return normalise_db_url(os.environ["TEST_DATABASE_URL"])


def reset_postgres_schema(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class FreshGClient(FlaskClient):
    """A test client whose every request starts with an empty ``g``, as in production.

    The ``app`` fixture keeps one app context open for the whole test (so tests share the request's
    database session), and Flask reuses it for requests; without this, ``g`` would carry the logged-in
    user (Flask-Login) and the CSRF token (Flask-WTF) from one request, or one client, to the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


def make_app(url: str, **extra):
    config = {
        "TESTING": True,
        "DEPLOYMENT": "development",  # production refuses a weak SECRET_KEY and sets Secure cookies
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "SERVER_NAME": "localhost",
        "WTF_CSRF_ENABLED": True,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # scrypt costs ~0.1 s per user: too slow for fixtures
    }
    config.update(extra)
    app = create_app(config)
    app.test_client_class = FreshGClient
    return app


@pytest.fixture(scope="session", params=BACKENDS)
def _migrated_app(request):
    """One app per backend whose database was built from empty by `flask db upgrade`."""
    url = backend_url(request.param)
    if request.param == "sqlite":
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    else:
        reset_postgres_schema(url)
    app = make_app(url)
    app.config["DB_BACKEND"] = request.param
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()


def _truncate_all(app):
    with app.app_context():
        _db.session.remove()
        tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as conn:
                conn.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            with _db.engine.begin() as conn:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                for name in tables:
                    conn.execute(text(f'DELETE FROM "{name}"'))
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")


@pytest.fixture
def app(_migrated_app):
    _truncate_all(_migrated_app)
    from app.security import limiter

    limiter.reset()  # login throttling counts start from zero in every test
    with _migrated_app.app_context():
        from app.deadlines.rules import sync_default_rules

        sync_default_rules()  # the shipped rule table, as `flask deadlines load-rules` loads it
        _db.session.commit()
        yield _migrated_app
        _db.session.remove()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


class CsrfClient:
    """A test client that fetches a page, reads its CSRF token and posts with it, as a browser does."""

    def __init__(self, client):
        self.client = client

    def get(self, *args, **kwargs):
        return self.client.get(*args, **kwargs)

    def token(self, url: str = "/login") -> str:
        html = self.client.get(url).get_data(as_text=True)
        m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', html
        )
        assert m, f"no CSRF token on {url}"
        return m.group(1)

    def post(self, url: str, data=None, token_from: str | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(token_from or url))
        return self.client.post(url, data=data, **kwargs)


def login(client, username: str, password: str = PASSWORD):
    c = CsrfClient(client)
    resp = c.post("/login", {"username": username, "password": password})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return c


@pytest.fixture
def world(app):
    """A small unit tree with users of every role (see factories.build_world)."""
    from tests.factories import build_world

    w = build_world()
    _db.session.commit()
    return w


@pytest.fixture
def login_as(app, world):
    """login_as("head") -> a CsrfClient logged in as that user of the world."""

    def _login(username: str):
        return login(app.test_client(), username)

    return _login


def english(client: CsrfClient, page: str = "/petitions/") -> CsrfClient:
    """Switch a logged-in client's session to English, so tests can match messages by their msgid."""
    resp = client.post("/language/en", {"next": page}, token_from=page)
    assert resp.status_code == 302
    return client


@pytest.fixture
def login_en(app, world):
    """login_en("head") -> a CsrfClient logged in as that user, with the interface in English."""

    def _login(username: str, password: str = PASSWORD) -> CsrfClient:
        return english(login(app.test_client(), username, password))

    return _login


@contextmanager
def count_queries():
    """Count the SQL statements executed inside the block.

    SQLite's BEGIN is left out: the app sends it itself (core.db), where PostgreSQL's driver begins a
    transaction without a statement, and each request begins one (it owns its transaction).
    """
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(_db.engine, "before_cursor_execute", before)


# A live server in a thread and headless Debian Chromium driven by Playwright (browser tests).

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(app, world, db):
    if app.config.get("DB_BACKEND") != "sqlite":
        pytest.skip("the browser walkthrough runs once, on SQLite")
    db.session.commit()
    db.session.remove()  # the server's requests use their own sessions; hold no lock here
    saved_server_name, app.config["SERVER_NAME"] = app.config["SERVER_NAME"], None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    app.config["SERVER_NAME"] = saved_server_name


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: CI must install it (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
