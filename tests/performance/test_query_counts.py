"""No list runs a query per row: the number of SQL statements of a page does not grow with its rows (N+1)."""

from collections import Counter
from datetime import timedelta

import pytest

from app.cases.models import CaseAction, CaseState
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.roles import Role
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.petitions.models import PetitionKind
from app.reception.models import ReceptionKind, ReceptionOutcome
from app.reception.operations import record_visit
from app.users.operations import create_user
from tests.conftest import count_queries
from tests.factories import PASSWORD, create_case, create_petition, person

#: (role, page) of every list; each must cost the same number of statements with 2 rows and with 8.
LISTS = [
    ("head", "/cases/"),
    ("head", "/cases/?state=open&kind=complaint"),
    ("head", "/cases/?q=nguyen"),
    ("head", "/cases/?deadline=attention"),
    ("head", "/cases/caseload"),
    ("head", "/petitions/"),
    ("head", "/petitions/?q=nguyen"),
    ("reception", "/reception/"),
    ("handler", "/notifications/"),
    ("admin", "/audit/"),
    ("admin", "/admin/users"),
    ("head", "/api/v1/cases"),
    ("head", "/api/v1/petitions"),
    ("handler", "/api/v1/notifications"),
]


def _add_rows(world, n: int, start: int) -> None:
    """n more of everything the lists show: cases with their own officers, petitions, visits, notifications."""
    for i in range(start, start + n):
        officer = create_user(
            username=f"xuly{i}",
            full_name=f"Cán bộ Nguyễn {i}",
            unit=world.units["TK"],
            roles=[Role.HANDLER],
            password=PASSWORD,
        )
        case = create_case(
            world,
            kind=PetitionKind.DENUNCIATION if i % 2 else PetitionKind.COMPLAINT,
            petitioners=[person(f"Nguyễn Văn {i}", f"0750000{i:05d}"), person(f"Trần Thị {i}", f"0760000{i:05d}")],
        )
        perform(case, CaseAction.ASSIGN, world.users["head"], handler_id=officer.id, expected_version=UNCHECKED)
        create_petition(world, summary=f"Đơn số {i}", petitioners=[person(f"Nguyễn Thị {i}", None)])
        record_visit(
            unit=world.units["TK"],
            actor=world.users["reception"],
            received_at=utcnow() - timedelta(hours=i),
            kind=ReceptionKind.REGULAR,
            visitors=[person(f"Lê Văn {i}", f"0770000{i:05d}")],
            people_count=1,
            content="Hỏi về thủ tục",
            outcome=ReceptionOutcome.GUIDED,
            outcome_note="Đã hướng dẫn",
        )
        db.session.add(
            Notification(
                user_id=world.users["handler"].id, case_id=case.id, kind="due_soon", dedup_key=f"test:{i}", params="{}"
            )
        )
    db.session.commit()


def queries(statements: list[str]) -> list[str]:
    """The statements that read or write (not the BEGIN that opens a transaction, or not, by session state)."""
    return [s for s in statements if not s.startswith("BEGIN")]


def extra_statements(few: list[str], many: list[str]) -> str:
    """The statements run more often for more rows (the N+1 culprits), for the failure message."""
    extra = Counter(" ".join(s.split())[:300] for s in many) - Counter(" ".join(s.split())[:300] for s in few)
    return "\n".join(f"{n}x {s}" for s, n in extra.most_common())


@pytest.mark.parametrize("role, url", LISTS)
def test_a_list_runs_as_many_queries_for_8_rows_as_for_2(world, db, login_as, role, url):
    client = login_as(role)
    _add_rows(world, 2, 0)
    db.session.expire_all()
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _add_rows(world, 6, 2)
    db.session.expire_all()
    with count_queries() as many:
        assert client.get(url).status_code == 200
    few, many = queries(few), queries(many)
    assert len(many) == len(few), extra_statements(few, many)


def test_a_case_page_runs_as_many_queries_for_many_petitions_and_events(world, db, login_as):

    small = create_case(world, CaseState.ASSIGNED)
    big = create_case(world, CaseState.ASSIGNED)
    for i in range(4):
        again = create_petition(world, summary=f"Đơn lần {i}", petitioners=[person(f"Phạm Văn {i}", None)])
        accept_petition(
            again, world.users["reception"], join_case=big, accepted_on=local_today(), expected_version=UNCHECKED
        )
        perform(
            big,
            CaseAction.SUSPEND,
            world.users["head"],
            note=f"Chờ giám định {i}",
            suspension_decision_no=f"{i}/QĐ-UBND",
            suspended_on=local_today(),
            expected_version=UNCHECKED,
        )
        perform(big, CaseAction.RESUME, world.users["head"], expected_version=UNCHECKED)
    db.session.commit()
    urls = [f"/cases/{small.id}", f"/cases/{big.id}"]
    client = login_as("head")
    counts = []
    for url in urls:
        db.session.expunge_all()
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(statements)
    few, many = counts
    few, many = queries(few), queries(many)
    assert len(many) == len(few), extra_statements(few, many)
