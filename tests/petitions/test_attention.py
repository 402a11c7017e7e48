"""What needs attention is in sight without knowing a filter: petition clocks and situation flags.

A petition whose classification period has passed shows an overdue badge on the petition list, is found by
the list's deadline filter (and exported with it), and is listed on the caseload page; the complex-case
flags (many people, repeated, ...) show as badges on the list rows and on the case and petition pages.
"""

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from app.cases.jobs import flag_complex_cases
from app.cases.operations import accept_petition
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from tests.factories import create_petition, person
from tests.petitions.helpers import text
from tests.scheduler.helpers import at


@pytest.fixture
def petitions(world, db):
    late = create_petition(
        world, received_on=local_today() - timedelta(days=30), petitioners=[person("Lê Văn Trễ", "079100000001")]
    )
    fresh = create_petition(world, received_on=local_today(), petitioners=[person("Lê Văn Mới", "079100000002")])
    db.session.commit()
    return {"late": late, "fresh": fresh}


def row_of(page: str, receipt_no: str) -> str:
    m = re.search(rf"<tr>\s*<td[^>]*><a [^>]*>{re.escape(receipt_no)}</a>.*?</tr>", page, re.S)
    assert m, f"no row for {receipt_no}"
    return m.group(0)


def test_an_overdue_petition_has_a_badge_on_the_list(login_en, petitions):
    page = text(login_en("head").get("/petitions/"))
    assert 'data-deadline="overdue"' in row_of(page, petitions["late"].receipt_no)
    assert "Overdue by" in row_of(page, petitions["late"].receipt_no)
    assert "data-deadline" not in row_of(page, petitions["fresh"].receipt_no)


@pytest.mark.parametrize("value, late, fresh", [("overdue", True, False), ("attention", True, False)])
def test_the_deadline_filter_of_the_petition_list(login_en, petitions, value, late, fresh):
    page = text(login_en("head").get(f"/petitions/?deadline={value}"))
    assert (petitions["late"].receipt_no in page) is late
    assert (petitions["fresh"].receipt_no in page) is fresh


def test_an_unknown_deadline_filter_is_ignored_with_a_warning(login_en, petitions):
    page = text(login_en("head").get("/petitions/?deadline=late"))
    assert "Unknown deadline filter “late”" in page
    assert petitions["fresh"].receipt_no in page


def test_the_export_follows_the_deadline_filter(login_en, petitions):
    resp = login_en("head").get("/petitions/export.xlsx?deadline=overdue")
    rows = list(load_workbook(io.BytesIO(resp.data)).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [petitions["late"].receipt_no]


def test_the_caseload_lists_the_petitions_that_need_attention(login_en, world, petitions):
    page = text(login_en("head").get("/cases/caseload"))
    section = page[page.index('data-testid="petition-attention-section"') :]
    assert f'data-petition="{petitions["late"].receipt_no}" data-status="overdue"' in section
    assert petitions["fresh"].receipt_no not in section
    assert "/petitions/?deadline=attention" in section
    # Another commune's head does not see it.
    other = text(login_en("tl_head").get("/cases/caseload"))
    assert petitions["late"].receipt_no not in other


def test_situation_flags_show_on_list_rows_and_pages(login_en, world, db):
    crowd = create_petition(world, petitioners=[person("Đoàn Văn Đông", "079100000003")], signatory_count=9)
    db.session.commit()
    flag_complex_cases(at(local_today()))
    db.session.commit()
    head = login_en("head")
    page = text(head.get("/petitions/"))
    assert 'data-flag="many_people"' in row_of(page, crowd.receipt_no)
    detail = text(head.get(f"/petitions/{crowd.id}"))
    assert 'data-testid="flags"' in detail and "9 people" in detail

    accept_petition(crowd, world.users["head"], expected_version=UNCHECKED, accepted_on=crowd.received_on, instance=1)
    case = crowd.case
    db.session.commit()
    flag_complex_cases(at(local_today()))
    db.session.commit()
    case_list = text(head.get("/cases/"))
    row = re.search(rf'<tr data-case="{re.escape(case.number)}">.*?</tr>', case_list, re.S).group(0)
    assert 'data-flag="many_people"' in row
    case_page = text(head.get(f"/cases/{case.id}"))
    assert 'data-testid="flags"' in case_page and 'data-flag="many_people"' in case_page
    # The petition's own flag was cleared when its case took it over: its page shows none.
    assert 'data-testid="flags"' not in text(head.get(f"/petitions/{crowd.id}"))
    db.session.remove()


def test_the_petition_register_prints_numbered_and_masked(login_en, world, db):
    from app.petitions.models import PetitionKind

    first = create_petition(world, received_on=local_today() - timedelta(days=9), summary="Đơn thứ nhất")
    create_petition(
        world,
        kind=PetitionKind.DENUNCIATION,
        received_on=local_today() - timedelta(days=2),
        summary="Đơn tố cáo",
        petitioners=[person("Vũ Văn Kín", "079100000077")],
        is_identity_confidential=True,
    )
    db.session.commit()
    page = text(login_en("reception").get("/petitions/?print=1"))
    assert "Petition register" in page and 'data-action="print"' in page
    assert page.index("Đơn thứ nhất") < page.index("Đơn tố cáo")  # oldest first
    assert "<td>1</td>" in page and "<td>2</td>" in page
    assert first.receipt_no in page and "Vũ Văn Kín" not in page and "Identity protected" in page
    # The list's filters apply.
    page = text(login_en("reception").get("/petitions/?print=1&kind=denunciation"))
    assert "Đơn thứ nhất" not in page and "Đơn tố cáo" in page
