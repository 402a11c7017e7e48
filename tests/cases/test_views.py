"""The case screens through the test client (CSRF on): list, detail, timeline, action forms, visibility."""

import re
from datetime import date, timedelta

import pytest

from app.caselist.queries import CaseFilters, page_of_cases
from app.cases.models import Case, CaseAction, CaseState, Complexity
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.roles import Role
from app.core.timeutil import local_today, utcnow
from app.deadlines.jobs import mark_legally_effective
from app.petitions.models import PetitionKind
from app.users.models import User
from app.users.operations import create_user
from tests.cases.helpers import action_forms, case_state, follow, listed, text, timeline
from tests.conftest import count_queries
from tests.factories import SUSPEND_FORM, create_case, create_petition, person

TODAY = local_today()
A, S = CaseAction, CaseState
USERS = [
    "admin",
    "phead",
    "inspector",
    "reception",
    "head",
    "handler",
    "handler2",
    "tl_reception",
    "tl_head",
    "tl_handler",
]


def days_ago(n: int) -> date:
    return TODAY - timedelta(n)


@pytest.fixture
def cases(world, db):
    """Five cases: four in TK (one handled in TKVP) and one in TL, accepted on different days."""
    c = {
        "a": create_case(world, S.ACCEPTED, received_on=days_ago(20), summary="Khiếu nại thu hồi đất"),
        "b": create_case(
            world,
            S.ASSIGNED,
            kind=PetitionKind.DENUNCIATION,
            received_on=days_ago(15),
            summary="Tố cáo cán bộ địa chính",
            petitioners=[person("Lê Thị Bình", "079000000002")],
        ),
        "c": create_case(
            world,
            S.RESOLVED,
            kind=PetitionKind.RECOMMENDATION,
            received_on=days_ago(10),
            summary="Kiến nghị sửa đường",
            petitioners=[person("Trần Văn Cường", "079000000003")],
        ),
        "d": create_case(
            world,
            S.ASSIGNED,
            received_on=days_ago(5),
            summary="Khiếu nại bồi thường",
            petitioners=[person("Võ Văn Dũng", "079000000004")],
        ),
        "e": create_case(
            world,
            S.ACCEPTED,
            unit="TL",
            received_on=days_ago(3),
            summary="Khiếu nại ở Thanh Lương",
            petitioners=[person("Phạm Thị Em", "079000000005")],
        ),
    }
    perform(
        c["d"],
        A.ASSIGN,
        world.users["head"],
        handler_id=world.users["handler2"].id,
        complexity=Complexity.COMPLEX,
        expected_version=UNCHECKED,
    )
    db.session.commit()
    return {k: v.number for k, v in c.items()} | {"ids": {k: v.id for k, v in c.items()}}


# --- The list ------------------------------------------------------------------------------------------


def test_list_shows_the_visible_cases_newest_first(cases, login_en):
    page = text(login_en("head").get("/cases/"))
    assert listed(page) == [cases["d"], cases["c"], cases["b"], cases["a"]]
    assert "4 cases found" in page


#: Query string -> the cases (of the fixture) the TK head sees, newest first.
FILTERS = {
    "state=assigned": "db",
    "state=open": "dba",
    "state=resolved": "c",
    "kind=denunciation": "b",
    "kind=complaint&state=accepted": "a",
    "instance=1": "da",
    "instance=2": "",
    "complexity=complex": "d",
    "complexity=normal": "cba",
    "unit={TKVP}": "d",
    "unit={TKVP}&unit_match=case": "",
    "unit={TK}": "dcba",
    "unit={TK}&unit_match=case": "dcba",
    "unit={TK}&unit_match=subtree": "dcba",
    "unit={TK}&unit_match=nonsense": "dcba",
    "handler={handler}": "cb",
    "handler={handler2}&state=open": "d",
    "accepted_from={d12}": "dc",
    "accepted_to={d12}": "ba",
    "accepted_from={d16}&accepted_to={d8}": "cb",
    "accepted_from={d12_vn}": "dc",
    "accepted_from={d14}&accepted_to={d14}": "b",
    "q={number_b}": "b",
    "q=địa chính": "b",
    "q=THU HỒI": "a",
    # b is a denunciation: its petitioner's name and CCCD are not searchable until revealed (tests/privacy).
    "q=Bình": "",
    "q=bình": "",
    "q=079000000003": "c",
    "q=0790000000": "dc",  # a CCCD by its first digits (b's is confidential)
    "q=00000000": "",  # words match from their start: not the middle of a CCCD
    "q=vo van dung": "d",  # diacritics and case ignored
    "q=VÕ VĂN DŨNG": "d",
    "q=dung vo": "d",  # every word, in any order
    "q=Dũng&state=assigned": "db",  # "Dũng" also finds "Nội dung" (the content of b's petition)
    "q=cường bồi": "",  # both words in the same petition or case
    "q=đia": "b",  # đ is d
    "q=khieu nai boi": "d",
    "q=Em": "",
    "q=100%": "",
    "q=_": "",
    "q=%25": "",
    "q=  ": "dcba",
}


