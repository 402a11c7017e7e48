"""Realistic Vietnamese demo data for `flask seed-demo` (and `make run`).

A province (Đồng Nai, with its real 2025 code from vietnam-provinces), departments and communes/wards,
officers of every role, citizens, reception sessions, and petitions and cases in every state — all
created through the same operations the screens use, so the histories are genuine.
"""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import event, select

from .bulk.texts import subject_code_for
from .cases.models import Case, CaseAction, CaseEvent, CaseState, Complexity, Outcome
from .cases.operations import accept_petition, perform
from .core.locking import UNCHECKED  # the seed's writes come from no form: no version to check
from .core.roles import Role
from .core.timeutil import local_to_utc, local_today, utcnow
from .deadlines.jobs import mark_legally_effective
from .extensions import db
from .mediation.models import MediationResult
from .mediation.operations import link_petition, record_mediation
from .persons.divisions import province_name, ward_name
from .persons.operations import PersonData
from .petitions.models import Channel, FiledReason, Petition, PetitionEvent, PetitionKind, PetitionState
from .petitions.operations import Part, decide_petition, register_petition, split_petition
from .petitions.procedure import Lodging
from .reception.models import ReceptionKind, ReceptionOutcome, RefusalReason
from .reception.operations import record_visit
from .subjects.models import SubjectArea
from .subjects.queries import subject_by_code
from .units.models import Unit, UnitKind
from .units.operations import create_unit
from .users.models import User
from .users.operations import create_user
from .users.passwords import DEMO_PASSWORD  # defined there: the password rules refuse it outside the demo

PROVINCE = 75  # Đồng Nai (Bình Phước merged into it on 1 July 2025)

#: (code, name, kind, parent code, ward code, remote)
UNITS = [
    ("DN", "UBND tỉnh Đồng Nai", UnitKind.PROVINCE, None, None, False),
    ("TTT", "Thanh tra tỉnh Đồng Nai", UnitKind.DEPARTMENT, "DN", None, False),
    ("BTCD", "Ban Tiếp công dân tỉnh", UnitKind.DEPARTMENT, "DN", None, False),
    ("SNNMT", "Sở Nông nghiệp và Môi trường", UnitKind.DEPARTMENT, "DN", None, False),
    ("TK", "UBND xã Tân Khai", UnitKind.COMMUNE, "DN", 25357, False),
    ("TKVP", "Văn phòng HĐND và UBND xã Tân Khai", UnitKind.OFFICE, "TK", None, False),
    ("TH", "UBND xã Tân Hưng", UnitKind.COMMUNE, "DN", 25345, False),
    ("MD", "UBND xã Minh Đức", UnitKind.COMMUNE, "DN", 25349, True),
    ("AL", "UBND phường An Lộc", UnitKind.COMMUNE, "DN", 25336, False),
]

#: (username, full name, title, unit, roles)
USERS = [
    ("admin", "Nguyễn Hữu Quản", "Chuyên viên CNTT", "DN", [Role.ADMIN]),
    ("chutich.tinh", "Võ Tấn Đức", "Chủ tịch UBND tỉnh", "DN", [Role.HEAD]),
    ("thanhtra", "Lê Thị Thu Hà", "Thanh tra viên chính, Thanh tra tỉnh", "DN", [Role.INSPECTOR]),
    ("tiepdan.tinh", "Phan Minh Tâm", "Chuyên viên Ban Tiếp công dân", "BTCD", [Role.RECEPTION]),
    ("tiepdan.tk", "Nguyễn Thị Hồng", "Công chức Tư pháp - Hộ tịch", "TK", [Role.RECEPTION]),
    ("chutich.tk", "Trần Văn Bình", "Chủ tịch UBND xã", "TK", [Role.HEAD]),
    ("xuly.tk", "Phạm Quốc Huy", "Công chức Địa chính - Xây dựng", "TK", [Role.HANDLER]),
    ("xuly2.tk", "Đỗ Thị Mai", "Chuyên viên Văn phòng", "TKVP", [Role.HANDLER]),
    ("tiepdan.md", "Điểu Thị Lan", "Công chức Văn phòng - Thống kê", "MD", [Role.RECEPTION]),
    ("chutich.md", "Hoàng Văn Sơn", "Chủ tịch UBND xã", "MD", [Role.HEAD]),
    ("xuly.md", "Lâm Văn Tài", "Công chức Địa chính", "MD", [Role.HANDLER]),
]

