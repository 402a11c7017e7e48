"""The head's caseload: counts per unit (state, kind) and per officer, their links, scope and access."""

import html
import re

import pytest

from app.cases.models import CaseAction, CaseState
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.petitions.models import PetitionKind
from tests.cases.helpers import listed, text
from tests.conftest import count_queries
from tests.factories import create_case, create_petition

S = CaseState


@pytest.fixture
def load(world, db):
    """Six TK cases, one TKVP case and two TL cases."""
    create_case(world, S.ACCEPTED)
    create_case(world, S.ACCEPTED)
    create_case(world, S.ASSIGNED, kind=PetitionKind.DENUNCIATION)
    moved = create_case(world, S.ASSIGNED)
    perform(
        moved, CaseAction.ASSIGN, world.users["head"], handler_id=world.users["handler2"].id, expected_version=UNCHECKED
    )
    create_case(world, S.SUSPENDED)
    create_case(world, S.CLOSED, kind=PetitionKind.RECOMMENDATION)
    petition = create_petition(world, unit="TKVP", actor="reception")
    accept_petition(petition, world.users["reception"], accepted_on=local_today(), expected_version=UNCHECKED)
    create_case(world, S.ACCEPTED, unit="TL")
    create_case(world, S.ASSIGNED, unit="TL", kind=PetitionKind.FEEDBACK)
    db.session.commit()


def table(page: str, testid: str) -> str:
    m = re.search(rf'<table[^>]*data-testid="{testid}">(.*?)</table>', page, re.S)
    assert m, f"no table {testid}"
    return m.group(1)


def rows(page: str, testid: str, key: str = "data-unit") -> dict[str, dict[str, tuple[int, str]]]:
    """{row key: {column: (count, link)}} of one caseload table."""
    out = {}
    for name, body in re.findall(rf'<tr {key}="([^"]+)">(.*?)</tr>', table(page, testid), re.S):
        cells = re.findall(r'<td[^>]*data-col="([^"]+)"><a[^>]*href="([^"]+)">(\d+)</a></td>', body)
        out[name] = {col: (int(n), html.unescape(href)) for col, href, n in cells}
    return out


def counts(table_rows: dict, row: str) -> dict[str, int]:
    """The non-zero counts of a row."""
    return {col: n for col, (n, _href) in table_rows[row].items() if n}


def test_head_sees_counts_of_their_units_by_state(load, login_en):
    page = text(login_en("head").get("/cases/caseload"))
    units = rows(page, "caseload-units")
    assert list(units) == ["TK", "TKVP", "total"]
    assert counts(units, "TK") == {"accepted": 2, "assigned": 2, "suspended": 1, "closed": 1, "total": 6}
    assert counts(units, "TKVP") == {"accepted": 1, "total": 1}
    assert counts(units, "total") == {"accepted": 3, "assigned": 2, "suspended": 1, "closed": 1, "total": 7}
    assert "TL" not in page.split('data-testid="caseload-units"')[1].split("</table>")[0]
    assert re.search(r'<tr data-unit="TKVP">\s*<th scope="row" class="fw-normal" data-depth="1">', page)


def test_head_sees_counts_of_their_units_by_kind(load, login_en):
    page = text(login_en("head").get("/cases/caseload"))
    kinds = rows(page, "caseload-kinds")
    assert counts(kinds, "TK") == {"complaint": 4, "denunciation": 1, "recommendation": 1, "total": 6}
    assert counts(kinds, "TKVP") == {"complaint": 1, "total": 1}
    assert "feedback" not in counts(kinds, "total")  # the TL feedback case is not the TK head's


def test_head_sees_open_cases_per_officer(load, login_en):
    page = text(login_en("head").get("/cases/caseload"))
    officers = rows(page, "caseload-officers", key="data-officer")
    assert list(officers) == ["handler", "handler2"]
    assert counts(officers, "handler") == {"assigned": 1, "suspended": 1, "complaint": 1, "denunciation": 1, "total": 2}
    assert counts(officers, "handler2") == {"assigned": 1, "complaint": 1, "total": 1}


