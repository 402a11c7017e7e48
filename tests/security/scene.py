"""One object of every kind in the TK subtree (built through the real operations), for the security tests.

``build_scene(world)`` adds to ``factories.build_world()``:

- users ``tl_admin`` and ``tl_inspector`` in the remote commune TL, so every role has a user outside
  TK's subtree (build_world has only TL's reception officer, head and handler);
- in TK: a reception session whose visitor handed in a petition, a confidential denunciation accepted as
  a case assigned to ``handler``, an attachment, a notification, a unit-specific deadline rule, a
  calendar override (national data), an issued (redacted) document, a DOCX template, an audit event and a
  login session.

Pass ``text`` to put that string in every free-text field (the escaping test).
"""

import hashlib
import io
import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app.attachments.models import Attachment
from app.cases.models import CaseAction
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.roles import Role
from app.core.timeutil import local_today, utcnow
from app.documents.content import PLACEHOLDERS
from app.documents.models import DocumentState, DocumentTemplate, IssuedDocument
from app.extensions import db
from app.mediation.models import MediationRecord, MediationResult
from app.notifications.models import Notification
from app.persons.operations import PersonData
from app.petitions.models import Channel, PetitionKind
from app.petitions.operations import register_petition
from app.reception.models import ReceptionKind, ReceptionOutcome
from app.reception.operations import record_visit
from app.subjects.queries import subject_by_code
from app.users.models import UserSession
from app.users.operations import create_user
from tests.factories import PASSWORD

#: Users outside TK's subtree, one per role.
OUTSIDERS = ("tl_reception", "tl_head", "tl_handler", "tl_admin", "tl_inspector")


@dataclass
class Scene:
    world: object
    objects: dict = field(default_factory=dict)

    def id(self, key: str) -> int:
        return self.objects[key].id


def _attachments_dir() -> str:
    path = current_app.config.get("ATTACHMENTS_DIR") or os.path.join(current_app.instance_path, "attachments")
    os.makedirs(path, exist_ok=True)
    return path


def add_attachment(petition, actor, name: str, description: str) -> Attachment:
    """Attach a small PDF to ``petition``: through the attachments operation if it exists, else as a row."""
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    try:
        from app.attachments.operations import upload_attachment  # the attachments engineer's operation
    except ImportError:
        upload_attachment = None
    if upload_attachment is not None:
        from werkzeug.datastructures import FileStorage

        return upload_attachment(
            FileStorage(io.BytesIO(content), filename=name, content_type="application/pdf"),
            actor,
            petition=petition,
            description=description,
        )
    stored = secrets.token_hex(16)
    with open(os.path.join(_attachments_dir(), stored), "wb") as fh:
        fh.write(content)
    att = Attachment(
        petition_id=petition.id,
        stored_name=stored,
        original_name=name[:255],
        content_type="application/pdf",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=description[:300],
        uploaded_by_id=actor.id,
    )
    db.session.add(att)
    db.session.flush()
    return att


