"""Every versioned form requires its version: a post that leaves it out (or sends an empty, damaged or huge
one) is refused with a message and saves nothing. Before, the petition decision and duplicate forms and
the unit and user forms took a post without a version as "no check" and overwrote a newer state.

The operations refuse a missing version too; only an explicit UNCHECKED (the demo seed, tests building
their data) skips the comparison.
"""

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from wtforms import Form as WtForm

from app.cases.models import Case, CaseAction, CaseEvent, CaseState
from app.core.errors import StaleObject
from app.core.fields import VersionField
from app.core.locking import MISSING_VERSION_MESSAGE, STALE_MESSAGE, UNCHECKED, check_version
from app.core.timeutil import local_today
from app.deadlines.models import Clock, DeadlineRule, DeadlineRuleChange, Extension, Stage
from app.extensions import db
from app.petitions.models import Petition, PetitionEvent, PetitionKind, PetitionState
from app.units.models import Unit
from app.users.models import User
from tests.factories import SUSPEND_FORM, SUSPENSION, create_case, create_petition

MISSING = "This form was sent without the version of the record it was opened at"
MISSING_VI = "Biểu mẫu được gửi đi mà không kèm phiên bản của hồ sơ tại thời điểm mở"


@dataclass
class Scene:
    username: str
    url: str  # the page the form is on
    action: str  # where it posts
    data: dict  # a valid submission, less the version
    stored: Callable[[], tuple]  # what a refused post must not change


def _fresh():
    db.session.rollback()
    db.session.expire_all()


def _count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _petition_scene(world, form: str) -> Scene:
    petition = create_petition(world, kind=PetitionKind.COMPLAINT, received_on=local_today() - timedelta(days=3))
    earlier = create_petition(world, kind=PetitionKind.COMPLAINT, received_on=local_today() - timedelta(days=9))
    db.session.commit()
    pid = petition.id

    def stored():
        _fresh()
        p = db.session.get(Petition, pid)
        return (
            p.state,
            p.version,
            p.transferred_to,
            p.duplicate_of_id,
            _count(PetitionEvent, PetitionEvent.petition_id == pid),
        )

    page = f"/petitions/{pid}"
    if form == "decide":
        data = {
            "decision": "transfer",
            "competent_body": "administration",
            "transferred_to": "Thanh tra tỉnh Đồng Nai",
            "transfer_dispatch_no": "45/PC",
        }
    else:
        data = {"original_receipt_no": earlier.receipt_no}
    return Scene("reception", page, f"{page}/{form}", data, stored)


def _unit_scene(world) -> Scene:
    unit = world.units["TL"]
    uid = unit.id

    def stored():
        _fresh()
        u = db.session.get(Unit, uid)
        return u.name, u.version, u.is_remote

    url = f"/admin/units/{uid}/edit"
    return Scene(
        "admin",
        url,
        url,
        {"name": "Tên ghi đè", "kind": "commune", "parent_id": world.units["DN"].id, "is_active": "y"},
        stored,
    )


def _user_scene(world) -> Scene:
    user = world.users["handler"]
    uid = user.id

    def stored():
        _fresh()
        u = db.session.get(User, uid)
        return u.full_name, u.version, sorted(r.value for r in u.roles)

    url = f"/admin/users/{uid}/edit"
    return Scene(
        "admin",
        url,
        url,
        {
            "full_name": "Tên ghi đè",
            "title": "",
            "unit_id": user.unit_id,
            "is_active": "y",
            "roles": ["handler", "reception"],
        },
        stored,
    )


def _rule_scene(world) -> Scene:
    from tests.admin.test_rules import edit_data

    rule = db.session.scalars(
        select(DeadlineRule).where(DeadlineRule.is_active.is_(True)).order_by(DeadlineRule.id)
    ).first()
    rid = rule.id
    data = edit_data(rule, note="Ghi chú ghi đè", version=None)

    def stored():
        _fresh()
        r = db.session.get(DeadlineRule, rid)
        return r.note, r.version, _count(DeadlineRuleChange, DeadlineRuleChange.rule_id == rid)

    url = f"/admin/rules/{rid}"
    return Scene("admin", url, url, data, stored)


def _case_stored(case_id: int):
    def stored():
        _fresh()
        c = db.session.get(Case, case_id)
        clocks = db.session.execute(
            select(Clock.id, Clock.status, Clock.due_on, Clock.completed_on)
            .where(Clock.case_id == case_id)
            .order_by(Clock.id)
        ).all()
        extensions = _count(Extension, Extension.clock_id.in_([k.id for k in clocks]))
        return (c.state, c.version, c.handler_id, _count(CaseEvent, CaseEvent.case_id == case_id), extensions, clocks)

    return stored


