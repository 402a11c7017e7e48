"""The reception register (sổ tiếp công dân): every past visit, filtered, searched, printed and exported.

Within the user's units only; a visit whose petition keeps its petitioner confidential shows the mask and
is never found by the visitor's name or CCCD; the host is chosen on the desk (the head for a periodic
reception) and shown.
"""

import io
import json
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core.timeutil import local_to_utc, local_today
from app.petitions.models import PetitionKind
from app.reception.models import ReceptionKind, ReceptionOutcome, ReceptionSession
from app.reception.operations import record_visit
from tests.factories import person, subject
from tests.petitions.helpers import row_counts, text
from tests.reception.test_desk import DESK, POST_URL, visit

REGISTER = "/reception/register"


def at(days_ago: int, hour: int = 9) -> datetime:
    day = local_today() - timedelta(days=days_ago)
    return local_to_utc(datetime(day.year, day.month, day.day, hour, 0))


@pytest.fixture
def visits(world, db):
    """Visits over three weeks in TK (one a confidential denunciation, one a delegation) and one in TL."""
    tk, tl = world.units["TK"], world.units["TL"]
    rec, head = world.users["reception"], world.users["head"]
    made = {}
    made["guided"], _ = record_visit(
        unit=tk,
        actor=rec,
        received_at=at(20),
        kind=ReceptionKind.REGULAR,
        visitors=[person("Nguyễn Văn An", "079123456789")],
        people_count=1,
        content="Hỏi thủ tục cấp đổi sổ đỏ",
        outcome=ReceptionOutcome.GUIDED,
        outcome_note="Hướng dẫn nộp hồ sơ tại bộ phận một cửa",
    )
    made["delegation"], _ = record_visit(
        unit=tk,
        actor=head,
        host=head,
        received_at=at(7),
        kind=ReceptionKind.PERIODIC,
        visitors=[person("Trần Thị Bình", "079987654321"), person("Lê Văn Cường", None)],
        people_count=8,
        content="Đoàn kiến nghị về ngập úng",
        outcome=ReceptionOutcome.PETITION_RECEIVED,
        petition_kind=PetitionKind.RECOMMENDATION,
        petition_subject_area=subject(),
    )
    made["denunciation"], _ = record_visit(
        unit=tk,
        actor=rec,
        received_at=at(1),
        kind=ReceptionKind.REGULAR,
        visitors=[person("Phạm Văn Tố", "079111222333")],
        people_count=1,
        content="Tố cáo cán bộ địa chính",
        outcome=ReceptionOutcome.PETITION_RECEIVED,
        petition_kind=PetitionKind.DENUNCIATION,
        petition_subject_area=subject(),
    )
    made["other_unit"], _ = record_visit(
        unit=tl,
        actor=world.users["tl_reception"],
        received_at=at(2),
        kind=ReceptionKind.REGULAR,
        visitors=[person("Nguyễn Văn An Khác", "079000111222")],
        people_count=1,
        content="Hỏi về đất",
        outcome=ReceptionOutcome.GUIDED,
        outcome_note="Hướng dẫn",
    )
    db.session.commit()
    return made


def shown_ids(page: str) -> set[int]:
    import re

    return {int(n) for n in re.findall(r'data-visit="(\d+)"', page)}


def test_the_register_lists_every_past_visit_of_the_users_units(login_en, visits):
    page = text(login_en("reception").get(REGISTER))
    assert shown_ids(page) == {visits[k].id for k in ("guided", "delegation", "denunciation")}
    assert "Hướng dẫn nộp hồ sơ tại bộ phận một cửa" in page  # the guidance given
    assert "Delegation of 8 people" in page
    assert "Phạm Văn Tố" not in page and "Identity protected (1 visitor)" in page
    tl_page = text(login_en("tl_reception").get(REGISTER))
    assert shown_ids(tl_page) == {visits["other_unit"].id}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=periodic", {"delegation"}),
        ("outcome=guided", {"guided"}),
        ("delegation=yes", {"delegation"}),
        ("delegation=no", {"guided", "denunciation"}),
        ("host={head}", {"delegation"}),
        ("received_from={d10}", {"delegation", "denunciation"}),
        ("received_to={d10}", {"guided"}),
        ("received_from={d7}&received_to={d7}", {"delegation"}),
        ("unit={TKVP}", set()),
        ("q=nguyen+van+an", {"guided"}),
        ("q=Nguyễn+Văn", {"guided"}),
        ("q=079987", {"delegation"}),
        ("q=cuong", {"delegation"}),
        ("q=ngu+an", {"guided"}),  # each word may be the beginning of a word of the name
        # A confidential denunciator is found neither by name nor by CCCD.
        ("q=Phạm+Văn+Tố", set()),
        ("q=079111222333", set()),
    ],
)
def test_register_filters_and_search(login_en, world, visits, query, expected):
    days = {f"d{n}": (local_today() - timedelta(days=n)).isoformat() for n in (7, 10)}
    query = query.format(head=world.users["head"].id, TKVP=world.units["TKVP"].id, **days)
    page = text(login_en("head").get(f"{REGISTER}?{query}"))
    assert shown_ids(page) == {visits[k].id for k in expected}


