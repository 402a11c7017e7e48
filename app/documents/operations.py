"""Issuing documents: the draft filled in by the officer becomes a numbered document of the unit's outgoing
register, on the petition's or case's timeline; a redacted copy waits for a second officer's sign-off first;
every print and download is an audit event."""

import hashlib
from dataclasses import replace
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.operations import record
from ..cases.models import Case
from ..cases.operations import log_case_event
from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.locking import check_version
from ..core.sequences import next_number
from ..core.timeutil import local_today, utcnow
from ..extensions import db
from ..petitions.models import Petition
from ..petitions.operations import log_petition_event
from ..units.models import Unit
from ..users.models import User
from .content import content, is_confidential, leaks, letterhead, must_redact, strings, subject_petition
from .kinds import KINDS, DocumentKind, Recipient
from .models import DocumentSettings, DocumentState, DocumentTemplate, IssuedDocument
from .policy import can_issue, can_sign_off
from .queries import current_templates, settings_of
from .render import check_template


def issue_document(
    kind: DocumentKind,
    subject: Petition | Case,
    actor: User,
    *,
    on: date,
    recipient: str,
    addressee: str,
    body: str,
    recipients: str,
    enclosures: str = "",
    signer_authority: str | None = None,
    signer_title: str = "",
    signer_name: str = "",
    form_token: str | None = None,
) -> IssuedDocument:
    """Issue ``kind`` on ``subject``: numbered now, or, for a redacted copy, once a second officer signs the
    redaction off. ``body``: the text as the officer edited it (paragraphs separated by blank lines).
    ``form_token``: the issue form's one-time token: the same form posted twice issues one document."""
    if form_token:
        earlier = db.session.scalar(select(IssuedDocument).where(IssuedDocument.form_token == form_token))
        if earlier is not None:
            return earlier  # a second post of the same form (a double click, a resent request)
    if not can_issue(kind, subject, actor):
        raise PermissionRefused(_l("You cannot issue this document on this record now."))
    if on > local_today():
        raise TransitionRefused(_l("A document cannot be dated in the future."))
    petition = subject_petition(subject)
    if on < petition.received_on:
        raise TransitionRefused(_l("A document cannot be dated before the petition was received."))
    paragraphs = [" ".join(p.split()) for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not paragraphs:
        raise TransitionRefused(_l("Write the text of the document."))
    redact = must_redact(kind, subject)
    unit = petition.unit.body
    head = letterhead(unit)
    head = replace(
        head,
        signer_title=signer_title.strip() or head.signer_title,
        signer_name=signer_name.strip() or head.signer_name,
        # The form's line as typed (empty: none, as on a receipt the officer signs); None: the unit's.
        signer_authority=head.signer_authority if signer_authority is None else signer_authority.strip(),
    )
    symbol = _symbol(kind, head.body_symbol)
    document_content = content(
        kind,
        subject,
        on=on,
        head=head,
        number=_draft_number(kind, petition, symbol),
        addressee=addressee.strip(),
        paragraphs=paragraphs,
        recipients=[r.strip() for r in recipients.splitlines() if r.strip()],
        enclosures=" ".join(enclosures.split()),
    )
    if redact:
        # Every text of the copy, and who it is said to go to: none may name the petitioner.
        named = leaks("\n".join([recipient, *strings(document_content)]), subject)
        if named:
            raise TransitionRefused(
                _(
                    "This copy must not name the petitioner, whose identity is confidential: remove %(n)d mention(s) "
                    "of their name, CCCD, phone or address.",
                    n=len(named),
                )
            )
    document = IssuedDocument(
        unit_id=unit.id,
        kind=kind.code,
        state=DocumentState.AWAITING_SIGNOFF,  # issued once numbered (below, or at the sign-off)
        petition_id=petition.id if isinstance(subject, Petition) else None,
        case_id=subject.id if isinstance(subject, Case) else None,
        year=on.year,
        symbol=symbol,
        recipient=recipient.strip()[:300] or "…",
        is_redacted=redact,
        created_by_id=actor.id,
        content=document_content,
        issued_on=on,
        form_token=form_token or None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(document)
            db.session.flush()
    except IntegrityError:
        # The same form posted twice at once: the first post issued it.
        earlier = db.session.scalar(select(IssuedDocument).where(IssuedDocument.form_token == form_token))
        if form_token and earlier is not None:
            return earlier
        raise
    if not redact:
        _number(document, kind, petition)
    db.session.flush()
    _log(document, subject, actor, "issue" if not redact else "redact")
    return document


def sign_off(document: IssuedDocument, subject: Petition | Case, kind: DocumentKind, actor: User, *, version) -> None:
    """A second officer (or the head) confirms the redaction of a copy: it is numbered and issued."""
    check_version(document, version)
    if document.state is not DocumentState.AWAITING_SIGNOFF:
        raise TransitionRefused(_l("This document is not waiting for a sign-off."))
    if actor.id == document.created_by_id:
        raise PermissionRefused(_l("A second officer or the head signs the redaction off, not its author."))
    if not can_sign_off(document, subject, actor):
        raise PermissionRefused(_l("You cannot sign off documents of this unit."))
    document.signed_off_by_id, document.signed_off_at = actor.id, utcnow()
    _number(document, kind, subject_petition(subject))
    db.session.flush()
    _log(document, subject, actor, "signoff")


def record_output(document: IssuedDocument, actor: User, output: str) -> None:
    """A print, a DOCX or a PDF of ``document`` was handed to ``actor``: an audit event."""
    record(
        f"document.{output}",
        actor=actor,
        petition=document.petition_id,
        case=document.case_id,
        object_type="document",
        object_id=document.id,
        detail={"kind": document.kind, "number": document.number, "redacted": document.is_redacted},
    )


def _symbol(kind: DocumentKind, body_symbol: str) -> str:
    if kind.type_symbol is None:
        return "receipt"
    return f"{kind.type_symbol}-{body_symbol}" if kind.type_symbol else f"{body_symbol}-TCD"


def _series(symbol: str) -> str:
    """The counter of a symbol (the counters' key is short: a long symbol is known by its digest)."""
    key = f"d:{symbol}"
    return key if len(key) <= 16 else "d:" + hashlib.sha256(symbol.encode()).hexdigest()[:14]


def _draft_number(kind: DocumentKind, petition: Petition, symbol: str) -> str:
    return petition.receipt_no if kind.type_symbol is None else f"…/{symbol}"


def _number(document: IssuedDocument, kind: DocumentKind, petition: Petition) -> None:
    """Give ``document`` the next number of its unit's outgoing register (the receipt: its receipt number),
    and issue it."""
    if kind.type_symbol is None:
        document.number = petition.receipt_no
    else:
        document.seq = next_number(document.unit_id, _series(document.symbol), document.year)
        document.number = f"{document.seq}/{document.symbol}"
    document.content = {**document.content, "number": document.number}
    document.state = DocumentState.ISSUED


def _log(document: IssuedDocument, subject: Petition | Case, actor: User, action: str) -> None:
    label = str(KINDS[document.kind].label)
    if action == "redact":
        note = _("%(doc)s (redacted copy for %(to)s): awaiting sign-off", doc=label, to=document.recipient)
    else:
        on = document.issued_on.strftime("%d/%m/%Y") if document.issued_on else "…"
        if KINDS[document.kind].recipient is Recipient.PETITIONER and is_confidential(subject):
            # The timeline is read by people the petitioner is hidden from: it does not say who it went to.
            note = _("%(doc)s no. %(no)s of %(on)s", doc=label, no=document.number, on=on)
        else:
            note = _("%(doc)s no. %(no)s of %(on)s to %(to)s", doc=label, no=document.number, on=on,
                     to=document.recipient)  # fmt: skip
    if isinstance(subject, Petition):
        log_petition_event(subject, actor, "document", note)
    else:
        log_case_event(subject, actor, "document", None, None, note)
    record(
        f"document.{action}",
        actor=actor,
        petition=document.petition_id,
        case=document.case_id,
        object_type="document",
        object_id=document.id,
        detail={"kind": document.kind, "number": document.number, "redacted": document.is_redacted},
    )


def save_settings(unit: Unit, actor: User, *, version, **values: Any) -> DocumentSettings:
    settings = settings_of(unit.id)
    if settings is None:
        settings = DocumentSettings(unit_id=unit.id)
        db.session.add(settings)
    else:
        check_version(settings, version)  # saved meanwhile (or first saved) by someone else: refused as stale
    for name, value in values.items():
        setattr(settings, name, (value or "").strip() or None)
    settings.updated_by_id = actor.id
    db.session.flush()
    record("document.settings", actor=actor, object_type="unit", object_id=unit.id, detail=values)
    return settings


def upload_template(
    unit: Unit, kind: DocumentKind, actor: User, filename: str, data: bytes, sample: dict
) -> DocumentTemplate:
    """Replace ``unit``'s template of ``kind`` by an uploaded DOCX, once it is checked."""
    check_template(data, sample)
    now = utcnow()
    for old in current_templates(unit.id, kind.code):
        old.replaced_at = now
    template = DocumentTemplate(
        unit_id=unit.id,
        kind=kind.code,
        filename=filename[:255],
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=actor.id,
    )
    db.session.add(template)
    db.session.flush()
    record("document.template", actor=actor, object_type="unit", object_id=unit.id,
           detail={"kind": kind.code, "file": template.filename, "sha256": template.sha256})  # fmt: skip
    return template
