"""The petition register as an Excel workbook: the list's filters and scope, identities masked as on screen."""

import io
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import selectinload

from ..audit.operations import record
from ..core.templating import fmt_datetime
from ..core.timeutil import local_today, utcnow
from ..extensions import db
from ..privacy.masking import petitioner_columns
from ..users.models import User
from .models import Petition
from .queries import PetitionFilters, filtered_petitions

#: At most this many rows are exported (the sheet says so when more matched).
MAX_EXPORT_ROWS = 10_000
MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: A cell starting with one of these is read by spreadsheet programs as a formula (CSV/formula injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Export:
    content: io.BytesIO
    filename: str
    mimetype: str
    rows: int
    truncated: bool


def safe_cell(value: object) -> object:
    """A value fit for a cell: control characters dropped, a would-be formula defused with a leading '."""
    if not isinstance(value, str):
        return value
    text: str = ILLEGAL_CHARACTERS_RE.sub("", value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def sheet_title(text: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return "".join(c for c in str(text) if c not in "[]:*?/\\")[:31]


def audit_filters(filters: PetitionFilters) -> dict[str, object]:
    """The filters as recorded in the audit log; the search text is not (it may be a citizen's name)."""
    return {
        "kind": filters.kind,
        "state": filters.state,
        "channel": filters.channel,
        "subject_id": filters.subject_id,
        "subject_group": filters.subject_group,
        "received_from": filters.received_from,
        "received_to": filters.received_to,
        "unit_id": filters.unit_id,
        "deadline": filters.deadline,
        "search_text_given": bool(filters.q),
    }


def export_petitions(user: User, filters: PetitionFilters, extra: Sequence[ColumnElement[bool]] = ()) -> Export:
    """Build the workbook of the petitions ``user`` sees that match ``filters`` (and ``extra``: the deadline
    filter) and audit the export."""
    stmt = (
        filtered_petitions(user, filters, extra)
        .options(selectinload(Petition.case))
        .order_by(Petition.received_on.desc(), Petition.id.desc())
        .limit(MAX_EXPORT_ROWS + 1)
    )
    petitions = list(db.session.execute(stmt).unique().scalars())
    truncated = len(petitions) > MAX_EXPORT_ROWS
    petitions = petitions[:MAX_EXPORT_ROWS]
    total = len(petitions)
    if truncated:
        total = db.session.execute(
            select(func.count()).select_from(filtered_petitions(user, filters, extra).subquery())
        ).scalar_one()

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(_("Petitions")))
    ws.append(
        [
            _("Receipt number"),
            _("Date received"),
            _("Channel"),
            _("Receiving unit"),
            _("Kind of petition"),
            _("Subject area"),
            _("Petitioners"),
            _("Citizen ID (CCCD)"),
            _("Phone"),
            _("Address"),
            _("Number of signatories"),
            _("Summary"),
            _("State"),
            _("Case"),
        ]
    )
    for p in petitions:
        people = petitioner_columns(user, p)
        ws.append(
            [
                safe_cell(v)
                for v in (
                    p.receipt_no,
                    p.received_on,
                    p.channel.label,
                    p.unit.code,
                    p.kind.label,
                    p.subject_area.label if p.subject_area is not None else "",
                    people["names"],
                    people["citizen_ids"],
                    people["phones"],
                    people["addresses"],
                    p.signatory_count,
                    p.summary,
                    p.state.label,
                    p.case.number if p.case is not None else "",
                )
            ]
        )
    if truncated:
        ws.append(
            [
                safe_cell(
                    _(
                        "Only the first %(n)d of %(total)d matching petitions were exported: narrow the "
                        "filters to export the rest.",
                        n=MAX_EXPORT_ROWS,
                        total=total,
                    )
                )
            ]
        )
    about = wb.create_sheet(sheet_title(_("About this export")))
    about.append([_("Exported at"), fmt_datetime(utcnow())])
    about.append([_("Exported by"), safe_cell(user.full_name)])
    about.append([_("Rows"), len(petitions)])
    if truncated:
        about.append(
            [
                _("Truncated"),
                _(
                    "Only the first %(n)d of %(total)d matching petitions were exported.",
                    n=MAX_EXPORT_ROWS,
                    total=total,
                ),
            ]
        )
    about.append([_("Confidential identities are masked as on screen.")])
    content = io.BytesIO()
    wb.save(content)
    content.seek(0)
    record(
        "export.petitions",
        actor=user,
        detail={"filters": audit_filters(filters), "rows": len(petitions), "truncated": truncated},
    )
    return Export(
        content=content,
        filename=f"petitions-{local_today():%Y%m%d}.xlsx",
        mimetype=MIMETYPE,
        rows=len(petitions),
        truncated=truncated,
    )
