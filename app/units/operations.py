"""Writes on units: the tree keeps a materialised path, recomputed for a subtree when a unit moves."""

import re

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.errors import TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.locking import check_version
from ..core.timeutil import utcnow
from ..extensions import db
from ..persons.divisions import ward_in_province
from .models import Unit, UnitKind

#: A unit code goes into receipt numbers (TK-2026-000123): upper-case letters, digits and '-'.
UNIT_CODE_RE = re.compile(r"^[A-Z0-9-]{1,20}$")


def check_unit_code(code: str) -> None:
    """Refuse a code that cannot go into a receipt number."""
    if not UNIT_CODE_RE.match(code or ""):
        raise TransitionRefused(_l("The code must have 1 to 20 characters: letters A-Z, digits 0-9 and '-'."))


def check_division(province_code: int | None, ward_code: int | None) -> None:
    """Refuse a ward without its province, or a ward that lies in another province."""
    if ward_code is None:
        return
    if province_code is None:
        raise TransitionRefused(_l("Choose the province of the commune or ward."))
    if not ward_in_province(ward_code, province_code):
        raise TransitionRefused(_l("This commune or ward is not in the chosen province."))


def create_unit(
    *,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None = None,
    is_remote: bool = False,
    province_code: int | None = None,
    ward_code: int | None = None,
) -> Unit:
    """Add a unit under ``parent`` (or as a root)."""
    code = code.strip().upper()
    check_unit_code(code)
    check_division(province_code, ward_code)
    if db.session.execute(select(Unit.id).where(Unit.code == code)).first():
        raise TransitionRefused(_("Another unit already uses the code %(code)s.", code=code))
    unit = Unit(
        code=code,
        name=name.strip(),
        kind=UnitKind(kind),
        parent=parent,
        is_remote=is_remote,
        province_code=province_code,
        ward_code=ward_code,
    )
    db.session.add(unit)
    db.session.flush()
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    return unit


def update_unit(
    unit: Unit,
    *,
    name: str,
    kind: UnitKind,
    parent: Unit | None,
    is_remote: bool,
    is_active: bool,
    province_code: int | None = None,
    ward_code: int | None = None,
    expected_version,
) -> Unit:
    """Change a unit; moving it re-roots the paths of its whole subtree.

    ``expected_version`` (the form's) refuses a save over another administrator's newer one, and a save
    without one (core.locking.check_version; UNCHECKED for a caller with no form).
    """
    check_version(unit, expected_version)
    unit.updated_at = utcnow()  # always an UPDATE of the row, so its version moves on
    if parent is not None and parent.is_within(unit):
        raise TransitionRefused(_l("A unit cannot be placed under itself or one of its own units."))
    check_division(province_code, ward_code)
    unit.name, unit.kind, unit.is_remote, unit.is_active = name.strip(), UnitKind(kind), is_remote, is_active
    unit.province_code, unit.ward_code = province_code, ward_code
    if parent is not unit.parent:
        old_path = unit.path
        new_path = (parent.path if parent else "/") + f"{unit.id}/"
        unit.parent = parent
        for u in db.session.execute(select(Unit).where(Unit.path.startswith(old_path))).scalars():
            u.path = new_path + u.path[len(old_path) :]
    db.session.flush()
    return unit
