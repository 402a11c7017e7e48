"""The deadline screens: the case and petition panels, the extension and notice forms, the caseload's
deadline counts and attention list, and the case list's deadline and flag filters.

Most situations use dates in 2024 whose due dates were counted by hand from the law's rules (the day a
clock starts is not counted; working days skip the 27 April - 1 May 2024 holidays and count the make-up
Saturday 4 May 2024), so the pages are checked against independent expectations.
"""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.cases.models import Case, CaseAction, CaseEvent, CaseState
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today, utcnow
from app.deadlines.calendar import load_calendar
from app.deadlines.clocks import clock_of, extend_resolution, start_enforcement
from app.deadlines.models import Clock, ClockStatus, Extension, Stage
from app.extensions import db
from app.flags.models import Flag, FlagKind
from app.petitions.models import PetitionKind
from tests.cases.helpers import follow, listed, text, timeline
from tests.conftest import count_queries
from tests.factories import create_case, create_petition, person

A, S = CaseAction, CaseState
TODAY = local_today()
RECEIVED, ACCEPTED = date(2024, 4, 25), date(2024, 5, 20)  # a Thursday; a Monday
#: Due dates of a denunciation received on RECEIVED and accepted on ACCEPTED, counted by hand.
FIRST_ANSWER_DUE = date(2024, 5, 13)  # 10 working days
CLASSIFICATION_DUE = date(2024, 5, 6)  # 10 days end on Sunday 5 May: the next working day
ACCEPTANCE_DUE = date(2024, 5, 8)  # 7 working days (the worked example of the counting rules)
NOTICE_DUE = date(2024, 5, 27)  # 5 working days from acceptance
RESOLUTION_DUE = date(2024, 6, 19)  # 30 days from acceptance


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def denunciation(
    world,
    *,
    unit="TK",
    complexity=None,
    assign=True,
    summary="Tố cáo cán bộ địa chính",
    received=RECEIVED,
    accepted=ACCEPTED,
    citizen_id="079000000101",
):
    """A denunciation case accepted on ``accepted`` (and assigned, with ``complexity``)."""
    reception, head, handler = (
        ("reception", "head", "handler") if unit == "TK" else ("tl_reception", "tl_head", "tl_handler")
    )
    petition = create_petition(
        world,
        unit=unit,
        actor=reception,
        kind=PetitionKind.DENUNCIATION,
        received_on=received,
        summary=summary,
        petitioners=[person("Lê Văn Tố", citizen_id)],
    )
    accept_petition(petition, world.users[reception], accepted_on=accepted, expected_version=UNCHECKED)
    case = petition.case
    if assign:
        perform(
            case,
            A.ASSIGN,
            world.users[head],
            handler_id=world.users[handler].id,
            complexity=complexity,
            expected_version=UNCHECKED,
        )
    return case


