"""What the documents panel of a petition or a case shows: what can be issued now, and what was issued."""

from dataclasses import dataclass

from sqlalchemy import select

from ..cases.models import Case
from ..extensions import db
from ..petitions.models import Petition
from ..users.models import User
from .kinds import KINDS, DocumentKind, kinds_for
from .models import IssuedDocument
from .operations import can_issue, can_read


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
