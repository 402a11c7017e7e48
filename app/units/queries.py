"""Read-only lookups of units."""
from sqlalchemy import select

from ..core.scope import get_or_404, in_scope
from ..extensions import db
from .models import Unit


def units_in_scope(user, active_only: bool = True) -> list[Unit]:
    """The user's unit and all units below it, in tree order."""
    stmt = select(Unit).where(Unit.path.startswith(user.unit.path))
    if active_only:
        stmt = stmt.where(Unit.is_active.is_(True))
    return list(db.session.execute(stmt.order_by(Unit.path)).scalars())


def unit_by_code(code: str) -> Unit | None:
    return db.session.execute(select(Unit).where(Unit.code == code.strip().upper())).scalar_one_or_none()


def get_unit(unit_id: int, user) -> Unit:
    """The unit with ``unit_id`` if it lies in the user's subtree; 404 otherwise."""
    return get_or_404(select(Unit).where(Unit.id == unit_id, in_scope(Unit.id, user)))


def unit_tree(user) -> list[tuple[Unit, int]]:
    """Every unit of the user's subtree (inactive ones too) as (unit, depth below the user's unit).

    Depth-first, siblings ordered by code, so the list reads as an indented tree.
    """
    units = units_in_scope(user, active_only=False)
    children: dict[int | None, list[Unit]] = {}
    ids = {u.id for u in units}
    roots = []
    for unit in units:
        if unit.parent_id in ids:
            children.setdefault(unit.parent_id, []).append(unit)
        else:
            roots.append(unit)
    out: list[tuple[Unit, int]] = []

    def walk(unit: Unit, depth: int) -> None:
        out.append((unit, depth))
        for child in sorted(children.get(unit.id, []), key=lambda u: u.code):
            walk(child, depth + 1)

    for root in sorted(roots, key=lambda u: u.code):
        walk(root, 0)
    return out
