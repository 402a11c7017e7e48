"""The app starts on each backend, its schema is built by migrations, and /healthz answers."""

from app.cases.models import CaseState
from tests.factories import create_case


def test_healthz_reports_database_ok(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "ok", "database": "ok"}


def test_login_page_is_vietnamese_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in html


def test_case_reaches_closed_through_workflow(world, db):
    case = create_case(world, CaseState.CLOSED)
    db.session.commit()
    actions = [e.action for e in case.events]
    assert actions == ["open", "assign", "resolve", "enforce", "close"]