#: (full name, CCCD, phone, ward, address line)
CITIZENS = [
    ("Nguyễn Văn An", "070085001234", "0912345678", 25357, "Tổ 3, ấp Tân Lợi"),
    ("Trần Thị Bích Ngọc", "070190004567", "0987654321", 25357, "Ấp 2"),
    ("Lê Văn Cường", "070078009876", "0903111222", 25345, "Ấp Sóc Trào"),
    ("Phạm Thị Dung", "070185002345", None, 25349, "Ấp Bàu Lòn"),
    ("Hoàng Minh Đức", "070092007654", "0978123456", 25336, "Khu phố Phú Lộc"),
    ("Võ Thị Em", "070188003456", "0935222333", 25357, "Ấp 5"),
    ("Đặng Văn Giàu", "070070001111", "0918999888", 25349, "Ấp Cây Da"),
    ("Bùi Thị Hạnh", "070195005555", None, 25345, "Ấp 6"),
    ("Ngô Quang Khải", "070083006666", "0909555444", 25357, "Tổ 7, ấp Tân Lợi"),
    ("Dương Thị Liên", "070187007777", "0966777888", 25336, "Khu phố Ninh Thịnh"),
    ("Thạch Văn Mười", "070065008888", None, 25349, "Ấp Sóc Bưng"),
    ("Trịnh Thị Nga", "070191009999", "0944333222", 25357, "Ấp 1"),
]


def _person(i: int) -> PersonData:
    name, cid, phone, ward, line = CITIZENS[i % len(CITIZENS)]
    return PersonData(
        full_name=name, citizen_id=cid, phone=phone, province_code=PROVINCE, ward_code=ward, address_line=line
    )


@contextmanager
def _story_time(when: datetime):
    """Stamp the history events written inside the block with the time the demo story says.

    History is append-only (an event is never updated afterwards), so the time is set as it is inserted.
    """

    def stamp(_mapper, _conn, target):
        target.at = when

    for model in (CaseEvent, PetitionEvent):
        event.listen(model, "before_insert", stamp)
    try:
        yield
        db.session.flush()
        # The processing decision's own time stamp (the operation writes "now") follows the story too.
        for obj in list(db.session.identity_map.values()):
            if isinstance(obj, Petition) and obj.decided_at is not None and obj.decided_at > when:
                obj.decided_at = when
        db.session.flush()
    finally:
        for model in (CaseEvent, PetitionEvent):
            event.remove(model, "before_insert", stamp)


def seed_demo() -> bool:
    """Create the demo data unless it is already there; return True if anything was created."""
    if db.session.execute(select(Unit.id).where(Unit.code == "DN")).first():
        return False
    units: dict[str, Unit] = {}
    for code, name, kind, parent, ward, remote in UNITS:
        units[code] = create_unit(
            code=code,
            name=name,
            kind=kind,
            parent=units.get(parent) if parent is not None else None,
            is_remote=remote,
            province_code=PROVINCE,
            ward_code=ward,
        )
    users = {}
    for username, full_name, title, unit, roles in USERS:
        users[username] = create_user(
            username=username, full_name=full_name, title=title, unit=units[unit], roles=roles, password=DEMO_PASSWORD
        )
    today = local_today()
    _seed_sessions(units, users, today)
    _seed_petitions_and_cases(units, users, today)
    _seed_mixed_and_mediated(units, users, today)
    db.session.flush()
    return True


