"""SQLite transactions of requests: reads start deferred; writes, and GET views that write an audit row,
take the write lock at BEGIN (a deferred read that later writes fails at once when another writer got in)."""

import pytest
from sqlalchemy import event


@pytest.fixture
def begins(app):
    from app.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's")
    seen: list[str] = []

    def before(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    yield seen
    event.remove(db.engine, "before_cursor_execute", before)


def test_a_reading_get_is_deferred_and_an_audited_export_is_immediate(app, world, login_as, begins):
    from app.extensions import db

    client = login_as("head")
    db.session.rollback()
    begins.clear()
    assert client.get("/petitions/").status_code == 200
    assert begins and set(begins) == {"BEGIN"}
    db.session.rollback()
    begins.clear()
    resp = client.get("/petitions/export.xlsx")
    assert resp.status_code == 200
    assert "BEGIN IMMEDIATE" in begins
