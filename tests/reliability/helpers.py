"""A populated database for the reliability tests: a row in (nearly) every table, through the real operations."""

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from app.attachments import storage
from app.attachments.models import Attachment
from app.audit import operations as audit
from app.cases.models import CaseAction, CaseState, Outcome, StepKind
from app.cases.operations import perform, record_step
from app.core.locking import UNCHECKED
from app.core.roles import Role
from app.core.timeutil import local_today
from app.deadlines.models import DeadlineRule
from app.deadlines.overrides import add_calendar_override
from app.deadlines.rules import update_rule
from app.extensions import db
from app.notifications.models import Notification
from app.persons.operations import PersonData
from app.petitions.models import PetitionKind
from app.privacy.models import Permission, RolePermission
from app.reception.models import ReceptionKind, ReceptionOutcome
from app.reception.operations import record_visit
from app.users.models import UserSession
from tests.factories import create_case

#: The bytes of the attachment populate() stores (a tiny PDF).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + bytes(range(256))


@dataclass
class Populated:
    case: object
    petition: object
    desk_petition: object
    attachment: object


def populate(world) -> Populated:
    """A resolved case (events, clocks, a verification), a desk visit with its petition, an audit event, a
    rule change, a calendar override, a notification, a stored attachment, a login session and a permission
    grant."""
    admin = world.users["admin"]
    case = create_case(world, CaseState.ASSIGNED)
    handler = world.users["handler"]
    record_step(
        case,
        handler,
        StepKind.VERIFICATION,
        held_on=case.accepted_on,
        people="Bà Hoa",
        summary="Báo cáo xác minh",
        differs_from_claim=False,
        expected_version=UNCHECKED,
        today=local_today(),
    )
    perform(
        case,
        CaseAction.RESOLVE,
        handler,
        decision_no="12/QĐ-UBND",
        decision_on=local_today(),
        outcome=Outcome.PARTLY_UPHELD,
        enforcement_required="Bồi thường bổ sung",
        expected_version=UNCHECKED,
    )
    _session, desk_petition = record_visit(
        unit=world.units["TK"],
        actor=world.users["reception"],
        received_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC).replace(tzinfo=None),
        kind=ReceptionKind.REGULAR,
        visitors=[PersonData(full_name="Trần Thị Bình", citizen_id="079987654321")],
        people_count=1,
        content="Tố cáo cán bộ địa chính",
        outcome=ReceptionOutcome.PETITION_RECEIVED,
        petition_kind=PetitionKind.DENUNCIATION,
        petition_summary="Tố cáo cán bộ địa chính",
    )
    audit.record("identity.reveal", actor=world.users["head"], petition=desk_petition, reason="Xác minh")
    rule = db.session.scalars(select(DeadlineRule).order_by(DeadlineRule.id)).first()
    update_rule(rule, admin, "Công văn 1/TTCP", note="Ghi chú thử", expected_version=UNCHECKED)
    add_calendar_override(admin, date(2026, 4, 25), True, "Công văn 2/BNV")
    db.session.add(
        Notification(
            user_id=world.users["handler"].id, case_id=case.id, kind="overdue", dedup_key=f"test:{case.id}", params="{}"
        )
    )
    stored_name, size, sha256 = storage.save(io.BytesIO(PDF_BYTES))
    attachment = Attachment(
        case_id=case.id,
        stored_name=stored_name,
        original_name="don.pdf",
        content_type="application/pdf",
        size_bytes=size,
        sha256=sha256,
        uploaded_by_id=world.users["handler"].id,
        is_removed=False,
    )
    db.session.add(attachment)
    db.session.add(UserSession(id="s" * 40, user_id=world.users["head"].id))
    db.session.add(RolePermission(role=Role.HEAD, permission=Permission.VIEW_IDENTITY, unit_id=world.units["DN"].id))
    db.session.flush()
    return Populated(case=case, petition=case.petitions[0], desk_petition=desk_petition, attachment=attachment)


def count_rows(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))
