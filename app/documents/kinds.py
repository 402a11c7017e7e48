"""The kinds of document a unit issues, as data: what each is called, its type symbol in the outgoing
register, what it is issued on (a petition or a case) and when, who it goes to, its paper size, and the
draft of its text, which the officer edits before issuing.

Every layout is TiepDan's own, in the administrative format of Decree 30/2020/NĐ-CP (the national motto,
the issuing body, "Số: …/TB-UBND", the place and date, the title, the body, "Nơi nhận" and the signature
block). Circular 05/2021/TT-TTCP gives forms for several of them; TiepDan does not claim to reproduce those
forms word for word (their numbers are not cited here because they could not be checked against the text):
a unit that must follow a form exactly uploads it as its DOCX template.

The texts are written in English and translated; documents are always issued in Vietnamese
(``DOCUMENT_LOCALE``), the language of official documents.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _

from ..cases.models import Case, CaseState
from ..core.i18n import LazyText
from ..core.i18n import lazy_gettext as _l
from ..petitions.models import FiledReason, Petition, PetitionKind, PetitionState


class Recipient(StrEnum):
    #: Addressed to the petitioner: it names them, and goes only to them.
    PETITIONER = "petitioner"
    #: Addressed to another body, the verifier, the accused or the parties: for a confidential petitioner,
    #: a redacted copy (their identity withheld, the text redacted and signed off by a second officer).
    OTHERS = "others"


#: What a redacted copy says instead of the denunciator's name, address, CCCD and phone.
WITHHELD = _l("[withheld: the petitioner's identity is confidential]")


@dataclass(frozen=True)
class Draft:
    """What a kind proposes before the officer edits it: the subtitle ("V/v …"), who it is addressed to,
    the body paragraphs and the "Nơi nhận" lines."""

    subtitle: str
    addressee: str
    paragraphs: list[str]
    recipients: list[str]


@dataclass(frozen=True)
class DocumentKind:
    code: str
    #: Its name in the interface and on the timeline.
    label: LazyText
    #: The printed title (upper case on the page).
    title: LazyText
    #: The type symbol of its number ("TB" in "12/TB-UBND"); "" for an official letter (công văn, numbered
    #: "12/UBND-TCD"); None for the receipt, which carries the petition's receipt number.
    type_symbol: str | None
    #: "petition" or "case".
    subject: str
    paper: str
    recipient: Recipient
    #: May it be issued on this petition or case now (by its state)?
    available: Callable[[Any], bool]
    draft: Callable[[Any, "Facts"], Draft]
    #: The receipt lists the documents handed in with the petition.
    has_enclosures: bool = False


@dataclass(frozen=True)
class Facts:
    """What a draft says of the people and the dates, already withheld on a redacted copy."""

    petitioner: str
    address: str
    received_on: str
    issued_on: str
    answer_by: str
    unit_name: str
    handler: str


def _d(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def _main_petition(case: Case) -> Petition:
    return case.petitions[0]


def _received_yours(p: Petition, f: Facts) -> str:
    """The opening line of a letter to the petitioner: when their petition came, its number and matter."""
    return _(
        "On %(date)s, %(unit)s received your %(kind)s (receipt no. %(no)s) about: %(summary)s",
        date=f.received_on,
        unit=f.unit_name,
        kind=str(p.kind.label).lower(),
        no=p.receipt_no,
        summary=p.summary,
    )


def _receipt(p: Petition, f: Facts) -> Draft:
    return Draft(
        subtitle="",
        addressee="",
        paragraphs=[
            _(
                "%(unit)s received on %(date)s the petition of %(name)s, residing at %(address)s.",
                unit=f.unit_name,
                date=f.received_on,
                name=f.petitioner,
                address=f.address,
            ),  # fmt: skip
            _("Kind of petition: %(kind)s. Receipt number: %(no)s.", kind=str(p.kind.label), no=p.receipt_no),
            _("Content: %(summary)s", summary=p.summary),
            _("The petitioner will be answered by %(date)s at the latest.", date=f.answer_by),
            _("Keep this receipt and quote its number when you ask about your petition."),
        ],
        recipients=[_("The petitioner;"), _("Filed: the reception office.")],
    )


def _transfer_slip(p: Petition, f: Facts) -> Draft:
    return Draft(
        subtitle=_("Re: transfer of a petition"),
        addressee=p.transferred_to or "…",
        paragraphs=[
            _(
                "On %(date)s, %(unit)s received the %(kind)s of %(name)s, address: %(address)s (receipt no. %(no)s).",
                date=f.received_on,
                unit=f.unit_name,
                kind=str(p.kind.label).lower(),
                name=f.petitioner,
                address=f.address,
                no=p.receipt_no,
            ),  # fmt: skip
            _("Content: %(summary)s", summary=p.summary),
            _(
                "The petition is outside the competence of %(unit)s. It is transferred to you for handling under "
                "your competence, as the law provides.",
                unit=f.unit_name,
            ),  # fmt: skip
            _("Please inform %(unit)s and the petitioner of the result.", unit=f.unit_name),
        ],
        recipients=[_("As addressed;"), _("The petitioner (for information);"), _("Filed: the reception office.")],
    )


def _guidance_slip(p: Petition, f: Facts) -> Draft:
    return Draft(
        subtitle=_("Re: guidance on where to send a petition"),
        addressee=f.petitioner,
        paragraphs=[
            _received_yours(p, f),
            _("Its content is not within the competence of %(unit)s.", unit=f.unit_name),
            _("You are guided to send your petition to: %(guidance)s", guidance=p.guidance or "…"),
        ],
        recipients=[_("As addressed;"), _("Filed: the reception office.")],
    )


def _acceptance_notice(c: Case, f: Facts) -> Draft:
    p = _main_petition(c)
    basis = (
        _("Law on Complaints 2011, articles 27 and 36")
        if c.kind is PetitionKind.COMPLAINT
        else _("Law on Denunciations 2018, article 29")
    )
    return Draft(
        subtitle=_("Re: acceptance of a %(kind)s for resolution", kind=str(c.kind.label).lower()),
        addressee=f.petitioner,
        paragraphs=[
            _("Pursuant to the %(basis)s;", basis=basis),
            _received_yours(p, f),
            _(
                "It meets the conditions for resolution and was accepted on %(date)s as case %(case)s.",
                date=_d(c.accepted_on),
                case=c.number,
            ),  # fmt: skip
            _(
                "%(unit)s will resolve it within the period the law provides and notify you of the result.",
                unit=f.unit_name,
            ),  # fmt: skip
        ],
        recipients=[_("As addressed;"), _("Filed: the case file.")],
    )


#: The article a refusal to accept rests on, by the reason it was filed for and the kind of petition.
REFUSAL_BASIS = {
    PetitionKind.COMPLAINT: _l("Law on Complaints 2011, article 11"),
    PetitionKind.DENUNCIATION: _l("Law on Denunciations 2018, article 27"),
    PetitionKind.RECOMMENDATION: _l("Decree 124/2020/NĐ-CP and the unit's rules on handling petitions"),
    PetitionKind.FEEDBACK: _l("Decree 124/2020/NĐ-CP and the unit's rules on handling petitions"),
}


def _refusal_notice(p: Petition, f: Facts) -> Draft:
    reason = str(p.filed_reason.label) if p.filed_reason else "…"
    return Draft(
        subtitle=_("Re: a petition not accepted for resolution"),
        addressee=f.petitioner,
        paragraphs=[
            _received_yours(p, f),
            _("The petition is not accepted for resolution. Reason: %(reason)s.", reason=reason),
            _("Legal basis: %(basis)s.", basis=str(REFUSAL_BASIS[p.kind])),
            p.decision_note or "",
        ],
        recipients=[_("As addressed;"), _("Filed: the reception office.")],
    )


def _verification_assignment(c: Case, f: Facts) -> Draft:
    p = _main_petition(c)
    return Draft(
        subtitle=_("On assigning the verification of the content of case %(case)s", case=c.number),
        addressee="",
        paragraphs=[
            _(
                "Article 1. %(handler)s is assigned to verify the content of the %(kind)s of %(name)s (case %(case)s, "
                "receipt no. %(no)s) about: %(summary)s",
                handler=f.handler,
                kind=str(c.kind.label).lower(),
                name=f.petitioner,
                case=c.number,
                no=p.receipt_no,
                summary=p.summary,
            ),  # fmt: skip
            _(
                "Article 2. The person assigned collects the information, documents and evidence, works with the "
                "people concerned, and reports the verification in writing before %(date)s.",
                date=f.answer_by,
            ),  # fmt: skip
            _(
                "Article 3. This decision takes effect from the day it is signed. The person assigned and those "
                "concerned carry it out."
            ),  # fmt: skip
        ],
        recipients=[_("As in article 3;"), _("Filed: the case file.")],
    )


def _minutes(subtitle: LazyText | None) -> Callable[[Case, Facts], Draft]:
    def build(c: Case, f: Facts) -> Draft:
        return Draft(
            subtitle=str(subtitle) if subtitle else "",
            addressee="",
            paragraphs=[
                _(
                    "Today, %(date)s, at the office of %(unit)s, on case %(case)s.",
                    date=f.issued_on,
                    unit=f.unit_name,
                    case=c.number,
                ),  # fmt: skip
                _(
                    "Present: for %(unit)s, %(handler)s; the petitioner %(name)s; others concerned: …",
                    unit=f.unit_name,
                    handler=f.handler,
                    name=f.petitioner,
                ),  # fmt: skip
                _("Content of the meeting: …"),
                _("The minutes were read to those present, who agreed with them and signed below."),
            ],
            recipients=[_("Those present;"), _("Filed: the case file.")],
        )

    return build


def _complaint_decision(c: Case, f: Facts) -> Draft:
    p = _main_petition(c)
    instance = _("first") if c.instance != 2 else _("second")
    return Draft(
        subtitle=_(
            "On the resolution of the complaint of %(name)s (%(instance)s instance)",
            name=f.petitioner,
            instance=instance,
        ),  # fmt: skip
        addressee="",
        paragraphs=[
            _("Pursuant to the Law on Complaints 2011;"),
            _(
                "Considering the complaint of %(name)s, address: %(address)s, received on %(date)s (receipt no. "
                "%(no)s), about: %(summary)s",
                name=f.petitioner,
                address=f.address,
                date=f.received_on,
                no=p.receipt_no,
                summary=p.summary,
            ),  # fmt: skip
            _("Considering the verification report and the result of the dialogue on case %(case)s;", case=c.number),
            _("Article 1. The complaint is … (upheld / partly upheld / rejected)."),
            _("Article 2. … (what is to be done, by whom and by when)."),
            _(
                "Article 3. If they disagree with this decision, the complainant and the persons concerned may "
                "lodge a second complaint or sue in an administrative court, as the law provides."
            ),  # fmt: skip
        ],
        recipients=[_("The complainant;"), _("The persons concerned;"), _("Filed: the case file.")],
    )


def _denunciation_conclusion(c: Case, f: Facts) -> Draft:
    return Draft(
        subtitle=_("On the content of the denunciation in case %(case)s", case=c.number),
        addressee="",
        paragraphs=[
            _("Pursuant to the Law on Denunciations 2018, article 35;"),
            _(
                "After verifying the content of the denunciation accepted on %(date)s (case %(case)s), %(unit)s "
                "concludes as follows:",
                date=_d(c.accepted_on),
                case=c.number,
                unit=f.unit_name,
            ),  # fmt: skip
            _("1. The content denounced and the result of its verification: …"),
            _("2. Conclusion: the denunciation is … (true / partly true / untrue)."),
            _("3. Measures and recommendations for handling the violations: …"),
        ],
        recipients=[_("The person denounced;"), _("The head of the body concerned;"), _("Filed: the case file.")],
    )


def _denunciation_result_notice(c: Case, f: Facts) -> Draft:
    outcome = str(c.outcome.label) if c.outcome else "…"
    return Draft(
        subtitle=_("Re: the result of resolving a denunciation"),
        addressee=f.petitioner,
        paragraphs=[
            _(
                "%(unit)s resolved the denunciation you sent on %(date)s (case %(case)s).",
                unit=f.unit_name,
                date=f.received_on,
                case=c.number,
            ),  # fmt: skip
            _(
                "Result: %(outcome)s (conclusion no. %(no)s of %(on)s).",
                outcome=outcome,
                no=c.decision_no or "…",
                on=_d(c.decision_on),
            ),  # fmt: skip
            _("Your identity is kept confidential, as the Law on Denunciations 2018 (article 47) requires."),
        ],
        recipients=[_("As addressed (only);"), _("Filed: the case file.")],
    )


def _delegation_reply(p: Petition, f: Facts) -> Draft:
    return Draft(
        subtitle=_("Re: reply to the representatives of a delegation"),
        addressee=_("the representatives of the %(n)d citizens who signed the petition", n=p.signatory_count),
        paragraphs=[
            _(
                "On %(date)s, %(unit)s received the petition of %(n)d citizens represented by %(name)s (receipt no. "
                "%(no)s), about: %(summary)s",
                date=f.received_on,
                unit=f.unit_name,
                n=p.signatory_count,
                name=f.petitioner,
                no=p.receipt_no,
                summary=p.summary,
            ),  # fmt: skip
            _("%(unit)s replies as follows: …", unit=f.unit_name),
            _("The representatives are asked to inform the citizens they represent of this reply."),
        ],
        recipients=[_("As addressed;"), _("Filed: the reception office.")],
    )


def _extension_decision(c: Case, f: Facts) -> Draft:
    return Draft(
        subtitle=_("On extending the time limit for resolving case %(case)s", case=c.number),
        addressee="",
        paragraphs=[
            _("Pursuant to the law on the time limits for resolving a %(kind)s;", kind=str(c.kind.label).lower()),
            _(
                "Considering that case %(case)s, accepted on %(date)s, is complicated and cannot be resolved within "
                "its time limit;",
                case=c.number,
                date=_d(c.accepted_on),
            ),  # fmt: skip
            _("Article 1. The time limit for resolving case %(case)s is extended by … days, to …", case=c.number),
            _("Article 2. %(handler)s and those concerned carry out this decision.", handler=f.handler),
        ],
        recipients=[_("As in article 2;"), _("The petitioner;"), _("Filed: the case file.")],
    )


def _open(c: Case) -> bool:
    return c.state in (CaseState.ACCEPTED, CaseState.ASSIGNED, CaseState.SUSPENDED)


KINDS: dict[str, DocumentKind] = {
    k.code: k
    for k in (
        DocumentKind(
            "receipt",
            _l("Petition receipt"),
            _l("PETITION RECEIPT"),
            None,
            "petition",
            "A5",
            Recipient.PETITIONER,
            lambda p: not p.is_anonymous and p.state is not PetitionState.SPLIT,
            _receipt,
            has_enclosures=True,
        ),
        DocumentKind(
            "transfer_slip",
            _l("Transfer slip"),
            _l("PETITION TRANSFER SLIP"),
            "PC",
            "petition",
            "A4",
            Recipient.OTHERS,
            lambda p: p.state is PetitionState.TRANSFERRED,
            _transfer_slip,
        ),
        DocumentKind(
            "guidance_slip",
            _l("Guidance slip"),
            _l("GUIDANCE SLIP"),
            "PHD",
            "petition",
            "A5",
            Recipient.PETITIONER,
            lambda p: p.state is PetitionState.GUIDED and not p.is_anonymous,
            _guidance_slip,
        ),
        DocumentKind(
            "refusal_notice",
            _l("Notice of non-acceptance"),
            _l("NOTICE"),
            "TB",
            "petition",
            "A4",
            Recipient.PETITIONER,
            lambda p: (
                p.state is PetitionState.FILED and not p.is_anonymous and p.filed_reason is not FiledReason.ANONYMOUS
            ),
            _refusal_notice,
        ),
        DocumentKind(
            "delegation_reply",
            _l("Reply to a delegation's representatives"),
            _l("OFFICIAL LETTER"),
            "",
            "petition",
            "A4",
            Recipient.PETITIONER,
            lambda p: p.is_many_people and not p.is_anonymous,
            _delegation_reply,
        ),
        DocumentKind(
            "acceptance_notice",
            _l("Notice of acceptance"),
            _l("NOTICE"),
            "TB",
            "case",
            "A4",
            Recipient.PETITIONER,
            lambda c: c.kind in (PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION),
            _acceptance_notice,
        ),
        DocumentKind(
            "verification_assignment",
            _l("Decision assigning the verification"),
            _l("DECISION"),
            "QĐ",
            "case",
            "A4",
            Recipient.OTHERS,
            lambda c: c.state in (CaseState.ASSIGNED, CaseState.SUSPENDED),
            _verification_assignment,
        ),
        DocumentKind(
            "dialogue_minutes",
            _l("Minutes of the dialogue"),
            _l("MINUTES OF THE DIALOGUE"),
            "BB",
            "case",
            "A4",
            Recipient.OTHERS,
            lambda c: c.kind is PetitionKind.COMPLAINT and c.state is CaseState.ASSIGNED,
            _minutes(_l("Dialogue on the complaint")),
        ),
        DocumentKind(
            "work_minutes",
            _l("Minutes of a working session"),
            _l("MINUTES OF A WORKING SESSION"),
            "BB",
            "case",
            "A4",
            Recipient.OTHERS,
            lambda c: c.state is CaseState.ASSIGNED,
            _minutes(None),
        ),
        DocumentKind(
            "complaint_decision",
            _l("Draft decision on the complaint"),
            _l("DECISION"),
            "QĐ",
            "case",
            "A4",
            Recipient.PETITIONER,
            lambda c: c.kind is PetitionKind.COMPLAINT and c.state in (CaseState.ASSIGNED, CaseState.RESOLVED),
            _complaint_decision,
        ),
        DocumentKind(
            "denunciation_conclusion",
            _l("Draft conclusion on the denunciation"),
            _l("CONCLUSION"),
            "KL",
            "case",
            "A4",
            Recipient.OTHERS,
            lambda c: c.kind is PetitionKind.DENUNCIATION and c.state in (CaseState.ASSIGNED, CaseState.RESOLVED),
            _denunciation_conclusion,
        ),
        DocumentKind(
            "denunciation_result_notice",
            _l("Notice of the result to the denunciator"),
            _l("NOTICE"),
            "TB",
            "case",
            "A4",
            Recipient.PETITIONER,
            lambda c: c.kind is PetitionKind.DENUNCIATION and c.decision_on is not None,
            _denunciation_result_notice,
        ),
        DocumentKind(
            "extension_decision",
            _l("Decision extending the time limit"),
            _l("DECISION"),
            "QĐ",
            "case",
            "A4",
            Recipient.OTHERS,
            _open,
            _extension_decision,
        ),
    )  # fmt: skip
}


def kinds_for(subject: str) -> list[DocumentKind]:
    return [k for k in KINDS.values() if k.subject == subject]
