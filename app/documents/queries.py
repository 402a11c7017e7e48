"""What the documents panel of a petition or a case shows: what can be issued now, and what was issued."""

from dataclasses import dataclass

from sqlalchemy import select

from ..cases.models import Case
from ..extensions import db
from ..petitions.models import Petition
from ..users.models import User
from .kinds import KINDS, DocumentKind, kinds_for
from .models import DocumentSettings, DocumentTemplate, IssuedDocument
from .policy import can_issue, can_read


@dataclass
class Panel:
    issuable: list[DocumentKind]
    #: (the document, its kind, may the user open it).
    issued: list[tuple[IssuedDocument, DocumentKind, bool]]


def documents_panel(subject: Petition | Case, user: User) -> Panel:
    column = IssuedDocument.petition_id if isinstance(subject, Petition) else IssuedDocument.case_id
    documents = db.session.execute(
        select(IssuedDocument).where(column == subject.id).order_by(IssuedDocument.id)
    ).scalars()
    subject_name = "petition" if isinstance(subject, Petition) else "case"
    return Panel(
        issuable=[k for k in kinds_for(subject_name) if can_issue(k, subject, user)],
        issued=[(d, KINDS[d.kind], can_read(d, subject, user)) for d in documents],
    )


def document_by_id(document_id: int) -> IssuedDocument | None:
    return db.session.get(IssuedDocument, document_id)


def settings_of(unit_id: int) -> DocumentSettings | None:
    return db.session.get(DocumentSettings, unit_id)


def current_templates(unit_id: int, kind: str | None = None) -> list[DocumentTemplate]:
    """The templates a unit uses now (of one kind, or of every kind): those no newer upload replaced."""
    stmt = select(DocumentTemplate).where(DocumentTemplate.unit_id == unit_id, DocumentTemplate.replaced_at.is_(None))
    if kind is not None:
        stmt = stmt.where(DocumentTemplate.kind == kind)
    return list(db.session.execute(stmt.order_by(DocumentTemplate.id)).scalars())


def unit_template(unit_id: int, kind: str) -> DocumentTemplate | None:
    """The template a unit's documents of ``kind`` use (None: the default layout)."""
    found = current_templates(unit_id, kind)
    return found[-1] if found else None


def template_in_scope(template_id: int, unit_ids: set[int]) -> DocumentTemplate | None:
    template = db.session.get(DocumentTemplate, template_id)
    return template if template is not None and template.unit_id in unit_ids else None
