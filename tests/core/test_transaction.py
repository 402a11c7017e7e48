"""Each request owns its transaction: one commit when the view succeeded, one rollback otherwise."""

import ast
from pathlib import Path

import pytest
from flask import flash
from sqlalchemy import func, select

from app.core.db import writes_on_get
from app.core.errors import DomainError
from app.core.transaction import on_refusal, on_rollback, show_again
from app.extensions import db
from app.units.models import Unit
from tests.conftest import make_app

APP = Path(__file__).resolve().parents[2] / "app"


def _units() -> int:
    """The units another connection sees (this test's own transaction ends first: it must not hold a lock)."""
    db.session.rollback()
    count = db.session.scalar(select(func.count(Unit.id)))
    db.session.rollback()
    return count


@pytest.fixture
def probe(app):
    """An app on the same database, with routes that write a unit, then answer in different ways."""
    probe_app = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    probe_app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash answers 500, as in production
    calls: list[str] = []

    def write(code):
        db.session.add(Unit(code=code, name=code, kind="commune", path=f"/{code}/"))
        db.session.flush()

    @probe_app.get("/_tx/ok")
    @writes_on_get
    def tx_ok():
        write("TXOK")
        flash("Saved.", "success")
        return "ok"

    @probe_app.get("/_tx/error-status")
    @writes_on_get
    def tx_error_status():
        write("TXERR")
        return "bad", 422

    @probe_app.get("/_tx/refused")
    @writes_on_get
    def tx_refused():
        on_refusal("/somewhere")
        on_rollback(lambda: calls.append("discarded"))
        write("TXREF")
        flash("Saved.", "success")
        raise DomainError("Refused for a reason.")

    @probe_app.get("/_tx/form-again")
    @writes_on_get
    def tx_form_again():
        show_again(lambda: ("the form again", 200))
        write("TXFORM")
        raise DomainError("Not like this.")

    @probe_app.get("/_tx/crash")
    @writes_on_get
    def tx_crash():
        write("TXCRASH")
        raise RuntimeError("boom")

    probe_app.calls = calls
    yield probe_app
    with probe_app.app_context():
        db.engine.dispose()


def test_a_successful_request_commits_once(app, probe, db):
    before = _units()
    assert probe.test_client().get("/_tx/ok").status_code == 200
    assert _units() == before + 1


@pytest.mark.parametrize("url", ["/_tx/error-status", "/_tx/form-again"])
def test_an_error_status_or_a_refused_form_keeps_nothing(app, probe, db, url):
    before = _units()
    resp = probe.test_client().get(url)
    assert resp.status_code in (200, 422)
    assert _units() == before


def test_a_refusal_is_answered_in_one_place_and_undoes_what_the_request_said(app, probe, db):
    before = _units()
    client = probe.test_client()
    resp = client.get("/_tx/refused")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/somewhere")
    assert probe.calls == ["discarded"]  # the rollback ran the request's clean-up
    with client.session_transaction() as sess:
        messages = [m for _c, m in sess.get("_flashes", [])]
    assert messages == ["Refused for a reason."]  # "Saved." was taken back with the save
    assert _units() == before


def test_a_crash_keeps_nothing(app, probe, db):
    before = _units()
    assert probe.test_client().get("/_tx/crash").status_code == 500
    assert _units() == before


def _calls(tree: ast.AST, names: set[str]) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names
    ]


def _view_modules():
    return [p for p in APP.rglob("*.py") if p.name == "views.py" or p.name.endswith("_views.py")]


def test_no_view_commits_or_rolls_back():
    offenders = [
        f"{path.relative_to(APP.parent)}:{line}"
        for path in _view_modules()
        for line in _calls(ast.parse(path.read_text()), {"commit", "rollback"})
    ]
    assert offenders == []


def test_no_view_catches_a_refusal():
    offenders = []
    for path in _view_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ExceptHandler) and "DomainError" in ast.unparse(node.type or ast.Name("")):
                offenders.append(f"{path.relative_to(APP.parent)}:{node.lineno}")
    # A page asks the can_<verb> answers whether to offer a form; it never tries and catches a refusal.
    assert offenders == []