def _case_scene(world, form: str) -> Scene:
    from tests.deadlines.test_views import denunciation

    if form == "suspend":
        case = create_case(world, CaseState.ASSIGNED)
        data, username = {"note": "Chờ kết quả giám định", **SUSPEND_FORM}, "head"
    elif form == "extend":
        case = denunciation(world, complexity="complex")
        data, username = {"decision_no": "05/QĐ-UBND", "decided_on": "2024-06-15", "days": "30"}, "head"
    else:
        case = denunciation(world)
        data, username = {"sent_on": "2024-05-24"}, "handler"
    db.session.commit()
    url = f"/cases/{case.id}"
    return Scene(username, url, f"{url}/{form}", data, _case_stored(case.id))


SCENES = {
    "petition decision": lambda world: _petition_scene(world, "decide"),
    "petition duplicate": lambda world: _petition_scene(world, "duplicate"),
    "unit edit": _unit_scene,
    "user edit": _user_scene,
    "rule edit": _rule_scene,
    "case action": lambda world: _case_scene(world, "suspend"),
    "case extension": lambda world: _case_scene(world, "extend"),
    "case notice": lambda world: _case_scene(world, "notice"),
}

#: How a post can lack a usable version: no field at all, an empty one, garbage, zero, a huge number.
NO_VERSION = {"left out": None, "empty": "", "garbage": "abc", "zero": "0", "huge": "99999999999999999999"}


def _current_version(scene: Scene) -> int:
    return scene.stored()[1]


def _page(client, resp) -> str:
    if resp.status_code == 302:
        resp = client.get(resp.headers["Location"])
    return html.unescape(resp.get_data(as_text=True))


@pytest.mark.parametrize("form", list(SCENES))
def test_with_its_version_the_submission_is_saved(world, login_en, form):
    """The submissions below are valid: with the version they go through (so a refusal is the version's)."""
    scene = SCENES[form](world)
    before = scene.stored()
    client = login_en(scene.username)
    resp = client.post(scene.action, {**scene.data, "version": str(_current_version(scene))}, token_from=scene.url)
    assert resp.status_code == 302, _page(client, resp)[:2000]
    assert MISSING not in _page(client, resp)
    assert scene.stored() != before


@pytest.mark.parametrize("how", list(NO_VERSION))
@pytest.mark.parametrize("form", list(SCENES))
def test_a_post_without_a_version_is_refused_and_changes_nothing(world, login_en, form, how):
    scene = SCENES[form](world)
    before = scene.stored()
    client = login_en(scene.username)
    data = dict(scene.data)
    if NO_VERSION[how] is not None:
        data["version"] = NO_VERSION[how]
    resp = client.post(scene.action, data, token_from=scene.url)
    assert resp.status_code < 500
    page = _page(client, resp)
    assert MISSING in page and "Nothing was saved" in page
    assert scene.stored() == before


@pytest.mark.parametrize("form", ["petition decision", "user edit"])
def test_the_refusal_is_in_vietnamese(world, login_as, form):
    scene = SCENES[form](world)
    before = scene.stored()
    client = login_as(scene.username)
    resp = client.post(scene.action, scene.data, token_from=scene.url)
    page = _page(client, resp)
    assert MISSING_VI in page and "Chưa có dữ liệu nào được lưu" in page
    assert scene.stored() == before


# --- The operations ------------------------------------------------------------------------------------