def build_scene(world, text: str | None = None) -> Scene:
    """Create the scene's objects (see the module docstring) and commit."""
    from app.audit.operations import record
    from app.deadlines.models import CalendarOverride, DeadlineRule
    from app.deadlines.rules import RULE_FIELDS, create_rule

    t = (lambda default: text) if text is not None else (lambda default: default)
    s = Scene(world)
    u, units = world.users, world.units
    for username, role in (("tl_admin", Role.ADMIN), ("tl_inspector", Role.INSPECTOR)):
        u[username] = create_user(
            username=username, full_name=t(f"TL {role.value}"), unit=units["TL"], roles=[role], password=PASSWORD
        )
    visitor = PersonData(
        full_name=t("Lê Văn Tố"),
        citizen_id="079200000001",
        phone="0909000001",
        address_line=t("Số 5, ấp Bến Cam"),
        province_code=75,
    )
    session, walk_in = record_visit(
        unit=units["TK"],
        actor=u["reception"],
        received_at=utcnow() - timedelta(hours=1),
        kind=ReceptionKind.REGULAR,
        visitors=[visitor],
        people_count=1,
        content=t("Tố cáo cán bộ địa chính"),
        outcome=ReceptionOutcome.PETITION_RECEIVED,
        outcome_note=t("Đã nhận đơn"),
        petition_kind=PetitionKind.DENUNCIATION,
        petition_summary=t("Tố cáo sai phạm đất đai"),
    )
    walk_in.is_identity_confidential = True
    s.objects["session"] = session
    s.objects["visitor"] = session.visitors[0].person
    s.objects["walk_in"] = walk_in  # stays received (the decision form is on its page)
    petition = register_petition(
        unit=units["TK"],
        actor=u["reception"],
        received_on=local_today() - timedelta(3),
        channel=Channel.POST,
        kind=PetitionKind.DENUNCIATION,
        summary=t("Tố cáo cán bộ thu tiền"),
        content=t("Nội dung tố cáo"),
        source_agency=t("Sở Tài nguyên"),
        petitioners=[
            PersonData(
                full_name=t("Trần Thị Mật"),
                citizen_id="079200000002",
                phone="0909000002",
                address_line=t("Tổ 3, khu phố 2"),
                province_code=75,
            )
        ],
    )
    petition.is_identity_confidential = True
    accept_petition(
        petition,
        u["reception"],
        accepted_on=local_today() - timedelta(2),
        note=t("Đủ điều kiện thụ lý"),
        expected_version=UNCHECKED,
    )
    case = petition.case
    if text is not None:
        case.title = text
    perform(
        case,
        CaseAction.ASSIGN,
        u["head"],
        handler_id=u["handler"].id,
        note=t("Giao xác minh"),
        expected_version=UNCHECKED,
    )
    s.objects["petition"] = petition
    s.objects["case"] = case
    s.objects["attachment"] = add_attachment(petition, u["reception"], t("đơn-tố-cáo") + ".pdf", t("Bản scan đơn"))
    s.objects["notification"] = Notification(
        user_id=u["handler"].id,
        case_id=case.id,
        petition_id=petition.id,
        kind="due_soon",
        dedup_key="due_soon:scene:1",
        params=json.dumps({"number": case.number, "stage": "resolution", "due_on": "2026-12-01"}),
    )
    db.session.add(s.objects["notification"])
    national = db.session.scalars(
        select(DeadlineRule).where(DeadlineRule.unit_id.is_(None)).order_by(DeadlineRule.id)
    ).first()
    values = {name: getattr(national, name) for name in RULE_FIELDS}
    values.update(unit_id=units["TK"].id, note=t("Quy định riêng của xã"), legal_basis=t("Quyết định 1/QĐ-UBND"))
    s.objects["rule"], _moved = create_rule(u["admin"], t("Theo quyết định của UBND xã"), **values)
    s.objects["override"] = CalendarOverride(
        day=date(2026, 9, 3), is_working_day=False, document=t("Quyết định nghỉ bù"), created_by_id=u["admin"].id
    )
    db.session.add(s.objects["override"])
    s.objects["subject"] = subject_by_code("admin.land")
    s.objects["mediation"] = MediationRecord(
        unit_id=units["TK"].id,
        held_on=date(2026, 9, 1),
        mediators=t("Tổ hòa giải ấp 1"),
        parties=t("Hai hộ liền kề"),
        matter=t("Tranh chấp ranh giới"),
        result=MediationResult.FAILED,
        created_by_id=u["reception"].id,
    )
    db.session.add(s.objects["mediation"])
    s.objects["document"] = IssuedDocument(
        unit_id=units["TK"].id,
        kind="verification_assignment",
        state=DocumentState.ISSUED,
        case_id=case.id,
        year=local_today().year,
        symbol="QĐ-UBND",
        seq=1,
        number="1/QĐ-UBND",
        issued_on=local_today(),
        recipient=t("Hoàng Văn Xử"),
        is_redacted=True,
        created_by_id=u["head"].id,
        content={
            **{name: t("Nội dung văn bản") for name in PLACEHOLDERS},
            "paragraphs": [t("Điều 1. Giao xác minh")],
            "recipients": [t("Lưu: hồ sơ")],
            "labels": {},
            "paper": "A4",
            "redacted": True,
            "number": "1/QĐ-UBND",
        },
    )
    db.session.add(s.objects["document"])
    s.objects["template"] = DocumentTemplate(
        unit_id=units["TK"].id,
        kind="receipt",
        filename=t("mau") + ".docx",
        data=b"not used",
        sha256="0" * 64,
        uploaded_by_id=u["admin"].id,
    )
    db.session.add(s.objects["template"])
    s.objects["unit"] = units["TK"]
    s.objects["user"] = u["handler"]
    s.objects["audit"] = record(
        "identity.reveal", actor=u["head"], petition=petition, case=case, reason=t("Cần liên hệ người tố cáo")
    )
    s.objects["user_session"] = UserSession(
        id=secrets.token_hex(16), user_id=u["reception"].id, created_at=utcnow(), ip="127.0.0.1", user_agent=t("pytest")
    )
    db.session.add(s.objects["user_session"])
    db.session.commit()
    return s
