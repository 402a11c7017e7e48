"""The content of a document: the unit's letterhead, the place and date line, who it is addressed to, the
text, the signature block, and the fields a unit's DOCX template may place, as one plain dictionary (it is
stored with the issued document, so every copy of it is the same)."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from ..cases.models import Case
from ..core.i18n import LazyText
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..core.text import fold
from ..deadlines.models import Clock, Stage
from ..extensions import db
from ..persons.divisions import province_name, ward_name
from ..petitions.models import Petition
from ..units.models import Unit, UnitKind
from ..users.models import User
from .kinds import WITHHELD, DocumentKind, Draft, Facts, Recipient
from .models import DocumentSettings

#: The placeholders every document's DOCX template may use (a kind adds none of its own: the draft's text
#: is in ``paragraphs``). Documented on the templates page.
PLACEHOLDERS: dict[str, LazyText] = {
    "issuer_parent": _l("the body above the issuing body (upper case), or empty"),
    "issuer": _l("the issuing body (upper case)"),
    "number": _l("the document's number, e.g. 12/TB-UBND (the receipt: its receipt number)"),
    "place_date": _l("the place and date line, e.g. Tân Khai, ngày 06 tháng 12 năm 2026"),
    "title": _l("the title (upper case)"),
    "subtitle": _l("the line under the title (V/v …), or empty"),
    "addressee": _l("who it is addressed to (Kính gửi), or empty"),
    "paragraphs": _l("the text, a list of paragraphs (a loop over them, as in the default template)"),
    "recipients": _l("the Nơi nhận lines, a list"),
    "signer_authority": _l("on whose behalf it is signed (TM. ỦY BAN NHÂN DÂN), or empty"),
    "signer_title": _l("the signer's title (CHỦ TỊCH)"),
    "signer_name": _l("the signer's full name"),
    "receipt_no": _l("the petition's receipt number"),
    "received_on": _l("the day the petition was received (dd/mm/yyyy)"),
    "petitioner": _l("the petitioner's name (withheld on a redacted copy)"),
    "address": _l("the petitioner's address (withheld on a redacted copy)"),
    "summary": _l("the petition's summary"),
    "case_number": _l("the case's number, or empty"),
    "answer_by": _l("the day by which the citizen is answered, or the case resolved (dd/mm/yyyy)"),
    "enclosures": _l("the documents handed in with the petition (the receipt), or empty"),
}
#: A template must place these (without them it would not say what it is).
REQUIRED_PLACEHOLDERS = ("number", "paragraphs")


@dataclass(frozen=True)
class Letterhead:
    issuer_parent: str
    issuer: str
    body_symbol: str
    place: str
    signer_authority: str
    signer_title: str
    signer_name: str


def _is_committee(unit: Unit) -> bool:
    return unit.kind in (UnitKind.PROVINCE, UnitKind.COMMUNE)


def _place(unit: Unit) -> str:
    """The place name of a unit's seat without its kind ("Xã Tân Khai" -> "Tân Khai")."""
    name = ward_name(unit.ward_code) or province_name(unit.province_code) or unit.name
    return re.sub(r"^(Xã|Phường|Thị trấn|Đặc khu|Tỉnh|Thành phố)\s+", "", name)


def letterhead(unit: Unit) -> Letterhead:
    """What the documents of ``unit`` (its body: an office signs in its body's name) say of it: its
    settings, each empty one derived from the unit."""
    body = unit.body
    settings = db.session.get(DocumentSettings, body.id)
    committee = _is_committee(body)
    head = next(
        (u.full_name for u in sorted(body_users(body), key=lambda u: u.id) if u.is_active and u.has_role(Role.HEAD)),
        "",
    )
    with force_locale(current_app.config["DOCUMENT_LOCALE"]):
        default_authority = _("ON BEHALF OF THE PEOPLE'S COMMITTEE") if committee else ""
        default_title = _("CHAIRMAN") if committee else _("HEAD")
    return Letterhead(
        issuer_parent=(body.parent.name.upper() if body.parent else ""),
        issuer=body.name.upper(),
        body_symbol=(settings and settings.body_symbol) or ("UBND" if committee else body.code),
        place=(settings and settings.place_name) or _place(body),
        signer_authority=(settings and settings.signer_authority) or default_authority,
        signer_title=(settings and settings.signer_title) or default_title,
        signer_name=(settings and settings.signer_name) or head,
    )


def body_users(body: Unit) -> list[User]:
    return list(db.session.execute(db.select(User).where(User.unit_id == body.id)).unique().scalars())


def place_date(place: str, on: date) -> str:
    """The place and date line (Decree 30/2020: a day below 10 and the months 1 and 2 get a leading 0)."""
    day = f"{on.day:02d}" if on.day < 10 else str(on.day)
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return _("%(place)s, day %(day)s month %(month)s year %(year)d", place=place, day=day, month=month, year=on.year)


def subject_petition(subject: Petition | Case) -> Petition:
    return subject if isinstance(subject, Petition) else subject.petitions[0]


def is_confidential(subject: Petition | Case) -> bool:
    if isinstance(subject, Petition):
        return subject.is_identity_confidential
    return any(p.is_identity_confidential for p in subject.petitions)


