"""Who may issue, read and sign off the documents of a petition or a case (read-only predicates: the
operations refuse what they say no to, the pages offer only what they say yes to)."""

from ..cases.models import Case
from ..core.roles import Role
from ..petitions.models import Petition
from ..privacy import policy
from ..users.models import User
from .content import is_confidential, must_redact
from .kinds import DocumentKind
from .models import DocumentState, IssuedDocument


def can_issue(kind: DocumentKind, subject: Petition | Case, user: User) -> bool:
    """``user`` may issue ``kind`` on ``subject`` now: its state allows it, the user acts on it (the desk and
    the head on a petition of their units, the head or the handler on a case), and a document naming a
    confidential petitioner only by someone it is shown to."""
    if not kind.available(subject):
        return False
    if isinstance(subject, Petition):
        allowed = user.has_any_role(Role.RECEPTION, Role.HEAD) and user.oversees(subject.unit)
    else:
        allowed = subject.actor_role_ok((Role.HEAD, Role.HANDLER), user)
    if not allowed:
        return False
    if kind.code == "receipt" and isinstance(subject, Petition):
        # The officer who registered a confidential petition hands its receipt over at once (privacy.policy).
        return policy.shows_identity_on_receipt(user, subject)
    return must_redact(kind, subject) or shows_identity(user, subject)


def shows_identity(user: User, subject: Petition | Case) -> bool:
    petitions = [subject] if isinstance(subject, Petition) else list(subject.petitions)
    return all(policy.shows_identity(user, p) for p in petitions)


def can_read(document: IssuedDocument, subject: Petition | Case, user: User) -> bool:
    """A document that names a confidential petitioner is read only by someone it is shown to (a receipt
    also by the officer who just registered the petition, as the receipt slip)."""
    if document.is_redacted or not is_confidential(subject):
        return True
    if document.kind == "receipt" and isinstance(subject, Petition):
        return policy.shows_identity_on_receipt(user, subject)
    return shows_identity(user, subject)


def can_sign_off(document: IssuedDocument, subject: Petition | Case, user: User) -> bool:
    """``user`` may sign off ``document``'s redaction: it waits for it, they did not write it, and they act on
    its record (the officers of the petition's units, the case's head or handler)."""
    if document.state is not DocumentState.AWAITING_SIGNOFF or user.id == document.created_by_id:
        return False
    if isinstance(subject, Petition):
        return user.has_any_role(Role.RECEPTION, Role.HEAD) and user.oversees(subject.unit)
    return subject.actor_role_ok((Role.HEAD, Role.HANDLER), user)
