"""Test data builders: a unit tree with users of every role, petitions and cases in any state."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from app.cases.models import CaseAction, CaseState, Outcome
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.roles import Role
from app.core.timeutil import local_today, utcnow
from app.deadlines.jobs import mark_legally_effective
from app.extensions import db
from app.persons.operations import PersonData
from app.petitions.models import Channel, PetitionKind
from app.petitions.operations import register_petition
from app.subjects.models import SubjectArea
from app.subjects.queries import subject_by_code
from app.units.models import UnitKind
from app.units.operations import create_unit
from app.users.operations import create_user

PASSWORD = "correct-horse-77"
#: The day a test's complainant learned of the decision complained of: within the lodging period of a
#: complaint received in the last days (the decision form asks for it on a first-instance acceptance).
LEARNED_ON = (local_today() - timedelta(days=20)).isoformat()
#: A suspension decision of today, as an operation takes it and as the suspend form posts it.
SUSPENSION = {"suspension_decision_no": "07/QĐ-UBND", "suspended_on": local_today()}
SUSPEND_FORM = {"suspension_decision_no": "07/QĐ-UBND", "suspended_on": local_today().isoformat()}


@dataclass
class World:
    units: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def build_world() -> World:
    """Province DN with department TTT and communes TK (with office TKVP) and TL; users of every role.

    Users: admin, phead, inspector (province); reception, head, handler (TK); handler2 (TKVP);
    tl_reception, tl_head, tl_handler (TL, the sibling commune).
    """
    w = World()
    dn = create_unit(code="DN", name="UBND tỉnh Đồng Nai", kind=UnitKind.PROVINCE, province_code=75)
    w.units["DN"] = dn
    w.units["TTT"] = create_unit(code="TTT", name="Thanh tra tỉnh", kind=UnitKind.DEPARTMENT, parent=dn)
    tk = create_unit(
        code="TK", name="UBND xã Tân Khai", kind=UnitKind.COMMUNE, parent=dn, province_code=75, ward_code=25357
    )
    w.units["TK"] = tk
    w.units["TKVP"] = create_unit(code="TKVP", name="Văn phòng HĐND-UBND xã Tân Khai", kind=UnitKind.OFFICE, parent=tk)
    w.units["TL"] = create_unit(code="TL", name="UBND xã Thanh Lương", kind=UnitKind.COMMUNE, parent=dn, is_remote=True)
    spec = [
        ("admin", "Quản trị Hệ thống", "DN", [Role.ADMIN]),
        ("phead", "Trần Văn Tỉnh", "DN", [Role.HEAD]),
        ("inspector", "Lê Thị Thanh", "DN", [Role.INSPECTOR]),
        ("reception", "Nguyễn Thị Tiếp", "TK", [Role.RECEPTION]),
        ("head", "Phạm Văn Trưởng", "TK", [Role.HEAD]),
        ("handler", "Hoàng Văn Xử", "TK", [Role.HANDLER]),
        ("handler2", "Đỗ Thị Lý", "TKVP", [Role.HANDLER]),
        ("tl_reception", "Vũ Văn Nhận", "TL", [Role.RECEPTION]),
        ("tl_head", "Bùi Thị Chủ", "TL", [Role.HEAD]),
        ("tl_handler", "Đặng Văn Minh", "TL", [Role.HANDLER]),
    ]
    for username, name, unit, roles in spec:
        w.users[username] = create_user(
            username=username, full_name=name, unit=w.units[unit], roles=roles, password=PASSWORD
        )
    db.session.flush()
    return w


def person(name="Nguyễn Văn An", citizen_id="079123456789", **kw) -> PersonData:
    return PersonData(full_name=name, citizen_id=citizen_id, **kw)


def subject(code: str = "admin.land") -> SubjectArea:
    """A shipped subject area (the app fixture loads them with the rule table)."""
    area = subject_by_code(code)
    assert area is not None, f"no shipped subject area {code}"
    return area


def subject_id(code: str = "admin.land") -> str:
    """A shipped subject area's id as a form posts it."""
    return str(subject(code).id)


