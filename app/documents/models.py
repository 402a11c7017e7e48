"""The documents a unit issues (receipts, slips, notices, minutes, decisions) and what it issues them with:
its letterhead settings and the DOCX templates an administrator uploaded for it."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import EnumStr
from ..core.enums import LabeledEnum
from ..core.i18n import lazy_gettext as _l
from ..core.timeutil import utcnow
from ..extensions import Model
from ..units.models import Unit
from ..users.models import User


class DocumentState(LabeledEnum):
    #: A copy for someone other than the denunciator, redacted by its author: it waits for a second officer
    #: or the head to sign the redaction off; it has no number yet and cannot be printed.
    AWAITING_SIGNOFF = "awaiting_signoff"
    ISSUED = "issued"

    __labels__ = {
        "awaiting_signoff": _l("Redacted, awaiting sign-off"),
        "issued": _l("Issued"),
    }


class DocumentSettings(Model):
    """A unit's letterhead: what its documents say of it (each field, when empty, is derived from the unit)."""

    __tablename__ = "document_settings"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    #: The issuing body's abbreviation in document numbers ("UBND" in "12/TB-UBND").
    body_symbol: Mapped[str | None] = mapped_column(String(30))
    #: The place name of the place-and-date line ("Tân Khai, ngày … tháng … năm …").
    place_name: Mapped[str | None] = mapped_column(String(100))
    #: The signing line: on behalf of whom, the signer's title and name.
    signer_authority: Mapped[str | None] = mapped_column(String(100))
    signer_title: Mapped[str | None] = mapped_column(String(100))
    signer_name: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class DocumentTemplate(Model):
    """A DOCX template an administrator uploaded for one kind of document of one unit. A newer upload
    replaces it (the older row stays, marked replaced)."""

    __tablename__ = "document_templates"
    __table_args__ = (Index("ix_document_templates_unit_kind", "unit_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    #: A document kind's code (``documents.kinds``).
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime)

    unit: Mapped[Unit] = relationship()
    uploaded_by: Mapped[User] = relationship()


class IssuedDocument(Model):
    """One document issued on a petition or a case: its kind, number and date, and the content it was
    issued with (frozen: a reprint, a DOCX or a PDF of it is the same document)."""

    __tablename__ = "issued_documents"
    __table_args__ = (
        CheckConstraint("petition_id IS NOT NULL OR case_id IS NOT NULL", name="has_subject"),
        CheckConstraint("state <> 'issued' OR number IS NOT NULL", name="issued_has_number"),
        # The outgoing register: one number per unit, year and symbol (NULL seq: numbered otherwise).
        UniqueConstraint("unit_id", "year", "symbol", "seq", name="uq_issued_documents_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The issuing unit (the body whose register numbers it).
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[DocumentState] = mapped_column(EnumStr(DocumentState))
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    #: The outgoing register's year, symbol ("TB-UBND") and number in it; a receipt carries the petition's
    #: receipt number instead (no seq).
    year: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int | None] = mapped_column(Integer)
    #: As printed: "12/TB-UBND" (None until issued).
    number: Mapped[str | None] = mapped_column(String(80))
    issued_on: Mapped[date | None] = mapped_column(Date)
    #: Who the document goes to, in words.
    recipient: Mapped[str] = mapped_column(String(300))
    #: A copy that does not name the denunciator (their identity replaced, the content redacted).
    is_redacted: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The frozen content: the letterhead, the number, the title, the paragraphs, the signature block and
    #: the fields a unit's DOCX template may place.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The one-time token of the form it was issued from: posting that form again issues nothing new.
    form_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])
