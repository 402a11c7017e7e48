"""History is append-only and records are never hard-deleted: the ORM guard (both backends) and the
PostgreSQL triggers (raw SQL)."""

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from app.audit.models import AuditEvent
from app.cases.models import Case, CaseEvent, CaseStep
from app.core.appendonly import APPEND_ONLY_TABLES, DELETABLE_TABLES, AppendOnlyViolation
from app.core.roles import Role
from app.deadlines.models import DeadlineRuleChange
from app.extensions import db
from app.petitions.models import Petition, PetitionEvent
from app.privacy.models import RolePermission
from tests.reliability.helpers import count_rows, populate

HISTORY = [CaseEvent, PetitionEvent, AuditEvent, DeadlineRuleChange, CaseStep]
#: A column of each history model that an "edit" would change.
TEXT_COLUMN = {
    CaseEvent: "note",
    PetitionEvent: "note",
    AuditEvent: "reason",
    DeadlineRuleChange: "reason",
    CaseStep: "summary",
}


@pytest.fixture
def populated(world):
    p = populate(world)
    db.session.commit()
    return p


def all_models():
    return sorted({m.class_ for m in db.Model.registry.mappers}, key=lambda c: c.__tablename__)


def test_the_guard_knows_the_history_tables():
    assert {m.__tablename__ for m in HISTORY} == APPEND_ONLY_TABLES
    assert {m.__tablename__ for m in all_models()} >= APPEND_ONLY_TABLES | DELETABLE_TABLES


@pytest.mark.parametrize("model", HISTORY, ids=lambda m: m.__name__)
def test_editing_a_history_row_is_refused_and_changes_nothing(populated, model):
    row = db.session.scalars(select(model).order_by(model.id)).first()
    assert row is not None
    column = TEXT_COLUMN[model]
    before = getattr(row, column)
    setattr(row, column, "rewritten history")
    with pytest.raises(AppendOnlyViolation, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert getattr(db.session.get(model, row.id), column) == before


@pytest.mark.parametrize("model", HISTORY, ids=lambda m: m.__name__)
def test_deleting_a_history_row_is_refused(populated, model):
    count = count_rows(model)
    db.session.delete(db.session.scalars(select(model)).first())
    with pytest.raises(AppendOnlyViolation):
        db.session.commit()
    db.session.rollback()
    assert count_rows(model) == count


@pytest.mark.parametrize("model", HISTORY, ids=lambda m: m.__name__)
def test_bulk_update_and_delete_of_history_are_refused(populated, model):
    count = count_rows(model)
    column = getattr(model, TEXT_COLUMN[model])
    with pytest.raises(AppendOnlyViolation):
        db.session.execute(update(model).values({column: "x"}))
    db.session.rollback()
    with pytest.raises(AppendOnlyViolation):
        db.session.execute(delete(model))
    db.session.rollback()
    with pytest.raises(AppendOnlyViolation), db.engine.begin() as conn:  # Core, on a connection of its own
        conn.execute(model.__table__.update().values({column.key: "x"}))
    with pytest.raises(AppendOnlyViolation), db.engine.begin() as conn:
        conn.execute(model.__table__.delete())
    assert count_rows(model) == count
    assert "x" not in db.session.scalars(select(column)).all()


def test_adding_history_still_works(populated, world):
    from app.audit.operations import record

    before = count_rows(AuditEvent)
    record("auth.login", actor=world.users["head"])
    db.session.commit()
    assert count_rows(AuditEvent) == before + 1


def test_no_record_of_any_table_can_be_deleted_through_the_orm(populated):
    """Every table but the link/lease rows: session.delete() of a stored row is refused at flush."""
    tried = set()
    for model in all_models():
        if model.__tablename__ in DELETABLE_TABLES:
            continue
        row = db.session.scalars(select(model).limit(1)).first()
        if row is None:
            continue
        tried.add(model.__tablename__)
        db.session.delete(row)
        with pytest.raises(AppendOnlyViolation, match="never deleted"):
            db.session.flush()
        db.session.rollback()
        assert db.session.scalars(select(model).limit(1)).first() is not None
    # populate() gave every core record a row, so each of them was actually tried.
    assert (
        tried
        >= {
            "petitions",
            "cases",
            "persons",
            "reception_sessions",
            "reception_visitors",
            "users",
            "units",
            "attachments",
            "clocks",
            "notifications",
            "deadline_rules",
            "calendar_overrides",
            "petition_parties",
            "user_sessions",
            "sequence_counters",
        }
        | APPEND_ONLY_TABLES
    )


def test_bulk_delete_of_records_is_refused(populated):
    count = count_rows(Petition)
    with pytest.raises(AppendOnlyViolation):
        db.session.execute(delete(Petition).where(Petition.id == populated.desk_petition.id))
    db.session.rollback()
    with pytest.raises(AppendOnlyViolation):
        db.session.execute(delete(Case))
    db.session.rollback()
    assert count_rows(Petition) == count


def test_removing_a_petitioner_from_the_list_is_refused(populated):
    """A delete-orphan cascade is a delete too (caught during the flush, not only in session.deleted)."""
    petition = db.session.get(Petition, populated.desk_petition.id)
    assert len(petition.parties) == 1
    petition.parties.clear()
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()
    db.session.rollback()
    assert len(db.session.get(Petition, populated.desk_petition.id).parties) == 1


def test_link_rows_may_be_replaced(populated, world):
    """Roles and permission grants are links: replacing them is allowed (and audited elsewhere)."""
    user = world.users["head"]
    user.set_roles([Role.HANDLER])
    db.session.delete(db.session.scalars(select(RolePermission)).one())
    db.session.commit()
    db.session.expire_all()
    assert world.users["head"].roles == {Role.HANDLER}
    assert count_rows(RolePermission) == 0


def test_ordinary_records_can_still_be_changed(populated):
    petition = db.session.get(Petition, populated.desk_petition.id)
    petition.summary = "Tóm tắt mới"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Petition, populated.desk_petition.id).summary == "Tóm tắt mới"


@pytest.mark.parametrize("table", sorted(APPEND_ONLY_TABLES))
@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_postgresql_refuses_raw_sql_changes_to_history(app, populated, table, statement):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL only")
    count = db.session.scalar(text(f"SELECT count(*) FROM {table}"))
    assert count > 0
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement.format(table=table)))
    assert db.session.scalar(text(f"SELECT count(*) FROM {table}")) == count


def test_the_test_suite_truncation_still_empties_history(app, populated):
    from tests.conftest import _truncate_all

    db.session.commit()
    assert all(count_rows(m) > 0 for m in HISTORY)
    db.session.rollback()  # release SQLite's write lock for the truncating connection
    _truncate_all(app)
    assert all(count_rows(m) == 0 for m in HISTORY)


def test_an_upsert_over_history_is_refused(populated):
    """INSERT ... ON CONFLICT DO UPDATE would rewrite a history row in place."""
    from sqlalchemy.dialects import postgresql, sqlite

    event = db.session.scalars(select(CaseEvent).limit(1)).one()
    dialect_insert = sqlite.insert if db.engine.dialect.name == "sqlite" else postgresql.insert
    stmt = (
        dialect_insert(CaseEvent.__table__)
        .values(id=event.id, case_id=event.case_id, at=event.at, action="rewritten", actor_id=event.actor_id)
        .on_conflict_do_update(index_elements=["id"], set_={"action": "rewritten"})
    )
    with pytest.raises(AppendOnlyViolation):
        db.session.execute(stmt)
    db.session.rollback()
    assert db.session.get(CaseEvent, event.id).action != "rewritten"
