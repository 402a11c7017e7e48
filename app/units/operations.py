"""Writes on units: the tree keeps a materialised path, recomputed for a subtree when a unit moves."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.errors import TransitionRefused
from ..extensions import db
from .models import Unit, UnitKind


def create_unit(*, code: str, name: str, kind: UnitKind, parent: Unit | None = None, is_remote: bool = False,
                province_code: int | None = None, ward_code: int | None = None) -> Unit:
    """Add a unit under ``parent`` (or as a root)."""
    code = code.strip().upper()
    if db.session.execute(select(Unit.id).where(Unit.code == code)).first():
        raise TransitionRefused(_l("Another unit already uses the code %(code)s.", code=code))
    unit = Unit(code=code, name=name.strip(), kind=UnitKind(kind), parent=parent, is_remote=is_remote,
                province_code=province_code, ward_code=ward_code)
    db.session.add(unit)
    db.session.flush()
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    return unit


def update_unit(unit: Unit, *, name: str, kind: UnitKind, parent: Unit | None, is_remote: bool,
                is_active: bool, province_code: int | None = None, ward_code: int | None = None) -> Unit:
    """Change a unit; moving it re-roots the paths of its whole subtree."""
    if parent is not None and parent.is_within(unit):
        raise TransitionRefused(_l("A unit cannot be placed under itself or one of its own units."))
    unit.name, unit.kind, unit.is_remote, unit.is_active = name.strip(), UnitKind(kind), is_remote, is_active
    unit.province_code, unit.ward_code = province_code, ward_code
    if parent is not unit.parent:
        old_path = unit.path
        new_path = (parent.path if parent else "/") + f"{unit.id}/"
        unit.parent = parent
        for u in db.session.execute(select(Unit).where(Unit.path.startswith(old_path))).scalars():
            u.path = new_path + u.path[len(old_path):]
    db.session.flush()
    return unit