def _seed_mixed_and_mediated(units, users, today: date) -> None:
    """A petition of several contents, split into a complaint and a denunciation; a grassroots mediation
    that failed, and the later complaint of the same matter linked to it."""
    tk, rec = units["TK"], users["tiepdan.tk"]
    received = today - timedelta(days=4)
    with _story_time(_at(received, 9, 15)):
        mixed = register_petition(
            unit=tk,
            actor=rec,
            received_on=received,
            channel=Channel.POST,
            kind=PetitionKind.COMPLAINT,
            subject_area=subject_by_code("admin.land"),
            summary="Đơn khiếu nại việc thu hồi đất và tố cáo cán bộ địa chính nhận tiền",
            content="Khiếu nại quyết định thu hồi đất thửa 87; đồng thời tố cáo cán bộ địa chính nhận tiền của hộ dân.",
            petitioners=[_person(6)],
        )
    with _story_time(_at(received, 14)):
        split_petition(
            mixed,
            rec,
            [
                Part(PetitionKind.COMPLAINT, "Khiếu nại quyết định thu hồi đất thửa 87", subject_by_code("admin.land")),
                Part(
                    PetitionKind.DENUNCIATION, "Tố cáo cán bộ địa chính nhận tiền", subject_by_code("anti_corruption")
                ),
            ],
            on=received,
            expected_version=UNCHECKED,
        )
    held = today - timedelta(days=40)
    with _story_time(_at(held, 15)):
        mediation = record_mediation(
            rec,
            unit=tk,
            held_on=held,
            mediators="Tổ hòa giải ấp Tân Lợi (ông Phạm Văn Hòa, bà Lê Thị Thu)",
            parties="Hộ ông Nguyễn Văn An và hộ bà Trần Thị Bích Ngọc",
            matter="Tranh chấp ranh giới thửa đất số 112 và 113, tờ bản đồ số 9",
            result=MediationResult.FAILED,
            subject_area=subject_by_code("admin.land"),
            today=today,
        )
    later = today - timedelta(days=12)
    with _story_time(_at(later, 10)):
        petition = register_petition(
            unit=tk,
            actor=rec,
            received_on=later,
            channel=Channel.POST,
            kind=PetitionKind.RECOMMENDATION,
            subject_area=subject_by_code("admin.land"),
            summary="Kiến nghị giải quyết tranh chấp ranh giới thửa đất số 112 sau hòa giải không thành",
            content="Đề nghị UBND xã giải quyết tranh chấp ranh giới sau khi hòa giải ở cơ sở không thành.",
            petitioners=[_person(0)],
        )
        link_petition(mediation, petition, rec, expected_version=UNCHECKED)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour, minute)))


def _demo_subject(summary: str) -> SubjectArea | None:
    return subject_by_code(subject_code_for(summary))


def _visit(**kwargs) -> None:
    """Record a demo visit; the petition it brings is registered at the time of the visit."""
    if kwargs.get("petition_kind"):
        kwargs["petition_subject_area"] = _demo_subject(kwargs["petition_summary"])
    with _story_time(kwargs["received_at"]):
        record_visit(**kwargs)


def _seed_sessions(units, users, today: date) -> None:
    tk, md = units["TK"], units["MD"]
    rec, head = users["tiepdan.tk"], users["chutich.tk"]
    # Today at the Tân Khai desk: a visitor with a complaint, one guided, a delegation over land clearance.
    _visit(
        unit=tk,
        actor=rec,
        received_at=_at(today, 8, 15),
        kind=ReceptionKind.REGULAR,
        visitors=[_person(0)],
        people_count=1,
        content="Khiếu nại Quyết định số 215/QĐ-UBND về thu hồi đất và bồi thường khi mở rộng "
        "đường ĐT.757, cho rằng đơn giá bồi thường cây trồng thấp hơn thực tế.",
        outcome=ReceptionOutcome.PETITION_RECEIVED,
        petition_kind=PetitionKind.COMPLAINT,
        petition_summary="Khiếu nại đơn giá bồi thường cây trồng khi thu hồi đất mở rộng đường ĐT.757",
    )
    _visit(
        unit=tk,
        actor=rec,
        received_at=_at(today, 9, 0),
        kind=ReceptionKind.REGULAR,
        visitors=[_person(1)],
        people_count=1,
        content="Hỏi thủ tục cấp đổi giấy chứng nhận quyền sử dụng đất.",
        outcome=ReceptionOutcome.GUIDED,
        outcome_note="Hướng dẫn nộp hồ sơ tại Trung tâm Phục vụ hành chính công xã.",
    )
    _visit(
        unit=tk,
        actor=head,
        host=head,
        received_at=_at(today, 9, 30),
        kind=ReceptionKind.PERIODIC,
        visitors=[_person(8), _person(11)],
        people_count=12,
        content="Đoàn 12 hộ dân ấp Tân Lợi kiến nghị giải quyết tình trạng ngập úng do thi công "
        "cống thoát nước khu dân cư.",
        outcome=ReceptionOutcome.PETITION_RECEIVED,
        petition_kind=PetitionKind.RECOMMENDATION,
        petition_summary="Kiến nghị khắc phục ngập úng do thi công cống thoát nước ấp Tân Lợi",
    )
    # Earlier sessions, including a lawful refusal.
    _visit(
        unit=tk,
        actor=rec,
        received_at=_at(today - timedelta(days=6), 14, 0),
        kind=ReceptionKind.REGULAR,
        visitors=[_person(5)],
        people_count=1,
        content="Tiếp tục khiếu nại việc đã được giải quyết đúng chính sách, pháp luật.",
        outcome=ReceptionOutcome.REFUSED,
        refusal_reason=RefusalReason.ALREADY_RESOLVED,
        outcome_note="Vụ việc đã có Quyết định giải quyết khiếu nại lần hai có hiệu lực pháp luật.",
    )
    _visit(
        unit=md,
        actor=users["tiepdan.md"],
        received_at=_at(today - timedelta(days=2), 8, 0),
        kind=ReceptionKind.ADHOC,
        visitors=[_person(3), _person(6), _person(10)],
        people_count=8,
        content="Đoàn 8 người dân ấp Bàu Lòn phản ánh việc xả thải của trang trại chăn nuôi heo.",
        outcome=ReceptionOutcome.PETITION_RECEIVED,
        petition_kind=PetitionKind.FEEDBACK,
        petition_summary="Phản ánh ô nhiễm môi trường từ trang trại chăn nuôi heo ấp Bàu Lòn",
    )


