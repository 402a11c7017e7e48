"""Masking lists costs a fixed number of queries, however many rows (and reveals) there are."""

from sqlalchemy import inspect

from app.audit.models import AuditEvent
from app.cases.models import CaseState
from app.core.timeutil import utcnow
from app.extensions import db
from app.persons.operations import PersonData
from app.petitions.models import PetitionKind
from app.privacy.policy import REVEAL_ACTION
from app.reception.models import ReceptionKind, ReceptionOutcome
from app.reception.operations import record_visit
from tests.conftest import count_queries
from tests.factories import create_case
from tests.privacy.helpers import ensure_sid


def add_denunciations(world, n: int, start: int) -> list:
    cases = [
        create_case(
            world,
            CaseState.ASSIGNED,
            kind=PetitionKind.DENUNCIATION,
            petitioners=[PersonData(f"Người Tố Cáo {start + i}", f"0790000{start + i:05d}")],
        )
        for i in range(n)
    ]
    desk = []
    for i in range(n):
        _, petition = record_visit(
            unit=world.units["TK"],
            actor=world.users["reception"],
            received_at=utcnow(),
            kind=ReceptionKind.REGULAR,
            visitors=[PersonData(f"Khách {start + i}", f"0750000{start + i:05d}")],
            people_count=1,
            content="Tố cáo",
            outcome=ReceptionOutcome.PETITION_RECEIVED,
            petition_kind=PetitionKind.DENUNCIATION,
        )
        desk.append(petition)
    db.session.commit()
    return [c.petitions[0] for c in cases], desk


def reveal_directly(world, petitions, sid):
    for p in petitions:
        db.session.add(
            AuditEvent(
                action=REVEAL_ACTION,
                actor_id=world.users["head"].id,
                petition_id=p.id,
                case_id=p.case_id,
                session_id=sid,
                reason="Kiểm tra số lượng truy vấn",
            )
        )
    db.session.commit()


def statements_for(client, url) -> int:
    db.session.expunge_all()  # nothing cached in the identity map: count what the request really needs
    with count_queries() as statements:
        resp = client.get(url)
    assert resp.status_code == 200
    return len(statements)


def reattach(world):
    """Load the world's units and users again after expunge_all."""
    for objects in (world.units, world.users):
        for key, obj in objects.items():
            objects[key] = db.session.get(type(obj), inspect(obj).identity[0])


def test_list_desk_and_export_queries_do_not_grow_with_rows(login_en, world):
    head = login_en("head")
    sid = ensure_sid(head)
    few, desk = add_denunciations(world, 2, 0)
    reveal_directly(world, few[:1] + desk[:1], sid)
    small = {url: statements_for(head, url) for url in ("/petitions/", "/reception/", "/petitions/export.xlsx")}
    reattach(world)
    many, desk = add_denunciations(world, 10, 100)
    reveal_directly(world, many[:5] + desk[:5], sid)
    large = {url: statements_for(head, url) for url in ("/petitions/", "/reception/", "/petitions/export.xlsx")}
    assert large == small
    page = head.get("/petitions/").get_data(as_text=True)
    assert "Người Tố Cáo 100" in page and "Người Tố Cáo 105" not in page  # revealed ones shown, others masked
    page = head.get("/reception/").get_data(as_text=True)
    assert "Khách 100" in page and "Khách 105" not in page