def test_list_filters_and_search(world, cases, login_en):
    values = {
        "TK": world.units["TK"].id,
        "TKVP": world.units["TKVP"].id,
        "handler": world.users["handler"].id,
        "handler2": world.users["handler2"].id,
        "d12": days_ago(12).isoformat(),
        "d14": days_ago(14).isoformat(),
        "d16": days_ago(16).isoformat(),
        "d8": days_ago(8).isoformat(),
        "d12_vn": days_ago(12).strftime("%d/%m/%Y"),
        "number_b": cases["b"],
    }
    client = login_en("head")
    got, warned = {}, []
    for query in FILTERS:
        page = text(client.get("/cases/?" + query.format(**values)))
        got[query] = "".join(k for k in "dcba" if cases[k] in listed(page))
        assert listed(page) == [cases[k] for k in got[query]]  # newest first, no repeats
        if 'data-testid="filter-warnings"' in page:
            warned.append(query)
    assert got == FILTERS
    assert warned == []


@pytest.mark.parametrize("username, expected", [("handler", "bc"), ("handler2", "d"), ("head", "")])
def test_mine_lists_the_cases_assigned_to_me(cases, login_en, username, expected):
    page = text(login_en(username).get("/cases/?mine=1"))
    assert listed(page) == [cases[k] for k in "dcba" if k in expected]


#: A bad filter value -> the warning shown; the filter is dropped and the list stays whole.
BAD_FILTERS = {
    "state=bogus": "Unknown case state",
    "kind=<b>x</b>": "Unknown kind of case",
    "instance=3": "The instance must be 1 or 2",
    "complexity=huge": "Unknown complexity",
    "unit=abc": "not one of yours",
    "unit=999999": "not one of yours",
    "unit={TL}": "not one of yours",
    "unit={TL}&unit_match=subtree": "not one of yours",
    "handler=x1": "Unknown handling officer",
    "accepted_from=2024-13-45": "is not a date",
    "accepted_to=yesterday": "is not a date",
    "accepted_to=0001-01-01": "is not a date",
    "accepted_from={today}&accepted_to={d30}": "start of the date range is after its end",
}


def test_bad_filter_values_are_ignored_with_a_warning(world, cases, login_en):
    values = {"TL": world.units["TL"].id, "today": TODAY.isoformat(), "d30": days_ago(30).isoformat()}
    client = login_en("head")
    for query, warning in BAD_FILTERS.items():
        resp = client.get("/cases/?" + query.format(**values))
        assert resp.status_code == 200, query
        page = text(resp)
        m = re.search(r'data-testid="filter-warnings">(.*?)</div>', page, re.S)
        assert m and warning in m.group(1), query
        assert "<b>x</b>" not in resp.get_data(as_text=True)  # the echoed value is escaped
        assert listed(page) == [cases[k] for k in "dcba"], query


def test_list_keeps_good_filters_next_to_a_bad_one(cases, login_en):
    page = text(login_en("head").get("/cases/?state=assigned&kind=nope"))
    assert "Unknown kind of case" in page
    assert listed(page) == [cases["d"], cases["b"]]
    assert '<option value="assigned" selected>' in page


@pytest.mark.parametrize("page_arg", ["abc", "-1", "0", "99999999999999999999", "3"])
def test_a_page_number_is_ignored_on_the_list_paged_by_position(cases, login_en, page_arg):
    resp = login_en("head").get(f"/cases/?page={page_arg}")
    assert resp.status_code == 200
    assert len(listed(text(resp))) == 4


def test_search_does_not_repeat_a_case_with_several_matching_petitions(world, db, login_en):
    case = create_case(
        world, petitioners=[person("Hồ Văn Trùng", "079000000011"), person("Hồ Thị Trùng", "079000000012")]
    )
    second = create_petition(world, petitioners=[person("Hồ Văn Trùng", "079000000011")])
    accept_petition(
        second, world.users["reception"], join_case=case, accepted_on=local_today(), expected_version=UNCHECKED
    )
    db.session.commit()
    assert len(case.petitions) == 2
    page = text(login_en("head").get("/cases/?q=trùng"))
    assert listed(page) == [case.number]
    assert "1 case found" in page
    page = text(login_en("head").get(f"/cases/?q={second.receipt_no}"))
    assert listed(page) == [case.number]