def squash(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def panel(page: str) -> list[tuple[str, str, str]]:
    """(stage, status, text) of each row of the deadlines panel, in order."""
    m = re.search(r'<table[^>]*data-testid="deadlines">(.*?)</table>', page, re.S)
    assert m, "no deadlines panel on the page"
    return [
        (stage, status, squash(body))
        for stage, status, body in re.findall(
            r'<tr data-stage="([^"]+)" data-status="([^"]+)"[^>]*>(.*?)</tr>', m.group(1), re.S
        )
    ]


def row(page: str, stage: str) -> tuple[str, str]:
    """(status, text) of the panel row of ``stage``."""
    found = [(status, body) for s, status, body in panel(page) if s == stage]
    assert len(found) == 1, (stage, panel(page))
    return found[0]


def deadline_actions(page: str) -> list[str]:
    return re.findall(r'data-deadline-action="([^"]+)"', page)


def snapshot(case_id: int) -> tuple:
    """What a refused deadline action must not change."""
    db.session.rollback()
    db.session.expire_all()
    clocks = db.session.execute(
        select(Clock.stage, Clock.status, Clock.due_on, Clock.completed_on)
        .where(Clock.case_id == case_id)
        .order_by(Clock.id)
    ).all()
    extensions = db.session.scalar(
        select(func.count())
        .select_from(Extension)
        .join(Clock, Clock.id == Extension.clock_id)
        .where(Clock.case_id == case_id)
    )
    events = db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
    return clocks, extensions, events, db.session.get(Case, case_id).version


# --- The case page's deadline panel --------------------------------------------------------------------


@pytest.mark.parametrize("username", ["handler", "head", "inspector"])
def test_the_case_page_lists_every_clock_with_its_legal_basis_and_status(world, db, login_en, username):
    case = denunciation(world)
    db.session.commit()
    page = text(login_en(username).get(f"/cases/{case.id}"))
    receipt = case.petitions[0].receipt_no
    rows = panel(page)
    assert [(s, st) for s, st, _ in rows] == [
        ("first_answer", "done_late"),
        ("classification", "done_late"),
        ("acceptance", "done_late"),
        ("notify_acceptance", "overdue"),
        ("resolution", "overdue"),
    ]
    expected = {
        "first_answer": [
            f"Petition {receipt}",
            d(RECEIVED),
            d(FIRST_ANSWER_DUE),
            "10 working days",
            "Luật Tiếp công dân 2013, Điều 28",
            f"on {d(ACCEPTED)}, 7 days late",
        ],
        "classification": [
            f"Petition {receipt}",
            d(CLASSIFICATION_DUE),
            "10 days",
            "Thông tư 05/2021/TT-TTCP",
            "to be verified",
            "14 days late",
        ],
        "acceptance": [d(ACCEPTANCE_DUE), "7 working days", "Luật Tố cáo 2018, Điều 24, 29", "12 days late"],
        "notify_acceptance": [
            d(ACCEPTED),
            d(NOTICE_DUE),
            "5 working days",
            "Luật Tố cáo 2018, Điều 29",
            f"Overdue by {(TODAY - NOTICE_DUE).days} days",
        ],
        "resolution": [
            d(ACCEPTED),
            d(RESOLUTION_DUE),
            "30 days",
            "Luật Tố cáo 2018, Điều 30",
            f"Overdue by {(TODAY - RESOLUTION_DUE).days} days",
        ],
    }
    for stage, _status, body in rows:
        for snippet in expected[stage]:
            assert snippet in body, (stage, snippet, body)
        assert ("to be verified" in body) is (stage == "classification")
    assert re.search(r'<tr data-stage="resolution" data-status="overdue" class="table-danger">', page)
    # Derived from the stored clocks: no scheduler ran, no flag exists.
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 0


def test_a_running_clock_shows_the_days_left(world, db, login_en):
    case = create_case(world, kind=PetitionKind.COMPLAINT, received_on=ago(2))
    db.session.commit()
    due = clock_of(case, Stage.RESOLUTION).due_on
    status, body = row(text(login_en("handler").get(f"/cases/{case.id}")), "resolution")
    assert status == "running"
    assert f"{(due - TODAY).days} days left" in body and "30 working days" in body
    assert "Luật Khiếu nại 2011, Điều 28" in body


def test_a_clock_due_within_the_threshold_is_due_soon(world, db, login_en):
    # 30 days from acceptance 29 days ago: due tomorrow, or on the first working day after it.
    case = create_case(world, kind=PetitionKind.RECOMMENDATION, received_on=ago(30))
    db.session.commit()
    due = clock_of(case, Stage.RESOLUTION).due_on
    status, body = row(text(login_en("head").get(f"/cases/{case.id}")), "resolution")
    assert status == "due_soon"
    assert "Due soon" in body and f"{(due - TODAY).days} day" in body


def test_the_due_soon_threshold_is_configurable(app, world, db, login_en, monkeypatch):
    case = create_case(world, kind=PetitionKind.COMPLAINT, received_on=ago(2))
    db.session.commit()
    client = login_en("head")
    assert row(text(client.get(f"/cases/{case.id}")), "resolution")[0] == "running"
    monkeypatch.setitem(app.config, "DUE_SOON_WORKING_DAYS", 40)
    page = text(client.get(f"/cases/{case.id}"))
    assert row(page, "resolution")[0] == "due_soon"
    assert "Due soon: due within 40 working days." in page


def test_suspension_shows_on_the_panel_and_resuming_moves_the_due_date(world, db, login_en):
    case = denunciation(world)
    suspended_on = date(2024, 6, 10)
    perform(
        case,
        A.SUSPEND,
        world.users["head"],
        note="Chờ kết quả giám định",
        suspension_decision_no="07/QĐ-UBND",
        suspended_on=suspended_on,
        today=suspended_on,
        expected_version=UNCHECKED,
    )
    db.session.commit()
    client = login_en("head")
    url = f"/cases/{case.id}"
    page = text(client.get(url))
    status, body = row(page, "resolution")
    assert status == "suspended"
    assert "Suspended" in body and f"since {d(suspended_on)}" in body and d(RESOLUTION_DUE) in body
    assert row(page, "notify_acceptance")[0] == "suspended"

    resp = client.post(f"/cases/{case.id}/resume", {"version": case.version, "note": ""}, token_from=url)
    page = text(follow(client, resp))
    lost = (TODAY - suspended_on).days
    moved = load_calendar().next_working_day(RESOLUTION_DUE + timedelta(days=lost))
    status, body = row(page, "resolution")
    assert status not in ("suspended", "overdue")
    assert d(moved) in body and d(RESOLUTION_DUE) not in body
    assert f"Suspended for {lost} days" in body


def test_a_fixed_due_date_is_said_to_be_set_by_the_decision_and_legal_effect_is_shown(world, db, login_en):
    case = create_case(world, S.ASSIGNED, kind=PetitionKind.COMPLAINT, received_on=RECEIVED)
    perform(
        case,
        A.RESOLVE,
        world.users["handler"],
        decision_no="15/QĐ-UBND",
        decision_on=date(2024, 6, 10),
        outcome="partly_upheld",
        enforcement_required="Bồi thường bổ sung",
        enforcement_due_on=date(2024, 9, 30),
        expected_version=UNCHECKED,
    )
    effective = date(2024, 7, 23)
    case.legally_effective_on = effective  # what the scheduler's legal-effect job records
    start_enforcement(case, effective)
    db.session.commit()
    page = text(login_en("handler").get(f"/cases/{case.id}"))
    status, body = row(page, "enforcement")
    assert status == "overdue"
    assert "Set by the decision" in body and "30/09/2024" in body
    assert f"The decision took legal effect on {d(effective)}." in page
    # The appeal period is the citizen's: once it has passed it is over, not overdue.
    status, body = row(page, "legal_effect")
    assert status == "period_over" and "Period ended" in body and "Overdue" not in body


def test_the_petition_page_shows_its_clocks(world, db, login_en):
    petition = create_petition(world, received_on=RECEIVED)
    db.session.commit()
    page = text(login_en("reception").get(f"/petitions/{petition.id}"))
    rows = panel(page)
    assert [(s, st) for s, st, _ in rows] == [
        ("first_answer", "overdue"),
        ("classification", "overdue"),
        ("acceptance", "overdue"),
    ]
    first, classification, acceptance = (body for _, _, body in rows)
    assert d(FIRST_ANSWER_DUE) in first and "Luật Tiếp công dân 2013, Điều 28" in first
    assert f"Overdue by {(TODAY - FIRST_ANSWER_DUE).days} days" in first
    assert "to be verified" in classification
    assert "13/05/2024" in acceptance and "Luật Khiếu nại 2011, Điều 27" in acceptance


# --- Extending the resolution period -------------------------------------------------------------------


@pytest.mark.parametrize(
    "username, complexity, offered",
    [
        ("head", "complex", True),
        ("phead", "especially_complex", True),
        ("head", None, False),
        ("handler", "complex", False),
        ("inspector", "complex", False),
        ("admin", "complex", False),
    ],
)
def test_the_extension_form_is_offered_to_heads_when_the_rule_allows_it(
    world, db, login_en, username, complexity, offered
):
    case = denunciation(world, complexity=complexity)
    db.session.commit()
    page = text(login_en(username).get(f"/cases/{case.id}"))
    assert ("extend" in deadline_actions(page)) is offered
    if offered:
        form = re.search(r'<form method="post" action="/cases/\d+/extend".*?</form>', page, re.S).group(0)
        assert 'name="csrf_token"' in form and f'name="version" type="hidden" value="{case.version}"' in form
        assert re.search(r'name="days"[^>]*value="30"', form)


def test_the_extension_form_is_not_offered_on_a_complaint(world, db, login_en):
    case = create_case(world, S.ASSIGNED, kind=PetitionKind.COMPLAINT)
    db.session.commit()
    assert "extend" not in deadline_actions(text(login_en("head").get(f"/cases/{case.id}")))


def test_a_head_extends_the_resolution_period_of_a_complex_denunciation(world, db, login_en):
    case = denunciation(world, complexity="complex")
    db.session.commit()
    client = login_en("head")
    url = f"/cases/{case.id}"
    resp = client.post(
        f"{url}/extend",
        {"version": case.version, "decision_no": "05/QĐ-UBND", "decided_on": "2024-06-15", "days": ""},
        token_from=url,
    )
    page = text(follow(client, resp))
    after = RESOLUTION_DUE + timedelta(days=30)
    assert after == date(2024, 7, 19)
    assert f"was extended to {d(after)}" in page
    status, body = row(page, "resolution")
    assert d(after) in body
    assert f"Extended by decision 05/QĐ-UBND of 15/06/2024: {d(RESOLUTION_DUE)} → {d(after)} (30 days)" in body
    assert timeline(page)[-1] == "extend" and "Resolution period extended" in page
    assert "extend" not in deadline_actions(page)  # a complex case is extended once only
    clock = clock_of(case, Stage.RESOLUTION)
    assert clock.due_on == after and [(e.decision_no, e.days) for e in clock.extensions] == [("05/QĐ-UBND", 30)]


def test_an_especially_complex_denunciation_is_extended_twice_and_a_resubmission_is_refused(world, db, login_en):
    case = denunciation(world, complexity="especially_complex")
    db.session.commit()
    client = login_en("head")
    url = f"/cases/{case.id}"
    form = {"version": case.version, "decision_no": "05/QĐ-UBND", "decided_on": "2024-06-15", "days": "30"}
    follow(client, client.post(f"{url}/extend", form, token_from=url))
    before = snapshot(case.id)
    page = text(follow(client, client.post(f"{url}/extend", form, token_from=url)))  # the same form again
    assert "Someone else changed this record" in page
    assert snapshot(case.id) == before
    db.session.expire_all()
    form = dict(
        form,
        version=db.session.get(Case, case.id).version,
        decision_no="09/QĐ-UBND",
        decided_on="2024-07-15",
        days="20",
    )
    page = text(follow(client, client.post(f"{url}/extend", form, token_from=url)))
    second = date(2024, 7, 19) + timedelta(days=20)
    assert f"was extended to {d(second)}" in page
    assert "extend" not in deadline_actions(page)


def _two_extensions(world, case):
    for number, day in (("05/QĐ-UBND", date(2024, 6, 15)), ("09/QĐ-UBND", date(2024, 7, 15))):
        extend_resolution(
            case,
            world.users["head"],
            decision_no=number,
            decided_on=day,
            today=local_today(),
            expected_version=UNCHECKED,
        )


#: name -> (complexity, user, form changes, status, message shown)
REFUSALS = {
    "normal complexity": (None, "head", {}, 302, "The law allows no (further) extension for this case."),
    "third extension": ("especially_complex", "head", {}, 302, "The law allows no (further) extension for this case."),
    "handling officer": ("complex", "handler", {}, 302, "Only the head of the unit can extend the resolution period."),
    "inspector": ("complex", "inspector", {}, 302, "Only the head of the unit can extend the resolution period."),
    "date in the future": (
        "complex",
        "head",
        {"decided_on": "{tomorrow}"},
        422,
        "The extension decision date must lie between acceptance and today.",
    ),
    "date before acceptance": (
        "complex",
        "head",
        {"decided_on": "2024-05-19"},
        422,
        "The extension decision date must lie between acceptance and today.",
    ),
    "not a date": ("complex", "head", {"decided_on": "31/02/2024"}, 422, "Enter the date of the extension decision."),
    "missing number": ("complex", "head", {"decision_no": "  "}, 422, "Enter the number of the extension decision."),
    "too many days": ("complex", "head", {"days": "31"}, 422, "Enter a whole number from 1 to 30."),
    "zero days": ("complex", "head", {"days": "0"}, 422, "Enter a whole number from 1 to 30."),
    "stale form": ("complex", "head", {"version": "{stale}"}, 302, "Someone else changed this record"),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_refused_extension_changes_nothing(world, db, login_en, name):
    complexity, username, changes, status, message = REFUSALS[name]
    case = denunciation(world, complexity=complexity)
    if name == "third extension":
        _two_extensions(world, case)
    db.session.commit()
    before = snapshot(case.id)
    client = login_en(username)
    url = f"/cases/{case.id}"
    form = {"version": str(case.version), "decision_no": "05/QĐ-UBND", "decided_on": "2024-06-15", "days": "30"}
    values = {"tomorrow": (TODAY + timedelta(days=1)).isoformat(), "stale": str(case.version - 1)}
    form.update({k: v.format(**values) for k, v in changes.items()})
    resp = client.post(f"{url}/extend", form, token_from=url)
    assert resp.status_code == status
    page = text(follow(client, resp) if status == 302 else resp)
    assert message in page
    if status == 422:
        assert 'data-deadline-action="extend" open' in page
    assert snapshot(case.id) == before


@pytest.mark.parametrize("username", ["tl_head", "handler2", "tl_handler"])
def test_extending_a_case_outside_ones_units_is_404(world, db, login_en, username):
    case = denunciation(world, complexity="complex")
    db.session.commit()
    before = snapshot(case.id)
    client = login_en(username)
    resp = client.post(
        f"/cases/{case.id}/extend",
        {"version": case.version, "decision_no": "1/QĐ", "decided_on": "2024-06-15"},
        token_from="/cases/",
    )
    assert resp.status_code == 404
    resp = client.post(
        f"/cases/{case.id}/notice", {"version": case.version, "sent_on": "2024-05-24"}, token_from="/cases/"
    )
    assert resp.status_code == 404
    assert snapshot(case.id) == before


def test_an_extension_without_csrf_token_is_refused(world, db, login_en):
    case = denunciation(world, complexity="complex")
    db.session.commit()
    before = snapshot(case.id)
    resp = login_en("head").client.post(
        f"/cases/{case.id}/extend",
        data={"version": case.version, "decision_no": "05/QĐ-UBND", "decided_on": "2024-06-15"},
    )
    assert resp.status_code == 400
    assert snapshot(case.id) == before


# --- Recording the notice to the denunciator -----------------------------------------------------------


def test_the_handler_records_the_notice_to_the_denunciator(world, db, login_en):
    case = denunciation(world)
    db.session.commit()
    client = login_en("handler")
    url = f"/cases/{case.id}"
    page = text(client.get(url))
    assert deadline_actions(page) == ["notice"]
    form = re.search(r'<form method="post" action="/cases/\d+/notice".*?</form>', page, re.S).group(0)
    assert re.search(rf'name="sent_on"[^>]*type="text" value="{TODAY:%d/%m/%Y}"', form)  # today by default
    resp = client.post(f"{url}/notice", {"version": case.version, "sent_on": "2024-05-24"}, token_from=url)
    page = text(follow(client, resp))
    assert "The notice of acceptance to the denunciator was recorded" in page
    status, body = row(page, "notify_acceptance")
    assert status == "done" and "on 24/05/2024, on time" in body
    assert timeline(page)[-1] == "notice"
    assert deadline_actions(page) == []
    clock = clock_of(case, Stage.NOTIFY_ACCEPTANCE)
    assert (clock.status, clock.completed_on) == (ClockStatus.DONE, date(2024, 5, 24))


@pytest.mark.parametrize(
    "username, sent_on, status, message",
    [
        ("handler", "{tomorrow}", 422, "The notice date must lie between the start of the period and today."),
        ("handler", "2024-05-19", 422, "The notice date must lie between the start of the period and today."),
        ("handler", "", 422, "Enter the date the notice was sent."),
        ("head", "31/02/2024", 422, "Enter the date the notice was sent."),  # no such day
        ("inspector", "2024-05-24", 302, "You cannot record notices on this case."),
        ("reception", "2024-05-24", 302, "You cannot record notices on this case."),
    ],
)
def test_a_refused_notice_changes_nothing(world, db, login_en, username, sent_on, status, message):
    case = denunciation(world)
    db.session.commit()
    before = snapshot(case.id)
    client = login_en(username)
    url = f"/cases/{case.id}"
    resp = client.post(
        f"{url}/notice",
        {"version": case.version, "sent_on": sent_on.format(tomorrow=TODAY + timedelta(days=1))},
        token_from=url,
    )
    assert resp.status_code == status
    assert message in text(follow(client, resp) if status == 302 else resp)
    assert snapshot(case.id) == before


def test_no_notice_form_without_an_open_notice_period(world, db, login_en):
    complaint = create_case(world, S.ASSIGNED, kind=PetitionKind.COMPLAINT)
    db.session.commit()
    client = login_en("handler")
    url = f"/cases/{complaint.id}"
    assert deadline_actions(text(client.get(url))) == []
    resp = client.post(f"{url}/notice", {"version": complaint.version, "sent_on": TODAY.isoformat()}, token_from=url)
    assert "There is no open notice period to record." in text(follow(client, resp))


# --- The caseload: counts and the attention list --------------------------------------------------------


@pytest.fixture
def urgent(world, db):
    """TK: a denunciation overdue since May 2024 (handler), a complaint overdue since July 2024 (handler2),
    a recommendation due tomorrow or the next working day (unassigned), a complaint accepted yesterday
    (not urgent); TL: an overdue denunciation."""
    c = {
        "old": denunciation(world, summary="Tố cáo quá hạn"),
        "late": create_case(
            world,
            S.ASSIGNED,
            kind=PetitionKind.COMPLAINT,
            received_on=date(2024, 6, 3),
            summary="Khiếu nại quá hạn",
            petitioners=[person("Trần Văn Trễ", "079000000102")],
        ),
        "soon": create_case(
            world,
            kind=PetitionKind.RECOMMENDATION,
            received_on=ago(30),
            summary="Kiến nghị sắp đến hạn",
            petitioners=[person("Lê Thị Gấp", "079000000103")],
        ),
        "calm": create_case(
            world,
            S.ASSIGNED,
            kind=PetitionKind.COMPLAINT,
            received_on=ago(2),
            summary="Khiếu nại mới",
            petitioners=[person("Phạm Văn Mới", "079000000104")],
        ),
        "tl": denunciation(world, unit="TL", summary="Tố cáo ở Thanh Lương", citizen_id="079000000105"),
    }
    perform(c["late"], A.ASSIGN, world.users["head"], handler_id=world.users["handler2"].id, expected_version=UNCHECKED)
    db.session.commit()
    return c


def table_counts(page: str, testid: str, key: str) -> dict[str, dict[str, tuple[int, str]]]:
    m = re.search(rf'<table[^>]*data-testid="{testid}">(.*?)</table>', page, re.S)
    assert m, testid
    out = {}
    for name, body in re.findall(rf'<tr {key}="([^"]+)">(.*?)</tr>', m.group(1), re.S):
        cells = re.findall(r'<td[^>]*data-col="([^"]+)"><a[^>]*href="([^"]+)">(\d+)</a></td>', body)
        out[name] = {col: (int(n), href) for col, href, n in cells}
    return out


def attention(page: str) -> list[tuple[str, str]]:
    m = re.search(r'<table[^>]*data-testid="attention">(.*?)</table>', page, re.S)
    if not m:
        return []
    return re.findall(r'<tr data-case="([^"]+)" data-status="([^"]+)"', m.group(1))


def test_the_attention_list_puts_the_most_overdue_first(urgent, login_en):
    page = text(login_en("head").get("/cases/caseload"))
    assert attention(page) == [
        (urgent["old"].number, "overdue"),
        (urgent["late"].number, "overdue"),
        (urgent["soon"].number, "due_soon"),
    ]
    rows = re.findall(r'<tr data-case="[^"]+" data-status="[^"]+"[^>]*>(.*?)</tr>', page, re.S)
    old = squash(rows[0])
    for snippet in (
        "Tố cáo quá hạn",
        "TK",
        "Hoàng Văn Xử",
        "Notice of acceptance to the denunciator",
        d(NOTICE_DUE),
        f"Overdue by {(TODAY - NOTICE_DUE).days} days",
    ):
        assert snippet in old, (snippet, old)
    assert "Đỗ Thị Lý" in squash(rows[1]) and "Not assigned yet" in squash(rows[2])
    link = re.search(r'data-testid="attention-more">.*?<a href="([^"]+)">(.*?)</a>', page, re.S)
    assert "See all 3 cases" in link.group(2)


@pytest.mark.parametrize(
    "username, expected",
    [
        ("head", ["old", "late", "soon"]),
        ("tl_head", ["tl"]),
        ("phead", ["old", "tl", "late", "soon"]),
        ("inspector", ["old", "tl", "late", "soon"]),
    ],
)
def test_the_attention_list_keeps_to_the_users_units(urgent, login_en, username, expected):
    got = [number for number, _ in attention(text(login_en(username).get("/cases/caseload")))]
    assert got == [urgent[k].number for k in expected]


def test_the_caseload_counts_overdue_and_due_soon_cases_per_unit_and_officer(urgent, login_en):
    client = login_en("head")
    page = text(client.get("/cases/caseload"))
    units = table_counts(page, "caseload-deadlines", "data-unit")
    assert {u: {c: n for c, (n, _) in cols.items()} for u, cols in units.items()} == {
        "TK": {"overdue": 2, "due_soon": 1},
        "TKVP": {"overdue": 0, "due_soon": 0},
        "total": {"overdue": 2, "due_soon": 1},
    }
    officers = table_counts(page, "caseload-deadlines-officers", "data-officer")
    assert {o: {c: n for c, (n, _) in cols.items()} for o, cols in officers.items()} == {
        "handler": {"overdue": 1, "due_soon": 0},
        "handler2": {"overdue": 1, "due_soon": 0},
    }
    expected = {
        ("TK", "overdue"): ["old", "late"],
        ("TK", "due_soon"): ["soon"],
        ("total", "overdue"): ["old", "late"],
        ("total", "due_soon"): ["soon"],
    }
    for (unit, col), keys in expected.items():
        n, href = units[unit][col]
        listing = text(client.get(href))
        assert 'data-testid="filter-warnings"' not in listing
        assert listed(listing) == [urgent[k].number for k in keys] and n == len(keys)
    for officer, key in (("handler", "old"), ("handler2", "late")):
        n, href = officers[officer]["overdue"]
        assert listed(text(client.get(href))) == [urgent[key].number]


def test_the_caseload_says_when_nothing_needs_attention(world, db, login_en):
    create_case(world, S.ASSIGNED, kind=PetitionKind.COMPLAINT, received_on=ago(2))
    db.session.commit()
    page = text(login_en("head").get("/cases/caseload"))
    assert 'data-testid="attention-empty"' in page and 'data-testid="officer-deadlines-empty"' in page


def test_a_finished_or_suspended_clock_needs_no_attention(urgent, world, db, login_en):
    head = world.users["head"]
    perform(
        urgent["old"],
        A.SUSPEND,
        head,
        note="Chờ giám định",
        suspension_decision_no="07/QĐ-UBND",
        suspended_on=local_today(),
        expected_version=UNCHECKED,
    )
    perform(
        urgent["late"],
        A.RESOLVE,
        world.users["handler2"],
        decision_no="3/QĐ",
        decision_on=TODAY,
        outcome="rejected",
        expected_version=UNCHECKED,
    )
    db.session.commit()
    page = text(login_en("head").get("/cases/caseload"))
    assert attention(page) == [(urgent["soon"].number, "due_soon")]


# --- The case list: deadline and flag filters, the next due date ---------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("deadline=overdue", ["old", "late"]),
        ("deadline=due_soon", ["soon"]),
        ("deadline=attention", ["old", "late", "soon"]),
        ("deadline=overdue&handler={handler2}", ["late"]),
        ("deadline=overdue&kind=denunciation", ["old"]),
        ("", ["calm", "soon", "late", "old"]),
    ],
)
def test_the_list_filters_by_deadline_most_urgent_first(urgent, world, login_en, query, expected):
    page = text(login_en("head").get("/cases/?" + query.format(handler2=world.users["handler2"].id)))
    assert listed(page) == [urgent[k].number for k in expected]
    assert 'data-testid="filter-warnings"' not in page