def _operations(world):
    """(name, call with a given expected_version, the record's stored state) of every versioned write."""
    from app.cases.operations import perform
    from app.deadlines.clocks import extend_resolution, record_notice
    from app.deadlines.rules import change_rule, update_rule
    from app.petitions.operations import decide_petition, link_duplicate
    from app.units.operations import update_unit
    from app.users.operations import update_user
    from tests.deadlines.test_views import denunciation

    petition = create_petition(world)
    earlier = create_petition(world, received_on=petition.received_on - timedelta(days=1))
    case = create_case(world, CaseState.ASSIGNED)
    complex_case = denunciation(world, complexity="complex")
    notice_case = denunciation(world, summary="Tố cáo khác", citizen_id="079000000102")
    rule = db.session.scalars(select(DeadlineRule).order_by(DeadlineRule.id)).first()
    admin, head, reception = world.users["admin"], world.users["head"], world.users["reception"]
    unit, user = world.units["TL"], world.users["handler"]
    db.session.commit()
    return {
        "decide_petition": (
            lambda v: decide_petition(
                petition, reception, PetitionState.GUIDED, guidance="x", on=local_today(), expected_version=v
            ),
            petition,
        ),
        "link_duplicate": (lambda v: link_duplicate(petition, earlier, reception, expected_version=v), petition),
        "perform": (
            lambda v: perform(case, CaseAction.SUSPEND, head, note="x", expected_version=v, **SUSPENSION),
            case,
        ),
        "extend_resolution": (
            lambda v: extend_resolution(
                complex_case,
                head,
                decision_no="1/QĐ",
                decided_on=date(2024, 6, 15),
                today=local_today(),
                expected_version=v,
            ),
            complex_case,
        ),
        "record_notice": (
            lambda v: record_notice(
                notice_case, head, Stage.NOTIFY_ACCEPTANCE, date(2024, 5, 24), today=local_today(), expected_version=v
            ),
            notice_case,
        ),
        "update_rule": (lambda v: update_rule(rule, admin, "Công văn 1", v, note="Ghi đè"), rule),
        "change_rule": (lambda v: change_rule(rule, admin, "Công văn 1", v, note="Ghi đè"), rule),
        "update_unit": (
            lambda v: update_unit(
                unit,
                name="Ghi đè",
                kind=unit.kind,
                parent=unit.parent,
                is_remote=unit.is_remote,
                is_active=True,
                expected_version=v,
            ),
            unit,
        ),
        "update_user": (
            lambda v: update_user(
                user,
                full_name="Ghi đè",
                unit=user.unit,
                roles=sorted(user.roles),
                is_active=True,
                actor=admin,
                expected_version=v,
            ),
            user,
        ),
    }


OPERATIONS = [
    "decide_petition",
    "link_duplicate",
    "perform",
    "extend_resolution",
    "record_notice",
    "update_rule",
    "change_rule",
    "update_unit",
    "update_user",
]


@pytest.mark.parametrize("version", [None, "", "abc", 0, -1, 2**63, True])
@pytest.mark.parametrize("name", OPERATIONS)
def test_an_operation_without_a_version_is_refused(world, name, version):
    call, record = _operations(world)[name]
    before = record.version
    with pytest.raises(StaleObject) as err:
        call(version)
    assert str(err.value.message) == str(MISSING_VERSION_MESSAGE)
    db.session.rollback()
    db.session.expire_all()
    assert record.version == before


@pytest.mark.parametrize("name", OPERATIONS)
def test_an_operation_needs_the_version_argument(world, name):
    """Leaving the argument out is a TypeError at the call, not a silent pass; UNCHECKED must be written."""
    import inspect

    from app.cases import operations as cases
    from app.deadlines import clocks, rules
    from app.petitions import operations as petitions
    from app.units import operations as units
    from app.users import operations as users

    fn = next(getattr(m, name) for m in (cases, clocks, rules, petitions, units, users) if hasattr(m, name))
    assert inspect.signature(fn).parameters["expected_version"].default is inspect.Parameter.empty


@pytest.mark.parametrize("how", ["current version", "UNCHECKED"])
@pytest.mark.parametrize("name", OPERATIONS)
def test_with_the_current_version_or_unchecked_an_operation_goes_through(world, name, how):
    call, record = _operations(world)[name]
    call(record.version if how == "current version" else UNCHECKED)  # no StaleObject
    db.session.flush()


def test_check_version_compares_numbers_and_refuses_the_rest():
    class Row:
        version = 3

    check_version(Row(), 3)
    check_version(Row(), "3")
    check_version(Row(), UNCHECKED)
    for stale in (2, "4"):
        with pytest.raises(StaleObject) as err:
            check_version(Row(), stale)
        assert str(err.value.message) == str(STALE_MESSAGE)
    for missing in (None, "", " ", "3.0", "x", 0, -3, 10**20, True):
        with pytest.raises(StaleObject) as err:
            check_version(Row(), missing)
        assert str(err.value.message) == str(MISSING_VERSION_MESSAGE)


def _form_classes():
    """Every form class of the application (imported with the app)."""
    seen, todo = set(), [WtForm]
    from flask_wtf import FlaskForm

    todo.append(FlaskForm)
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.startswith("app.")]


def test_every_version_field_of_every_form_is_a_version_field(app):
    forms = _form_classes()
    assert len(forms) > 20
    versioned = []
    for cls in forms:
        field = getattr(cls, "version", None)
        if field is None:
            continue
        assert getattr(field, "field_class", None) is VersionField, f"{cls.__module__}.{cls.__name__}.version"
        versioned.append(cls.__name__)
    assert {
        "DecisionForm",
        "DuplicateForm",
        "UnitEditForm",
        "UserEditForm",
        "RuleForm",
        "CaseActionForm",
        "ExtendResolutionForm",
        "NoticeForm",
    } <= set(versioned)