def _link(page: str, rel: str) -> str | None:
    m = re.search(rf'<a class="page-link" rel="{rel}" href="([^"#]+)"', page)
    return m.group(1).replace("&amp;", "&") if m else None


def test_list_pages_through_the_cases_by_position_and_keeps_the_filters(app, world, db, login_en, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    # Two cases accepted on the same day: the id breaks the tie, so none is skipped or shown twice.
    numbers = [create_case(world, received_on=days_ago(min(10 - i, 8))).number for i in range(5)]
    create_case(world, S.ASSIGNED, received_on=days_ago(1))  # filtered out below
    db.session.commit()
    newest_first = numbers[::-1]
    client = login_en("head")
    page = text(client.get("/cases/?state=accepted"))
    assert listed(page) == newest_first[:2]
    assert "5 cases found" in page
    assert _link(page, "prev") is None
    seen, pages = list(listed(page)), [page]
    while (next_link := _link(pages[-1], "next")) is not None:
        assert "state=accepted" in next_link and "after=" in next_link and "page=" not in next_link
        pages.append(text(client.get(next_link)))
        seen += listed(pages[-1])
    assert seen == newest_first and len(pages) == 3
    # Back from the last page, then from the middle one.
    middle = text(client.get(_link(pages[-1], "prev")))
    assert listed(middle) == newest_first[2:4]
    first = text(client.get(_link(middle, "prev")))
    assert listed(first) == newest_first[:2] and _link(first, "prev") is None


@pytest.mark.parametrize("cursor", ["after=garbage", "before=2026-02-30.1", "after=1.1", "after=" + "9" * 40])
def test_a_bad_page_link_shows_the_first_page_with_a_warning(cases, login_en, cursor):
    resp = login_en("head").get(f"/cases/?{cursor}")
    assert resp.status_code == 200
    assert listed(text(resp)) == [cases[k] for k in "dcba"]
    assert "That page link is not valid any more" in text(resp)


@pytest.mark.parametrize("cursor", ["1900-01-01.1", "1901-01-01.999999999999"])
def test_a_page_after_the_last_case_offers_the_way_back(cases, login_en, cursor):
    page = text(login_en("head").get(f"/cases/?after={cursor}"))
    assert listed(page) == [] and "No cases match" in page
    assert _link(page, "prev") is not None


def test_the_count_stops_at_the_cap(app, cases, login_en, monkeypatch):
    monkeypatch.setitem(app.config, "LIST_COUNT_CAP", 3)
    page = text(login_en("head").get("/cases/"))
    assert "More than 3 cases found" in page
    assert len(listed(page)) == 4  # the page itself is not capped
    assert "2 cases found" in text(login_en("head").get("/cases/?state=assigned"))


def test_the_list_runs_a_fixed_number_of_queries(world, db, login_en):
    client = login_en("head")
    create_case(world, S.ASSIGNED)
    create_case(world, S.ACCEPTED)
    db.session.commit()
    with count_queries() as few:
        assert client.get("/cases/").status_code == 200
    # Province-level officers may handle a commune's case; they are not among the commune's own officers
    # that the page loads for its filter, so only eager loading keeps their names from costing a query each.
    for i in range(3):
        officer = create_user(
            username=f"dn_handler{i}",
            full_name=f"Chuyên viên tỉnh {i}",
            unit=world.units["DN"],
            roles=[Role.HANDLER],
            password="correct-horse-77",
        )
        case = create_case(
            world, S.ACCEPTED, kind=PetitionKind.DENUNCIATION, petitioners=[person(f"Người {i}", f"07900000010{i}")]
        )
        perform(case, A.ASSIGN, world.users["head"], handler_id=officer.id, expected_version=UNCHECKED)
    db.session.commit()
    db.session.expunge_all()
    with count_queries() as many:
        page = text(client.get("/cases/"))
    assert len(listed(page)) == 5
    assert "Chuyên viên tỉnh 2" in page
    assert len(many) == len(few), many


def test_search_cases_loads_units_and_handlers_with_the_cases(world, db):
    for state in (S.ASSIGNED, S.RESOLVED, S.ACCEPTED):
        create_case(world, state)
    moved = create_case(world, S.ASSIGNED)
    perform(moved, A.ASSIGN, world.users["head"], handler_id=world.users["handler2"].id, expected_version=UNCHECKED)
    db.session.commit()
    head_id = world.users["head"].id
    db.session.expunge_all()
    head = db.session.get(User, head_id)
    with count_queries() as statements:
        found = page_of_cases(head, CaseFilters(), {}, per_page=25, cap=100).items
        shown = [
            (c.unit.code, c.handling_unit and c.handling_unit.code, c.handler and c.handler.full_name) for c in found
        ]
    assert len(shown) == 4 and ("TK", "TKVP", "Đỗ Thị Lý") in shown
    assert len(statements) <= 3, statements  # the count, the cases, and the officers' roles


# --- Visibility ----------------------------------------------------------------------------------------

#: Who sees a TK case assigned to the TK handler, and a TL case (unit subtree rule).
SEES_TK = {"admin", "phead", "inspector", "reception", "head", "handler"}
SEES_TL = {"admin", "phead", "inspector", "tl_reception", "tl_head", "tl_handler"}


@pytest.mark.parametrize("username", USERS)
def test_detail_is_visible_only_within_the_subtree(world, db, login_en, username):
    tk_case = create_case(world, S.ASSIGNED)
    tl_case = create_case(world, S.ASSIGNED, unit="TL")
    db.session.commit()
    client = login_en(username)
    assert client.get(f"/cases/{tk_case.id}").status_code == (200 if username in SEES_TK else 404)
    assert client.get(f"/cases/{tl_case.id}").status_code == (200 if username in SEES_TL else 404)
    expected = {c.number for c, seers in ((tk_case, SEES_TK), (tl_case, SEES_TL)) if username in seers}
    assert set(listed(text(client.get("/cases/")))) == expected


def test_handler2_sees_a_tk_case_only_while_it_is_assigned_to_them(world, db, login_en):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    client = login_en("handler2")
    assert client.get(f"/cases/{case.id}").status_code == 404
    perform(case, A.ASSIGN, world.users["head"], handler_id=world.users["handler2"].id, expected_version=UNCHECKED)
    db.session.commit()
    page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200
    assert action_forms(text(page)) == ["resolve", "withdraw"]
    assert listed(text(client.get("/cases/"))) == [case.number]
    perform(case, A.ASSIGN, world.users["head"], handler_id=world.users["handler"].id, expected_version=UNCHECKED)
    db.session.commit()
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert listed(text(client.get("/cases/"))) == []


def test_a_missing_case_is_404(world, login_en):
    assert login_en("admin").get("/cases/987654").status_code == 404


def test_anonymous_users_are_sent_to_login(world, client):
    resp = client.get("/cases/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


# --- The detail page -----------------------------------------------------------------------------------

#: The action forms each user gets on a TK case assigned to ``handler`` (those who see it).
FORMS_ON_ASSIGNED = {
    "head": ["assign", "suspend", "resolve", "withdraw", "terminate"],
    "phead": [],  # the provincial chairman reads the commune's case; its chairman decides it
    "handler": ["resolve", "withdraw"],
    "admin": [],
    "inspector": [],
    "reception": [],
}


@pytest.mark.parametrize("username", sorted(FORMS_ON_ASSIGNED))
def test_detail_offers_exactly_the_available_actions(world, db, login_en, username):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    page = text(login_en(username).get(f"/cases/{case.id}"))
    offered = action_forms(page)
    assert offered == FORMS_ON_ASSIGNED[username]
    assert offered == [a.value for a in case.available_actions(world.users[username])]
    for action in offered:
        form = re.search(rf'<form method="post" action="/cases/{case.id}/{action}".*?</form>', page, re.S).group(0)
        assert re.search(rf'name="version" type="hidden" value="{case.version}"', form)
        assert 'name="csrf_token"' in form
    if not offered:
        assert 'data-testid="case-actions"' not in page


def test_detail_shows_the_case_its_petitions_decision_and_enforcement(world, db, login_en):
    case = create_case(
        world, S.ENFORCED, petitioners=[person("Lý Thị Hoa", "079000000021"), person("Lý Văn Sơn", "079000000022")]
    )
    db.session.commit()
    page = text(login_en("head").get(f"/cases/{case.id}"))
    for expected in (
        case.number,
        "Complaint",
        "instance 1",
        'data-state="enforced"',
        "UBND xã Tân Khai",
        "Hoàng Văn Xử",
        "Normal",
        case.received_on.strftime("%d/%m/%Y"),
        case.accepted_on.strftime("%d/%m/%Y"),
        case.petitions[0].receipt_no,
        "Lý Thị Hoa, Lý Văn Sơn",
        "12/QĐ-UBND",
        "Complaint partly upheld",
        "Bồi thường bổ sung",
        "Đã chi trả bồi thường",
    ):
        assert expected in page, expected
    assert timeline(page) == ["open", "assign", "resolve", "enforce"]


def test_detail_links_each_petition_and_its_page_opens(world, db, login_en):
    case = create_case(world)
    second = create_petition(world, petitioners=[person("Mai Văn Hai", "079000000031")])
    accept_petition(
        second, world.users["reception"], join_case=case, accepted_on=local_today(), expected_version=UNCHECKED
    )
    db.session.commit()
    client = login_en("head")
    page = text(client.get(f"/cases/{case.id}"))
    for petition in case.petitions:
        link = f'<a href="/petitions/{petition.id}">{petition.receipt_no}</a>'
        assert link in page
        assert client.get(f"/petitions/{petition.id}").status_code == 200
    assert "Mai Văn Hai" in page
    assert timeline(page) == ["open", "join"]


def test_assign_without_a_complexity_keeps_the_case_complexity(world, db, login_en):
    case = create_case(world, S.ACCEPTED)
    perform(
        case,
        A.ASSIGN,
        world.users["head"],
        handler_id=world.users["handler"].id,
        complexity="complex",
        expected_version=UNCHECKED,
    )
    db.session.commit()
    client = login_en("head")
    url = f"/cases/{case.id}"
    resp = client.post(
        f"{url}/assign", {"handler_id": world.users["handler2"].id, "version": case.version}, token_from=url
    )
    follow(client, resp)
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert (stored.handler_id, stored.complexity) == (world.users["handler2"].id, Complexity.COMPLEX)


def test_detail_links_parent_and_child_cases(world, db, login_en):
    first = create_case(world, S.RESOLVED)
    db.session.commit()
    appeal = create_petition(world, summary="Khiếu nại lần hai")
    accept_petition(
        appeal,
        world.users["reception"],
        accepted_on=appeal.received_on,
        expected_version=UNCHECKED,
    )
    second = appeal.case
    second.instance, second.parent_case = 2, first
    db.session.commit()
    client = login_en("head")
    page = text(client.get(f"/cases/{second.id}"))
    assert re.search(rf'data-testid="parent-case">\s*<a href="/cases/{first.id}">{first.number}</a>', page)
    assert "instance 2" in page
    page = text(client.get(f"/cases/{first.id}"))
    assert f'<a href="/cases/{second.id}">{second.number}</a>' in page
    assert listed(text(client.get("/cases/?instance=2"))) == [second.number]


# --- The actions through the UI ------------------------------------------------------------------------


def test_the_timeline_has_one_entry_per_action_taken_in_the_ui(world, db, login_en):
    # Received long enough ago that the decision's appeal period (Law on Complaints art. 44) has passed
    # when the scheduler runs between the decision and its enforcement.
    case = create_case(world, S.ACCEPTED, received_on=TODAY - timedelta(80))
    decided_on = case.accepted_on + timedelta(1)
    db.session.commit()
    head, handler = login_en("head"), login_en("handler")
    url = f"/cases/{case.id}"
    steps = [
        (head, "assign", {"handler_id": world.users["handler"].id, "complexity": "normal"}),
        (head, "suspend", {"note": "Chờ giám định", **SUSPEND_FORM}),
        (head, "resume", {}),
        (
            handler,
            "resolve",
            {
                "decision_no": "7/QĐ-UBND",
                "decision_on": decided_on.isoformat(),
                "outcome": "upheld",
                "enforcement": "required",
                "enforcement_required": "Trả lại đất",
            },
        ),
        (handler, "enforce", {"enforced_on": TODAY.isoformat(), "enforcement_result": "Đã trả đất"}),
        (head, "close", {"note": "Hoàn thành"}),
    ]
    for client, action, data in steps:
        if action == "enforce":
            mark_legally_effective(utcnow())
            db.session.commit()
        version = db.session.get(Case, case.id).version
        resp = client.post(f"{url}/{action}", dict(data, version=version), token_from=url)
        page = text(follow(client, resp))
        assert "was recorded on case" in page, page
        db.session.expire_all()
    page = text(head.get(url))
    assert timeline(page) == ["open", "assign", "suspend", "resume", "resolve", "enforce", "close"]
    assert "Suspended → Assigned, being verified" in page
    assert "Chờ giám định" in page and "Hoàn thành" in page
    assert action_forms(page) == []
    assert case_state(case.id)[0] is S.CLOSED


@pytest.mark.parametrize(
    "action, source, actor, data, check",
    [
        (
            "assign",
            S.ACCEPTED,
            "head",
            {"handler_id": "@handler2", "complexity": "especially_complex", "note": "Gấp"},
            lambda c, w: (
                (c.state, c.handler_id, c.complexity.value)
                == (S.ASSIGNED, w.users["handler2"].id, "especially_complex")
            ),
        ),
        (
            "suspend",
            S.ASSIGNED,
            "head",
            {"note": "Chờ kết quả giám định", "suspension_decision_no": "07/QĐ-UBND", "suspended_on": "@today"},
            lambda c, w: (
                (c.state, c.suspension_decision_no, c.suspended_on, c.events[-1].note)
                == (S.SUSPENDED, "07/QĐ-UBND", TODAY, f"07/QĐ-UBND ({TODAY:%d/%m/%Y}): Chờ kết quả giám định")
            ),
        ),
        ("resume", S.SUSPENDED, "head", {}, lambda c, w: c.state is S.ASSIGNED),
        (
            "resolve",
            S.ASSIGNED,
            "handler",
            {
                "decision_no": "9/QĐ-UBND",
                "decision_on": "@today",
                "outcome": "rejected",
                "decision_summary": "Bác đơn",
                "enforcement": "none",
                "enforcement_required": "",
                "enforcement_due_on": "",
            },
            lambda c, w: (
                (c.state, c.decision_no, c.decision_on, c.outcome.value, c.enforcement_required)
                == (S.RESOLVED, "9/QĐ-UBND", TODAY, "rejected", None)
            ),
        ),
        (
            "enforce",
            S.RESOLVED,
            "handler",
            {"enforced_on": "@today", "enforcement_result": "Đã bồi thường"},
            lambda c, w: (c.state, c.enforced_on, c.enforcement_result) == (S.ENFORCED, TODAY, "Đã bồi thường"),
        ),
        ("close", S.ENFORCED, "handler", {}, lambda c, w: c.state is S.CLOSED and c.closed_at is not None),
        ("withdraw", S.ACCEPTED, "head", {"note": "Công dân rút đơn"}, lambda c, w: c.state is S.WITHDRAWN),
        ("terminate", S.SUSPENDED, "head", {"note": "Người khiếu nại chết"}, lambda c, w: c.state is S.TERMINATED),
    ],
)
def test_each_action_form_works(world, db, login_en, action, source, actor, data, check):
    case = create_case(world, source, effective=action in ("enforce", "close"))
    db.session.commit()
    client = login_en(actor)
    url = f"/cases/{case.id}"
    data = {
        k: (
            world.users[v[1:]].id
            if isinstance(v, str) and v[1:] in world.users
            else TODAY.isoformat()
            if v == "@today"
            else v
        )
        for k, v in data.items()
    }
    resp = client.post(f"{url}/{action}", dict(data, version=case.version), token_from=url)
    page = text(follow(client, resp))
    assert f"“{CaseAction(action).label}” was recorded on case {case.number}." in page
    db.session.expire_all()
    stored = db.session.get(Case, case.id)
    assert check(stored, world)
    assert stored.events[-1].action == action and stored.events[-1].actor_id == world.users[actor].id
    assert timeline(page)[-1] == action


@pytest.mark.parametrize(
    "action, source, actor, data, message",
    [
        ("assign", S.ACCEPTED, "head", {"handler_id": "0"}, "Choose the handling officer."),
        ("assign", S.ACCEPTED, "head", {"handler_id": "@tl_handler"}, "Choose the handling officer."),
        ("assign", S.ACCEPTED, "head", {"handler_id": "abc"}, "Choose the handling officer."),
        ("assign", S.ACCEPTED, "head", {"handler_id": "@handler", "complexity": "extreme"}, "Not a valid choice"),
        ("suspend", S.ASSIGNED, "head", {"note": "   "}, "Write the reason."),
        ("withdraw", S.ASSIGNED, "handler", {}, "Write the reason."),
        ("terminate", S.ASSIGNED, "head", {"note": "x" * 2001}, "2000"),
        (
            "resolve",
            S.ASSIGNED,
            "handler",
            {"decision_on": "@today", "outcome": "rejected"},
            "Enter the decision number.",
        ),
        ("resolve", S.ASSIGNED, "handler", {"decision_no": "1/QĐ", "outcome": "rejected"}, "Enter the decision date."),
        (
            "resolve",
            S.ASSIGNED,
            "handler",
            {"decision_no": "1/QĐ", "decision_on": "31/02/2026", "outcome": "rejected"},
            "Enter the decision date.",
        ),
        ("resolve", S.ASSIGNED, "handler", {"decision_no": "1/QĐ", "decision_on": "@today"}, "Choose the outcome."),
        (
            "resolve",
            S.ASSIGNED,
            "handler",
            {"decision_no": "1/QĐ", "decision_on": "@today", "outcome": "true"},
            "Not a valid choice",
        ),
        (
            "resolve",
            S.ASSIGNED,
            "handler",
            {"decision_no": "1/QĐ", "decision_on": "@future", "outcome": "rejected"},
            "The decision date cannot be in the future.",
        ),
        (
            "resolve",
            S.ASSIGNED,
            "handler",
            {"decision_no": "1/QĐ", "decision_on": "@long_ago", "outcome": "rejected"},
            "The decision date cannot be before the case was accepted.",
        ),
        (
            "resolve",
            S.ASSIGNED,
            "handler",
            {"decision_no": "1/QĐ", "decision_on": "@today", "outcome": "rejected", "enforcement_due_on": "@long_ago"},
            "The enforcement deadline cannot be before the decision date.",
        ),
        ("enforce", S.RESOLVED, "handler", {"enforcement_result": "Xong"}, "Enter the date enforcement was completed."),
        ("enforce", S.RESOLVED, "handler", {"enforced_on": "@today"}, "Describe the result of enforcement."),
        (
            "enforce",
            S.RESOLVED,
            "handler",
            {"enforced_on": "@long_ago", "enforcement_result": "Xong"},
            "Enforcement cannot be completed before the decision date.",
        ),
        (
            "enforce",
            S.RESOLVED,
            "handler",
            {"enforced_on": "@future", "enforcement_result": "Xong"},
            "The enforcement date cannot be in the future.",
        ),
    ],
)
def test_bad_input_rerenders_the_form_and_changes_nothing(world, db, login_en, action, source, actor, data, message):
    case = create_case(world, source, effective=action in ("enforce", "close"))
    db.session.commit()
    before = case_state(case.id)
    client = login_en(actor)
    url = f"/cases/{case.id}"
    special = {
        "@today": TODAY.isoformat(),
        "@future": (TODAY + timedelta(3)).isoformat(),
        "@long_ago": days_ago(400).isoformat(),
    }
    data = {
        k: (special[v] if v in special else world.users[v[1:]].id if v.startswith("@") else v) for k, v in data.items()
    }
    resp = client.post(f"{url}/{action}", dict(data, version=before[1]), token_from=url)
    assert resp.status_code == 422
    page = text(resp)
    assert 'data-testid="form-errors"' in page
    form = re.search(rf'<details class="card mb-2" data-action="{action}" open>.*?</details>', page, re.S)
    assert form, "the failed form is not shown open"
    assert message in form.group(0)
    assert 'class="invalid-feedback d-block"' in form.group(0)
    assert case_state(case.id) == before


def test_bad_input_keeps_what_the_user_typed(world, db, login_en):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    client = login_en("handler")
    url = f"/cases/{case.id}"
    resp = client.post(
        f"{url}/resolve",
        {
            "decision_no": "88/QĐ-UBND",
            "decision_on": "",
            "outcome": "upheld",
            "decision_summary": "Chấp nhận khiếu nại",
            "version": case.version,
        },
        token_from=url,
    )
    page = text(resp)
    assert resp.status_code == 422
    assert 'value="88/QĐ-UBND"' in page and "Chấp nhận khiếu nại" in page
    assert re.search(r'<option selected value="upheld">|<option value="upheld" selected>', page)


def test_unknown_action_is_404_and_get_is_405(world, db, login_en):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    client = login_en("head")
    url = f"/cases/{case.id}"
    assert client.post(f"{url}/explode", {"version": case.version}, token_from=url).status_code == 404
    assert client.post(f"{url}/open", {"version": case.version}, token_from=url).status_code == 404
    assert client.get(f"{url}/suspend").status_code == 405
    assert client.get(f"{url}/explode").status_code == 405
    assert client.post("/cases/987654/suspend", {"note": "x", "version": 1}, token_from=url).status_code == 404


def test_posting_without_csrf_is_refused(world, db, login_en):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    before = case_state(case.id)
    resp = login_en("head").client.post(f"/cases/{case.id}/suspend", data={"note": "x", "version": case.version})
    assert resp.status_code == 400
    assert case_state(case.id) == before


def test_acting_on_an_invisible_case_is_404(world, db, login_en):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    before = case_state(case.id)
    client = login_en("tl_head")
    resp = client.post(f"/cases/{case.id}/suspend", {"note": "x", "version": case.version}, token_from="/cases/")
    assert resp.status_code == 404
    assert case_state(case.id) == before


@pytest.mark.parametrize(
    "username, action, data",
    [
        ("inspector", "assign", {"handler_id": "@handler2"}),
        ("inspector", "resolve", {"decision_no": "1/QĐ", "decision_on": "@today", "outcome": "rejected"}),
        ("admin", "suspend", {"note": "Thử"}),
        ("reception", "withdraw", {"note": "Thử"}),
        ("handler", "terminate", {"note": "Thử"}),
    ],
)
def test_users_without_the_right_are_refused_on_post(world, db, login_en, username, action, data):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    before = case_state(case.id)
    client = login_en(username)
    url = f"/cases/{case.id}"
    page = text(client.get(url))
    assert action_forms(page) == FORMS_ON_ASSIGNED[username]
    data = {
        k: (
            world.users[v[1:]].id
            if v.startswith("@") and v[1:] in world.users
            else TODAY.isoformat()
            if v == "@today"
            else v
        )
        for k, v in data.items()
    }
    resp = client.post(f"{url}/{action}", dict(data, version=case.version), token_from=url)
    page = text(follow(client, resp))
    assert f"You are not allowed to “{CaseAction(action).label}” this case." in page
    assert case_state(case.id) == before


def test_an_action_not_possible_in_this_state_is_refused(world, db, login_en):
    case = create_case(world, S.ACCEPTED)
    db.session.commit()
    before = case_state(case.id)
    client = login_en("head")
    url = f"/cases/{case.id}"
    resp = client.post(f"{url}/suspend", {"note": "x", "version": case.version}, token_from=url)
    page = text(follow(client, resp))
    assert "“Suspend” is not possible while the case is “Accepted, awaiting assignment”." in page
    assert case_state(case.id) == before


def test_a_stale_form_is_refused(world, db, login_en):
    case = create_case(world, S.ASSIGNED)
    db.session.commit()
    client = login_en("head")
    url = f"/cases/{case.id}"
    stale = case.version
    resp = client.post(
        f"{url}/assign",
        {"handler_id": world.users["handler2"].id, "complexity": "complex", "version": stale},
        token_from=url,
    )
    follow(client, resp)
    before = case_state(case.id)
    assert before[2] == world.users["handler2"].id
    resp = client.post(
        f"{url}/assign",
        {"handler_id": world.users["handler"].id, "complexity": "normal", "version": stale},
        token_from=url,
    )
    page = text(follow(client, resp))
    assert "Someone else changed this record after you opened it." in page
    assert case_state(case.id) == before


def test_close_while_awaiting_enforcement_is_not_offered_nor_accepted(world, db, login_en):
    case = create_case(world, S.RESOLVED, enforcement_required="Thu hồi đất", effective=True)
    db.session.commit()
    before = case_state(case.id)
    client = login_en("head")
    url = f"/cases/{case.id}"
    assert action_forms(text(client.get(url))) == ["enforce"]
    resp = client.post(f"{url}/close", {"version": case.version}, token_from=url)
    assert "Record the enforcement of the decision before closing the case." in text(follow(client, resp))
    assert case_state(case.id) == before


def test_the_timeline_shows_no_change_of_state_where_there_was_none(world, db, login_en):
    case = create_case(world, S.ACCEPTED)
    db.session.commit()
    head = login_en("head")
    url = f"/cases/{case.id}"
    for handler in ("handler", "handler2"):  # assigned, then handed to another officer: still assigned
        version = db.session.get(Case, case.id).version
        data = {"handler_id": world.users[handler].id, "complexity": "normal", "version": version}
        head.post(f"{url}/assign", data, token_from=url)
        db.session.expire_all()
    page = text(head.get(url))
    timeline_html = page[page.index('data-testid="timeline"') :]
    entries = re.findall(r'<li data-action="assign">.*?</li>', timeline_html, re.S)
    assert len(entries) == 2
    # The first assignment changed the state; the reassignment did not: no "Assigned → Assigned".
    assert sum("→" in e for e in entries) == 1