@pytest.mark.parametrize(
    "query, warning",
    [
        ("kind=weekly", "Unknown kind of reception “weekly”"),
        ("outcome=x", "Unknown outcome “x”"),
        ("delegation=maybe", "is not yes or no"),
        ("received_from=31/02/2026", "is not a date"),
        ("unit=99999", "That unit is not one of yours"),
        ("host=abc", "Unknown host “abc”"),
    ],
)
def test_bad_filter_values_are_ignored_with_a_warning(login_en, visits, query, warning):
    resp = login_en("head").get(f"{REGISTER}?{query}")
    assert resp.status_code == 200
    assert warning in text(resp)


def test_the_printed_register_is_numbered_in_order_with_its_period(login_en, visits):
    d30 = (local_today() - timedelta(days=30)).isoformat()
    page = text(login_en("head").get(f"{REGISTER}?print=1&received_from={d30}"))
    assert "Citizen reception register" in page and 'data-action="print"' in page
    first, second = page.index("Hỏi thủ tục cấp đổi sổ đỏ"), page.index("Đoàn kiến nghị về ngập úng")
    assert first < second  # oldest first
    assert "<td>1</td>" in page and "<td>3</td>" in page and "<td>4</td>" not in page
    assert (local_today() - timedelta(days=30)).strftime("%d/%m/%Y") in page


def test_the_register_exports_to_excel_masked_and_audited(login_en, visits, db):
    resp = login_en("reception").get(f"{REGISTER}.xlsx?outcome=")
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    ws = load_workbook(io.BytesIO(resp.data)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Order no." and "Received by" in rows[0]
    assert [r[0] for r in rows[1:]] == [1, 2, 3]
    names = [r[4] for r in rows[1:]]
    assert names[0] == "Nguyễn Văn An" and "Trần Thị Bình" in names[1]
    assert names[2] == "Identity protected (1 visitor)" and rows[3][5] in ("", None)
    assert all("Phạm Văn Tố" not in str(c) for r in rows for c in r)
    db.session.rollback()
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "export.reception_register")).scalar_one()
    detail = json.loads(event.detail)
    assert detail["rows"] == 3 and detail["filters"]["search_text_given"] is False


def test_an_export_with_a_search_does_not_record_the_search_text(login_en, visits, db):
    resp = login_en("reception").get(f"{REGISTER}.xlsx?q=Trần+Thị")
    rows = list(load_workbook(io.BytesIO(resp.data)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 and "Trần Thị Bình" in rows[1][4]
    db.session.rollback()
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "export.reception_register")).scalar_one()
    assert json.loads(event.detail)["filters"]["search_text_given"] is True and "Trần" not in event.detail


def test_the_desk_records_the_chosen_host(login_en, world, db):
    desk = login_en("reception")
    resp = desk.post(POST_URL, visit(world, kind="periodic", host_id=str(world.users["head"].id)), token_from=DESK)
    assert resp.status_code == 302
    session = db.session.execute(select(ReceptionSession)).scalar_one()
    assert session.host_id == world.users["head"].id and session.created_by_id == world.users["reception"].id
    assert "Phạm Văn Trưởng" in text(desk.get(REGISTER))


def test_a_periodic_reception_hosted_by_a_non_head_is_refused(login_en, world):
    desk = login_en("reception")
    before = row_counts()
    resp = desk.post(POST_URL, visit(world, kind="periodic"), token_from=DESK)  # host: the officer typing
    assert resp.status_code == 200
    assert "A periodic reception is the head's: choose the head who received the citizens." in text(resp)
    assert row_counts() == before


def test_a_host_outside_the_users_units_is_refused(login_en, world):
    desk = login_en("reception")
    before = row_counts()
    resp = desk.post(POST_URL, visit(world, host_id=str(world.users["tl_reception"].id)), token_from=DESK)
    assert resp.status_code == 200
    assert "Choose who received the citizens." in text(resp)
    assert row_counts() == before
