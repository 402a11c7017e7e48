"""The reception register (sổ tiếp công dân) as an Excel workbook: the register's filters and scope,
visitors masked as on screen, numbered in the order of the visits."""

import io

from flask_babel import gettext as _
from openpyxl import Workbook

from ..audit.operations import record
from ..core.templating import fmt_datetime
from ..core.timeutil import local_today, utcnow
from ..petitions.export import MIMETYPE, Export, safe_cell, sheet_title
from ..privacy.masking import session_shows_identity, visitors_mask
from .models import ReceptionSession
from .queries import RegisterFilters, register_rows

#: At most this many visits are printed or exported (the page and the sheet say so when more matched).
MAX_REGISTER_ROWS = 5_000


def visitor_columns(user, visit: ReceptionSession) -> dict[str, str]:
    """Plain-text visitor columns (names, CCCD, addresses) of a visit, masked when due."""
    if not session_shows_identity(user, visit):
        return {"names": visitors_mask(visit), "citizen_ids": "", "addresses": ""}
    people = visit.representatives if visit.is_delegation else [v.person for v in visit.visitors]
    return {
        "names": ", ".join(p.full_name for p in people),
        "citizen_ids": ", ".join(p.citizen_id for p in people if p.citizen_id),
        "addresses": "; ".join(a for a in (p.address for p in people) if a),
    }


def outcome_text(visit: ReceptionSession) -> str:
    """The handling of a visit as the register writes it: the outcome, the refusal ground, the note."""
    parts = [str(visit.outcome.label)]
    if visit.refusal_reason is not None:
        parts.append(str(visit.refusal_reason.label))
    if visit.outcome_note:
        parts.append(visit.outcome_note)
    return "; ".join(parts)


def follow_up_text(visit: ReceptionSession) -> str:
    """What became of a visit: each petition received, its state, and its case."""
    parts = []
    for p in visit.petitions:
        text = f"{p.receipt_no} ({p.state.label})"
        if p.case is not None:
            text += f" → {p.case.number} ({p.case.state.label})"
        parts.append(text)
    return "; ".join(parts)


def audit_filters(filters: RegisterFilters) -> dict[str, object]:
    """The filters as recorded in the audit log; the search text is not (it may be a citizen's name)."""
    return {
        "kind": filters.kind,
        "outcome": filters.outcome,
        "host_id": filters.host_id,
        "delegation": filters.delegation,
        "unit_id": filters.unit_id,
        "received_from": filters.received_from,
        "received_to": filters.received_to,
        "search_text_given": bool(filters.q),
    }


def export_register(user, filters: RegisterFilters) -> Export:
    """Build the workbook of the register ``user`` sees with ``filters`` and audit the export."""
    visits, total = register_rows(user, filters, MAX_REGISTER_ROWS)
    truncated = total > len(visits)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(_("Reception register")))
    ws.append(
        [
            _("Order no."),
            _("Date and time"),
            _("Receiving unit"),
            _("Kind of reception"),
            _("Visitor / delegation"),
            _("Citizen ID (CCCD)"),
            _("Address"),
            _("Number of people"),
            _("Content"),
            _("Handling"),
            _("Follow-up"),
            _("Received by"),
        ]
    )
    for n, v in enumerate(visits, start=1):
        people = visitor_columns(user, v)
        ws.append(
            [
                safe_cell(x)
                for x in (
                    n,
                    fmt_datetime(v.received_at),
                    v.unit.code,
                    v.kind.label,
                    people["names"],
                    people["citizen_ids"],
                    people["addresses"],
                    v.people_count,
                    v.content,
                    outcome_text(v),
                    follow_up_text(v),
                    v.host.full_name,
                )
            ]
        )
    if truncated:
        ws.append(
            [
                safe_cell(
                    _(
                        "Only the first %(n)d of %(total)d matching visits were exported: narrow the filters "
                        "to export the rest.",
                        n=len(visits),
                        total=total,
                    )
                )
            ]
        )
    about = wb.create_sheet(sheet_title(_("About this export")))
    about.append([_("Exported at"), fmt_datetime(utcnow())])
    about.append([_("Exported by"), safe_cell(user.full_name)])
    about.append([_("Rows"), len(visits)])
    about.append([_("Confidential identities are masked as on screen.")])
    content = io.BytesIO()
    wb.save(content)
    content.seek(0)
    record(
        "export.reception_register",
        actor=user,
        detail={"filters": audit_filters(filters), "rows": len(visits), "truncated": truncated},
    )
    return Export(
        content=content,
        filename=f"reception-register-{local_today():%Y%m%d}.xlsx",
        mimetype=MIMETYPE,
        rows=len(visits),
        truncated=truncated,
    )