# (unit, kind, days ago received, summary, citizen, final state, extras)
STORIES: list[tuple[str, PetitionKind, int, str, int, CaseState, dict[str, Any]]] = [
    (
        "TK",
        PetitionKind.COMPLAINT,
        60,
        "Khiếu nại việc không cấp giấy chứng nhận quyền sử dụng đất thửa 112",
        2,
        CaseState.ASSIGNED,
        {},
    ),
    (
        "TK",
        PetitionKind.COMPLAINT,
        95,
        "Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng",
        4,
        CaseState.CLOSED,
        {"outcome": Outcome.REJECTED},
    ),
    (
        "TK",
        PetitionKind.DENUNCIATION,
        40,
        "Tố cáo cán bộ địa chính nhận tiền khi làm hồ sơ tách thửa",
        9,
        CaseState.ASSIGNED,
        {"complexity": Complexity.COMPLEX},
    ),
    (
        "TK",
        PetitionKind.COMPLAINT,
        120,
        "Khiếu nại mức hỗ trợ tái định cư dự án khu công nghiệp",
        5,
        CaseState.RESOLVED,
        {"outcome": Outcome.PARTLY_UPHELD, "enforcement": "Chi trả bổ sung 85.000.000 đồng tiền hỗ trợ tái định cư"},
    ),
    (
        "TK",
        PetitionKind.COMPLAINT,
        150,
        "Khiếu nại việc thu hồi đất không đúng diện tích đo đạc",
        0,
        CaseState.ENFORCED,
        {"outcome": Outcome.UPHELD, "enforcement": "Đo đạc lại và điều chỉnh quyết định thu hồi đất"},
    ),
    (
        "TK",
        PetitionKind.RECOMMENDATION,
        20,
        "Kiến nghị sửa chữa đường giao thông nông thôn ấp 5",
        5,
        CaseState.ACCEPTED,
        {},
    ),
    (
        "TK",
        PetitionKind.FEEDBACK,
        30,
        "Phản ánh tình trạng khai thác cát trái phép trên sông Bé",
        7,
        CaseState.SUSPENDED,
        {},
    ),
    ("TK", PetitionKind.COMPLAINT, 45, "Khiếu nại việc cưỡng chế tháo dỡ công trình phụ", 11, CaseState.WITHDRAWN, {}),
    (
        "MD",
        PetitionKind.COMPLAINT,
        70,
        "Khiếu nại quyết định giao đất rừng sản xuất cho hộ khác",
        3,
        CaseState.ASSIGNED,
        {"complexity": Complexity.COMPLEX},
    ),
    (
        "MD",
        PetitionKind.DENUNCIATION,
        110,
        "Tố cáo trưởng ấp lập danh sách hộ nghèo không đúng quy định",
        10,
        CaseState.CLOSED,
        {"outcome": Outcome.PARTLY_TRUE},
    ),
    ("MD", PetitionKind.COMPLAINT, 80, "Khiếu nại việc không bồi thường tài sản trên đất", 6, CaseState.TERMINATED, {}),
    (
        "AL",
        PetitionKind.RECOMMENDATION,
        15,
        "Kiến nghị lắp đặt đèn chiếu sáng khu phố Ninh Thịnh",
        9,
        CaseState.ACCEPTED,
        {},
    ),
]