def create_petition(
    world: World,
    *,
    unit="TK",
    actor="reception",
    kind=PetitionKind.COMPLAINT,
    received_on: date | None = None,
    summary="Khiếu nại quyết định thu hồi đất",
    petitioners=None,
    **kw,
):
    return register_petition(
        unit=world.units[unit],
        actor=world.users[actor],
        received_on=received_on or local_today() - timedelta(3),
        channel=kw.pop("channel", Channel.DESK),
        kind=kind,
        subject_area=kw.pop("subject_area", None) or subject(),
        summary=summary,
        content=kw.pop("content", "Nội dung đơn"),
        petitioners=petitioners or [person()],
        **kw,
    )


def create_case(
    world: World,
    state: CaseState = CaseState.ACCEPTED,
    *,
    unit="TK",
    kind=PetitionKind.COMPLAINT,
    enforcement_required="Bồi thường bổ sung",
    effective: bool | None = None,
    **kw,
):
    """A case driven through the real workflow up to ``state``.

    A complaint decision is enforced and its case closed only once it took legal effect (Law on Complaints
    art. 44): for those states, or with ``effective=True`` for a resolved one, the complaint is received
    80 days ago (unless ``received_on`` says otherwise), decided the day after its acceptance and made
    effective by the scheduler's job, whose appeal period has passed by today.
    """
    if effective is None:
        effective = kind is PetitionKind.COMPLAINT and state in (CaseState.ENFORCED, CaseState.CLOSED)
    if effective:
        kw.setdefault("received_on", local_today() - timedelta(80))
    head = "head" if unit == "TK" else "tl_head"
    handler = "handler" if unit == "TK" else "tl_handler"
    reception = "reception" if unit == "TK" else "tl_reception"
    petition = create_petition(world, unit=unit, actor=reception, kind=kind, **kw)
    accept_petition(
        petition,
        world.users[reception],
        accepted_on=petition.received_on + timedelta(1),
        expected_version=UNCHECKED,
    )
    case = petition.case
    if state is CaseState.ACCEPTED:
        return case
    perform(case, CaseAction.ASSIGN, world.users[head], handler_id=world.users[handler].id, expected_version=UNCHECKED)
    if state is CaseState.ASSIGNED:
        return case
    if state in (CaseState.SUSPENDED, CaseState.WITHDRAWN, CaseState.TERMINATED):
        action = {
            CaseState.SUSPENDED: CaseAction.SUSPEND,
            CaseState.WITHDRAWN: CaseAction.WITHDRAW,
            CaseState.TERMINATED: CaseAction.TERMINATE,
        }[state]
        decision = (
            dict(suspension_decision_no="07/QĐ-UBND", suspended_on=local_today())
            if action is CaseAction.SUSPEND
            else {}
        )
        perform(case, action, world.users[head], note="Lý do", expected_version=UNCHECKED, **decision)
        return case
    outcome = {PetitionKind.COMPLAINT: Outcome.PARTLY_UPHELD, PetitionKind.DENUNCIATION: Outcome.UNTRUE}.get(
        kind, Outcome.ANSWERED
    )
    perform(
        case,
        CaseAction.RESOLVE,
        world.users[handler],
        decision_no="12/QĐ-UBND",
        decision_on=case.accepted_on + timedelta(1) if effective else local_today(),
        outcome=outcome,
        enforcement_required=enforcement_required,
        expected_version=UNCHECKED,
    )
    if effective and kind is PetitionKind.COMPLAINT:
        mark_legally_effective(utcnow())
        assert case.legally_effective_on is not None, "the appeal period of the decision has not passed"
    if state is CaseState.RESOLVED:
        return case
    perform(
        case,
        CaseAction.ENFORCE,
        world.users[handler],
        enforced_on=local_today(),
        enforcement_result="Đã chi trả bồi thường",
        expected_version=UNCHECKED,
    )
    if state is CaseState.ENFORCED:
        return case
    perform(case, CaseAction.CLOSE, world.users[head], expected_version=UNCHECKED)
    assert case.state is CaseState.CLOSED
    return case