def test_province_head_sees_the_whole_tree_in_tree_order(load, login_en):
    page = text(login_en("phead").get("/cases/caseload"))
    units = rows(page, "caseload-units")
    assert list(units) == ["DN", "TTT", "TK", "TKVP", "TL", "total"]
    depths = re.findall(
        r'<tr data-unit="(\w+)">\s*<th scope="row" class="fw-normal" data-depth="(\d)">', table(page, "caseload-units")
    )
    assert depths == [("DN", "0"), ("TTT", "1"), ("TK", "1"), ("TKVP", "2"), ("TL", "1")]
    assert counts(units, "TL") == {"accepted": 1, "assigned": 1, "total": 2}
    assert counts(units, "total")["total"] == 9
    officers = rows(page, "caseload-officers", key="data-officer")
    assert counts(officers, "tl_handler") == {"assigned": 1, "feedback": 1, "total": 1}


@pytest.mark.parametrize(
    "testid, row, col, key",
    [
        ("caseload-units", "TK", "accepted", "data-unit"),
        ("caseload-units", "TK", "closed", "data-unit"),
        ("caseload-units", "TK", "total", "data-unit"),
        ("caseload-units", "TKVP", "accepted", "data-unit"),
        ("caseload-units", "total", "accepted", "data-unit"),
        ("caseload-units", "total", "total", "data-unit"),
        ("caseload-kinds", "TK", "complaint", "data-unit"),
        ("caseload-kinds", "total", "denunciation", "data-unit"),
        ("caseload-officers", "handler", "suspended", "data-officer"),
        ("caseload-officers", "handler", "denunciation", "data-officer"),
        ("caseload-officers", "handler", "total", "data-officer"),
        ("caseload-officers", "handler2", "total", "data-officer"),
    ],
)
def test_each_count_links_to_the_matching_cases(load, login_en, testid, row, col, key):
    client = login_en("head")
    page = text(client.get("/cases/caseload"))
    n, href = rows(page, testid, key)[row][col]
    assert n > 0
    listing = text(client.get(href))
    assert 'data-testid="filter-warnings"' not in listing
    assert len(listed(listing)) == n
    assert re.search(rf">{n} cases? found<", listing)


def test_province_totals_link_to_the_whole_tree(load, login_en):
    client = login_en("phead")
    n, href = rows(text(client.get("/cases/caseload")), "caseload-units")["total"]["total"]
    assert n == 9 and len(listed(text(client.get(href)))) == 9


def test_caseload_uses_a_fixed_number_of_queries(load, login_en):
    head, phead = login_en("head"), login_en("phead")
    with count_queries() as small:
        assert head.get("/cases/caseload").status_code == 200
    with count_queries() as large:
        assert phead.get("/cases/caseload").status_code == 200
    # 13: the counts and officers, the bell, and the deadline part (calendar, two grouped counts, the cases and
    # the petitions that need attention).
    assert len(large) == len(small) <= 13, large


@pytest.mark.parametrize(
    "username, status",
    [
        ("head", 200),
        ("phead", 200),
        ("tl_head", 200),
        ("inspector", 200),
        ("admin", 200),
        ("reception", 403),
        ("handler", 403),
        ("handler2", 403),
        ("tl_handler", 403),
    ],
)
def test_caseload_is_for_heads_inspectors_and_admins(load, login_en, username, status):
    assert login_en(username).get("/cases/caseload").status_code == status


def test_tl_head_does_not_see_tk_cases(load, login_en):
    page = text(login_en("tl_head").get("/cases/caseload"))
    units = rows(page, "caseload-units")
    assert list(units) == ["TL", "total"]
    assert counts(units, "total") == {"accepted": 1, "assigned": 1, "total": 2}
    assert list(rows(page, "caseload-officers", key="data-officer")) == ["tl_handler"]
