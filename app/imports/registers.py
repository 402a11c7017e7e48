"""The registers a unit can import from Excel, by name: the reception register (visits) and the petition
register. The screen and the command read a register's fields, check its rows and import them through here."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.i18n import lazy_gettext as _l
from . import petitions, visits
from .workbook import ImportField, Plan, Sheet, known


@dataclass(frozen=True)
class Register:
    name: str
    label: Any
    fields: tuple[ImportField, ...]
    plan: Callable[[Sheet, dict[str, int | None], Any, Any], Plan]
    run: Callable[[Plan, Any, Any], int]


REGISTERS = {
    "visits": Register(
        "visits", _l("Reception register (visits)"), visits.FIELDS, visits.plan_import, visits.run_import
    ),
    "petitions": Register(
        "petitions", _l("Petition register"), petitions.FIELDS, petitions.plan_import, petitions.run_import
    ),
}
#: Every field of every register: the header row of a sheet is the one naming two of them or more.
ALL_FIELDS = tuple({f.name + r.name: f for r in REGISTERS.values() for f in r.fields}.values())


def register_of(headers: list[str]) -> Register:
    """The register whose headers ``headers`` name most (the reception register on a tie)."""
    return max(REGISTERS.values(), key=lambda r: known(headers, r.fields))