def must_redact(kind: DocumentKind, subject: Petition | Case) -> bool:
    """A copy for someone other than a confidential petitioner withholds their identity."""
    return kind.recipient is Recipient.OTHERS and is_confidential(subject)


def answer_by(subject: Petition | Case) -> date | None:
    """The day the citizen is answered by (a petition's first answer) or the case resolved by."""
    if isinstance(subject, Petition):
        clock = db.session.scalar(
            db.select(Clock).where(Clock.petition_id == subject.id, Clock.stage == Stage.FIRST_ANSWER)
        )
    else:
        clock = db.session.scalar(db.select(Clock).where(Clock.case_id == subject.id, Clock.stage == Stage.RESOLUTION))
    return clock.due_on if clock is not None else None


def identity(petition: Petition) -> tuple[str, str]:
    """The petitioners' names and the first one's address (the anonymous petition: its words)."""
    if petition.is_anonymous or not petition.parties:
        return _("anonymous petitioner"), "…"
    people = petition.petitioners
    return ", ".join(p.full_name for p in people), people[0].address or "…"


def identifiers(subject: Petition | Case) -> list[str]:
    """What names a petitioner in a text (their name, CCCD, phone, address line): none of it may stay in a
    redacted copy."""
    petitions = [subject] if isinstance(subject, Petition) else list(subject.petitions)
    found: list[str] = []
    for petition in petitions:
        for person in petition.petitioners:
            found += [v for v in (person.full_name, person.citizen_id, person.phone, person.address_line) if v]
    return found


def leaks(text: str, subject: Petition | Case) -> list[str]:
    """The identifiers of the petitioners still in ``text`` (names compared without diacritics or case)."""
    folded = f" {fold(text)} "
    digits = re.sub(r"[^0-9]", "", text)
    out = []
    for value in identifiers(subject):
        if re.fullmatch(r"[0-9 .+()-]+", value):
            # Digits in any spacing, a phone also as +84… (its leading 0 dropped).
            plain = re.sub(r"[^0-9]", "", value)
            core = plain[1:] if plain.startswith("0") else plain
            if core and core in digits:
                out.append(value)
        elif fold(value) and f" {fold(value)} " in folded:
            out.append(value)
    return out


def strings(value: Any) -> list[str]:
    """Every text in a document's content (its placeholders, lists and labels)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def draft(kind: DocumentKind, subject: Petition | Case, on: date, head: Letterhead) -> Draft:
    """The kind's proposed text for ``subject`` issued ``on``, in the documents' language, withheld where a
    redacted copy must be."""
    petition = subject_petition(subject)
    redact = must_redact(kind, subject)
    with force_locale(current_app.config["DOCUMENT_LOCALE"]):
        name, address = identity(petition)
        if redact:
            name = address = str(WITHHELD)
        handler = subject.handler.full_name if isinstance(subject, Case) and subject.handler else "…"
        due = answer_by(subject)
        facts = Facts(
            petitioner=name,
            address=address,
            received_on=petition.received_on.strftime("%d/%m/%Y"),
            issued_on=on.strftime("%d/%m/%Y"),
            answer_by=due.strftime("%d/%m/%Y") if due else "…",
            unit_name=petition.unit.body.name,
            handler=handler,
        )
        return kind.draft(subject, facts)


def content(
    kind: DocumentKind,
    subject: Petition | Case,
    *,
    on: date,
    head: Letterhead,
    number: str,
    addressee: str,
    paragraphs: list[str],
    recipients: list[str],
    enclosures: str = "",
) -> dict[str, Any]:
    """The document as issued: every placeholder of ``PLACEHOLDERS`` and its paper size."""
    petition = subject_petition(subject)
    redact = must_redact(kind, subject)
    with force_locale(current_app.config["DOCUMENT_LOCALE"]):
        name, address = identity(petition)
        if redact:
            name = address = str(WITHHELD)
        due = answer_by(subject)
        text = draft(kind, subject, on, head)
        return {
            "kind": kind.code,
            "paper": kind.paper,
            "redacted": redact,
            "issuer_parent": head.issuer_parent,
            "issuer": head.issuer,
            "number": number,
            "place_date": place_date(head.place, on),
            "title": str(kind.title),
            "subtitle": text.subtitle,
            "addressee": addressee,
            "paragraphs": [p for p in paragraphs if p.strip()],
            "recipients": recipients,
            "signer_authority": head.signer_authority,
            "signer_title": head.signer_title,
            "signer_name": head.signer_name,
            "receipt_no": petition.receipt_no,
            "received_on": petition.received_on.strftime("%d/%m/%Y"),
            "petitioner": name,
            "address": address,
            "summary": str(WITHHELD) if redact else petition.summary,
            "case_number": subject.number
            if isinstance(subject, Case)
            else (petition.case.number if petition.case else ""),
            "answer_by": due.strftime("%d/%m/%Y") if due else "",
            "enclosures": enclosures,
            "motto_country": _("SOCIALIST REPUBLIC OF VIETNAM"),
            "motto": _("Independence – Freedom – Happiness"),
            "labels": {
                "number": _("No."),
                "addressee": _("To:"),
                "recipients": _("Recipients:"),
                "enclosures": _("Documents handed in:"),
                "petitioner": _("Petitioner"),
                "signature": _("(signature, full name)"),
                "redacted": _("Redacted copy: the petitioner's identity is withheld"),
            },
        }