def test_the_list_shows_the_next_due_date_with_a_badge(urgent, login_en):
    page = text(login_en("head").get("/cases/"))
    cells = dict(
        re.findall(r'<tr data-case="([^"]+)">.*?<td class="text-nowrap" data-col="due"[^>]*>(.*?)</td>', page, re.S)
    )
    old = squash(cells[urgent["old"].number])
    assert d(NOTICE_DUE) in old and f"Overdue by {(TODAY - NOTICE_DUE).days} days" in old
    assert "day" in squash(cells[urgent["soon"].number]) and 'data-deadline="due_soon"' in cells[urgent["soon"].number]
    calm = squash(cells[urgent["calm"].number])
    assert d(clock_of(urgent["calm"], Stage.RESOLUTION).due_on) in calm and "Overdue" not in calm
    assert "data-deadline" not in cells[urgent["calm"].number]


def test_the_list_filters_by_active_flag(urgent, world, db, login_en):
    tk = world.units["TK"].id
    db.session.add_all(
        [
            Flag(subject="case", subject_id=urgent["old"].id, kind=FlagKind.HOT_SPOT, unit_id=tk),
            Flag(
                subject="case", subject_id=urgent["calm"].id, kind=FlagKind.HOT_SPOT, unit_id=tk, cleared_at=utcnow()
            ),  # cleared: no longer a hot spot
            Flag(subject="case", subject_id=urgent["late"].id, kind=FlagKind.PROLONGED, unit_id=tk),
            Flag(subject="petition", subject_id=urgent["soon"].id, kind=FlagKind.HOT_SPOT, unit_id=tk),
            Flag(subject="case", subject_id=urgent["tl"].id, kind=FlagKind.HOT_SPOT, unit_id=world.units["TL"].id),
        ]
    )
    db.session.commit()
    client = login_en("head")
    assert listed(text(client.get("/cases/?flag=hot_spot"))) == [urgent["old"].number]
    assert listed(text(client.get("/cases/?flag=prolonged"))) == [urgent["late"].number]
    assert listed(text(client.get("/cases/?flag=many_people"))) == []
    page = text(client.get("/cases/?flag=hot_spot"))
    assert '<option value="hot_spot" selected>' in page
    assert listed(text(login_en("tl_head").get("/cases/?flag=hot_spot"))) == [urgent["tl"].number]


