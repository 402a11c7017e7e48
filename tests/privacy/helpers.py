"""Shared fixtures' data and helpers of the privacy tests: one denunciation whose denunciator must not leak."""

import io
import re
import uuid
from dataclasses import dataclass

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.cases.models import CaseAction
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.roles import Role
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.persons.operations import PersonData
from app.petitions.models import PetitionKind
from app.privacy.policy import REVEAL_ACTION
from app.reception.models import ReceptionKind, ReceptionOutcome
from app.reception.operations import record_visit
from app.users.operations import create_user
from tests.factories import PASSWORD
from tests.petitions.helpers import text

#: The denunciator: every one of these strings is personal data that must not leak.
NAME = "Trịnh Thị Bímật"
CCCD = "079987654321"
PHONE = "0987654321"
ADDRESS = "Số 9 hẻm Kín"
SECRETS = (NAME, CCCD, PHONE, ADDRESS)
REASON = "Cần liên hệ người tố cáo để bổ sung chứng cứ"


@dataclass
class Denunciation:
    petition: object
    case: object
    visit: object


def make_denunciation(world) -> Denunciation:
    """A denunciation handed in at the TK desk today, accepted, its case assigned to ``handler``.

    Also adds ``handler3``, a second handling officer of TK who is not assigned to it.
    """
    world.users["handler3"] = create_user(
        username="handler3", full_name="Cao Văn Ba", unit=world.units["TK"], roles=[Role.HANDLER], password=PASSWORD
    )
    visit, petition = record_visit(
        unit=world.units["TK"],
        actor=world.users["reception"],
        received_at=utcnow(),
        kind=ReceptionKind.REGULAR,
        visitors=[PersonData(NAME, CCCD, phone=PHONE, province_code=75, ward_code=25357, address_line=ADDRESS)],
        people_count=1,
        content="Tố cáo cán bộ địa chính nhận tiền của dân",
        outcome=ReceptionOutcome.PETITION_RECEIVED,
        petition_kind=PetitionKind.DENUNCIATION,
        petition_summary="Tố cáo cán bộ địa chính",
    )
    accept_petition(
        petition,
        world.users["reception"],
        accepted_on=local_today(),
        expected_version=UNCHECKED,
    )
    perform(
        petition.case,
        CaseAction.ASSIGN,
        world.users["head"],
        handler_id=world.users["handler"].id,
        expected_version=UNCHECKED,
    )
    db.session.commit()
    return Denunciation(petition=petition, case=petition.case, visit=visit)


def ensure_sid(client) -> str:
    """The login session id of ``client`` (a CsrfClient); set one if login does not (yet) set it."""
    with client.client.session_transaction() as sess:
        if not sess.get("sid"):
            sess["sid"] = uuid.uuid4().hex
        return sess["sid"]


def reveal(client, petition, reason: str = REASON, **extra):
    """Post the reveal form of ``petition`` (with the CSRF token of its page)."""
    ensure_sid(client)
    data = {"reason": reason, **extra}
    return client.post(f"/privacy/petitions/{petition.id}/reveal", data, token_from=f"/petitions/{petition.id}")


def reveal_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == REVEAL_ACTION))


def audit_count(action: str | None = None) -> int:
    """The number of audit events (of ``action``; by default all but logins and account set-up)."""
    db.session.rollback()
    stmt = select(func.count()).select_from(AuditEvent)
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    else:
        stmt = stmt.where(AuditEvent.action.not_like("auth.%"), AuditEvent.action.not_like("user.%"))
    return db.session.scalar(stmt)


def leaked(page: str) -> list[str]:
    """The secrets found in ``page``."""
    return [s for s in SECRETS if s in page]


def section(page: str, testid: str) -> str:
    """The HTML of the element marked ``data-testid=testid`` (up to its table/section/dl end)."""
    m = re.search(r'<(\w+)[^>]*data-testid="%s".*?</\1>' % re.escape(testid), page, re.S)
    return m.group(0) if m else ""


def workbook_text(resp) -> str:
    """All the cell values of an exported workbook, one line a row."""
    wb = load_workbook(io.BytesIO(resp.data))
    lines = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            lines.append("\t".join("" if v is None else str(v) for v in row))
    return "\n".join(lines)


def page(client, url: str) -> str:
    return text(client.get(url))