# Petitions that are not accepted: (unit, kind, days ago, summary, citizen, decision, details)
OTHER_PETITIONS: list[tuple[str, PetitionKind, int, str, int, PetitionState, dict[str, Any]]] = [
    (
        "TK",
        PetitionKind.COMPLAINT,
        2,
        "Khiếu nại quyết định của Sở Nông nghiệp và Môi trường về đất rừng",
        3,
        PetitionState.TRANSFERRED,
        {"transferred_to": "Sở Nông nghiệp và Môi trường tỉnh Đồng Nai", "transfer_dispatch_no": "45/UBND-TCD"},
    ),
    (
        "TK",
        PetitionKind.FEEDBACK,
        8,
        "Phản ánh việc thu phí chợ không niêm yết công khai",
        1,
        PetitionState.GUIDED,
        {"guidance": "Hướng dẫn công dân gửi đơn đến Ban quản lý chợ Tân Khai."},
    ),
    (
        "TK",
        PetitionKind.COMPLAINT,
        12,
        "Đơn trùng nội dung đã thụ lý giải quyết",
        2,
        PetitionState.FILED,
        {"filed_reason": FiledReason.DUPLICATE},
    ),
    (
        "MD",
        PetitionKind.DENUNCIATION,
        5,
        "Tố cáo việc san lấp đất nông nghiệp trái phép",
        6,
        PetitionState.RECEIVED,
        {},
    ),
    (
        "AL",
        PetitionKind.COMPLAINT,
        1,
        "Khiếu nại việc từ chối chứng thực hợp đồng chuyển nhượng",
        4,
        PetitionState.RECEIVED,
        {},
    ),
]

STAFF = {
    "TK": ("tiepdan.tk", "chutich.tk", "xuly.tk"),
    "MD": ("tiepdan.md", "chutich.md", "xuly.md"),
    "AL": ("chutich.tinh", "chutich.tinh", None),
}


