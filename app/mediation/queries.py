"""Read-only lookups of mediation records (the user's unit subtree)."""

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.paging import Page, offset_page
from ..core.scope import get_or_404, in_scope
from ..core.validation import parse_id
from ..extensions import db
from ..users.models import User
from .models import MediationRecord


def visible_mediations(user: User):
    return select(MediationRecord).where(in_scope(MediationRecord.unit_id, user))


def get_mediation(item_id: int, user: User) -> MediationRecord:
    """The record, or 404 if missing or outside the user's units."""
    return get_or_404(visible_mediations(user).where(MediationRecord.id == item_id))


def page_of_mediations(user: User, page: int, per_page: int, cap: int) -> Page:
    stmt = visible_mediations(user).order_by(MediationRecord.held_on.desc(), MediationRecord.id.desc())
    # The rows show their petition (and whether it may be named): loaded with the page, not a query a row.
    return offset_page(stmt, MediationRecord.id, page, per_page, cap, options=(selectinload(MediationRecord.petition),))


def mediations_of(petition_id: int, user: User) -> list[MediationRecord]:
    """The mediations linked to a petition that the user sees."""
    return list(
        db.session.scalars(
            visible_mediations(user).where(MediationRecord.petition_id == petition_id).order_by(MediationRecord.id)
        )
    )


def page_arg(args: Mapping[str, str]) -> int:
    return parse_id(args.get("page"), max_digits=6) or 1
