"""Fixtures of the case tests: cheap password hashing, a fresh `g` per request, English pages."""
import functools

import pytest
from flask import g
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch):
    """Hash the world's passwords with a cheap method: the matrices build a fresh world per test."""
    monkeypatch.setattr("app.users.models.generate_password_hash",
                        functools.partial(generate_password_hash, method="pbkdf2:sha256:1000"))


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request starts with an empty ``g``, as in production.

    The ``app`` fixture keeps one app context open for the whole test and Flask reuses it for each
    request, so ``g`` would carry Flask-Login's cached user (and Flask-WTF's CSRF token) from one
    request, and one logged-in client, to the next.
    """

    def open(self, *args, **kwargs):
        for name in list(vars(g)):
            delattr(g, name)
        return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def _fresh_globals_per_request(app, monkeypatch):
    monkeypatch.setattr(app, "test_client_class", FreshGlobalsClient)


@pytest.fixture
def login_en(login_as):
    """login_en("head") -> a CsrfClient logged in as that user, with the interface in English."""
    from tests.cases.helpers import english

    return lambda username: english(login_as(username))