@pytest.mark.parametrize(
    "query, warning",
    [
        ("deadline=late", "Unknown deadline filter “late”"),
        ("flag=<b>x</b>", "Unknown flag “<b>x</b>”"),
    ],
)
def test_bad_deadline_and_flag_values_are_ignored_with_a_warning(urgent, login_en, query, warning):
    resp = login_en("head").get("/cases/?" + query)
    assert resp.status_code == 200
    page = text(resp)
    assert warning in page and "<b>x</b>" not in resp.get_data(as_text=True)
    assert len(listed(page)) == 4


def test_the_list_with_deadlines_runs_a_fixed_number_of_queries(world, db, login_en):
    client = login_en("head")
    denunciation(world)
    db.session.commit()
    with count_queries() as few:
        assert client.get("/cases/?state=open").status_code == 200
    for i in range(4):
        denunciation(world, citizen_id=f"07900000020{i}")
    create_case(world, kind=PetitionKind.RECOMMENDATION, received_on=ago(30))
    db.session.commit()
    db.session.expunge_all()
    with count_queries() as many:
        page = text(client.get("/cases/?state=open"))
    assert len(listed(page)) == 6 and page.count('data-deadline="overdue"') == 5
    assert len(many) == len(few), many
    db.session.commit()
    with count_queries() as filtered:
        assert len(listed(text(client.get("/cases/?deadline=attention")))) == 6
    assert len(filtered) == len(few), filtered