def _seed_petitions_and_cases(units, users, today: date) -> None:
    for unit_code, kind, ago, summary, who, decision, details in OTHER_PETITIONS:
        rec = users[STAFF[unit_code][0]]
        received = today - timedelta(days=ago)
        with _story_time(_at(received, 8, 30)):
            petition = register_petition(
                unit=units[unit_code],
                actor=rec,
                received_on=received,
                channel=Channel.POST if ago % 2 else Channel.ONLINE,
                kind=kind,
                subject_area=_demo_subject(summary),
                summary=summary,
                content=summary + ".",
                petitioners=[_person(who)],
            )
        if decision is not PetitionState.RECEIVED:
            with _story_time(_at(received + timedelta(days=2), 10)):
                decide_petition(petition, rec, decision, **details, on=today, expected_version=UNCHECKED)

    for unit_code, kind, ago, summary, who, final, extra in STORIES:
        rec_name, head_name, handler_name = STAFF[unit_code]
        rec, head, handler = users[rec_name], users[head_name], users.get(handler_name)
        received = today - timedelta(days=ago)
        with _story_time(_at(received, 9)):
            petition = register_petition(
                unit=units[unit_code],
                actor=rec,
                received_on=received,
                channel=Channel.DESK,
                kind=kind,
                subject_area=_demo_subject(summary),
                summary=summary,
                content=summary + ". Đề nghị cơ quan có thẩm quyền xem xét, giải quyết.",
                petitioners=[_person(who)],
                signatory_count=1,
            )
        accepted = received + timedelta(days=5)
        with _story_time(_at(accepted, 10)):
            lodging = Lodging(received - timedelta(days=15)) if kind is PetitionKind.COMPLAINT else None
            accept_petition(
                petition, rec, accepted_on=accepted, instance=1, lodging=lodging, expected_version=UNCHECKED
            )
        case: Case = petition.case
        if final is CaseState.ACCEPTED:
            continue
        step = accepted + timedelta(days=2)
        with _story_time(_at(step, 14)):
            perform(
                case,
                CaseAction.ASSIGN,
                head,
                handler_id=handler.id,
                complexity=extra.get("complexity", Complexity.NORMAL),
                note="Giao xác minh, báo cáo kết quả.",
                expected_version=UNCHECKED,
            )
        if final in (CaseState.SUSPENDED, CaseState.WITHDRAWN, CaseState.TERMINATED):
            action, note = {
                CaseState.SUSPENDED: (CaseAction.SUSPEND, "Tạm đình chỉ chờ kết quả giám định của cơ quan chuyên môn."),
                CaseState.WITHDRAWN: (CaseAction.WITHDRAW, "Người khiếu nại có đơn rút toàn bộ nội dung khiếu nại."),
                CaseState.TERMINATED: (CaseAction.TERMINATE, "Người khiếu nại chết, không có người thừa kế quyền."),
            }[final]
            on = step + timedelta(days=10)
            suspension: dict[str, Any] = (
                dict(suspension_decision_no=f"{case.seq:02d}/QĐ-UBND", suspended_on=on)
                if action is CaseAction.SUSPEND
                else {}
            )
            with _story_time(_at(on, 9)):
                perform(case, action, head, note=note, expected_version=UNCHECKED, **suspension)
            continue
        if final is CaseState.ASSIGNED:
            continue
        decided = min(step + timedelta(days=25), today - timedelta(days=3))
        prefix = {PetitionKind.DENUNCIATION: "KL", PetitionKind.COMPLAINT: "QĐ"}.get(kind, "TL")
        with _story_time(_at(decided, 16)):
            perform(
                case,
                CaseAction.RESOLVE,
                handler,
                decision_no=f"{case.seq:02d}/{prefix}-UBND",
                decision_on=decided,
                outcome=extra.get("outcome", Outcome.ANSWERED),
                decision_summary="Kết quả xác minh và kết luận theo báo cáo của cán bộ xử lý.",
                enforcement_required=extra.get("enforcement"),
                enforcement_due_on=decided + timedelta(days=30) if extra.get("enforcement") else None,
                expected_version=UNCHECKED,
            )
        if final is CaseState.RESOLVED:
            continue
        effective = decided
        if kind is PetitionKind.COMPLAINT:
            # Enforced and closed once legally effective (Law on Complaints art. 44): the scheduler's job
            # marks it, the appeal period having passed unused.
            mark_legally_effective(utcnow())
            assert case.legally_effective_on is not None, f"{summary}: decided too recently to be effective"
            effective = case.legally_effective_on
        if extra.get("enforcement"):
            done = min(effective + timedelta(days=20), today - timedelta(days=1))
            with _story_time(_at(done, 15)):
                perform(
                    case,
                    CaseAction.ENFORCE,
                    handler,
                    enforced_on=done,
                    enforcement_result="Đã tổ chức thực hiện xong; công dân đã nhận và ký biên bản.",
                    expected_version=UNCHECKED,
                )
            if final is CaseState.ENFORCED:
                continue
        with _story_time(_at(today - timedelta(days=1), 11)):
            perform(case, CaseAction.CLOSE, head, note="Lưu hồ sơ vụ việc.", expected_version=UNCHECKED)


def demo_logins() -> list[tuple[str, str, str, str]]:
    """(username, full name, roles, unit) of the demo users that exist."""

    names = [u[0] for u in USERS]
    rows = db.session.execute(select(User).where(User.username.in_(names))).scalars().all()
    by_name = {u.username: u for u in rows}
    return [
        (n, by_name[n].full_name, ", ".join(sorted(r.value for r in by_name[n].roles)), by_name[n].unit.code)
        for n in names
        if n in by_name
    ]


__all__ = ["seed_demo", "demo_logins", "DEMO_PASSWORD", "province_name", "ward_name"]
