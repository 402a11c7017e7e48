"""Read-only lookups of units."""

from sqlalchemy import or_, select

from ..core.scope import get_or_404, in_scope
from ..extensions import db
from ..persons.divisions import province_name, ward_name
from .models import Unit


def units_in_scope(user, active_only: bool = True) -> list[Unit]:
    """The user's unit and all units below it, in tree order."""
    stmt = select(Unit).where(Unit.path.startswith(user.unit.path))
    if active_only:
        stmt = stmt.where(Unit.is_active.is_(True))
    return list(db.session.execute(stmt.order_by(Unit.path)).scalars())


def unit_by_code(code: str) -> Unit | None:
    return db.session.execute(select(Unit).where(Unit.code == code.strip().upper())).scalar_one_or_none()


def names_around(unit: Unit) -> list[str]:
    """The names of ``unit``, the units above it and the tree's roots (the province), nearest first, with
    their codes and the province and ward of their seats: words its users' passwords must not be built on."""
    above = list(reversed(unit.ancestors())) or [unit.id]
    found = {
        u.id: u
        for u in db.session.execute(
            select(Unit).where(or_(Unit.id.in_(above), Unit.parent_id.is_(None))).order_by(Unit.id)
        ).scalars()
    }
    units = [found[i] for i in above if i in found] + [u for i, u in found.items() if i not in above]
    names = []
    for u in units:
        names += [u.name, u.code, province_name(u.province_code), ward_name(u.ward_code)]
    return [n for n in names if n]


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
