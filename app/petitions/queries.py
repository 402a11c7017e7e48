"""Read-only lookups of petitions, scoped to what the user may see."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import selectinload

from ..core.i18n import lazy_gettext as _l
from ..core.paging import Page, keyset_page
from ..core.scope import get_or_404, in_scope
from ..core.validation import parse_date, parse_id
from ..extensions import db
from ..search.match import petition_ids_matching
from ..units.models import Unit
from ..users.models import User
from .models import Channel, Petition, PetitionKind, PetitionState

MAX_QUERY_LENGTH = 100

E = TypeVar("E", bound=StrEnum)


def visible_petitions(user: User) -> Select[Petition]:
    """Petitions of the user's units, and those of the cases assigned to them (a handler of a unit below
    may be assigned a case of the unit above: they need its petitions, scans and, after a reveal, its
    petitioners)."""
    from ..cases.models import Case

    return select(Petition).where(
        or_(in_scope(Petition.unit_id, user), Petition.case_id.in_(select(Case.id).where(Case.handler_id == user.id)))
    )


def get_petition(petition_id: int, user: User) -> Petition:
    return get_or_404(visible_petitions(user).where(Petition.id == petition_id))


def petition_by_receipt_no(receipt_no: str, user: User) -> Petition | None:
    """The visible petition with this receipt number (case-insensitive), or None."""
    receipt_no = (receipt_no or "").strip().upper()
    if not receipt_no:
        return None
    stmt = visible_petitions(user).where(func.upper(Petition.receipt_no) == receipt_no)
    return db.session.execute(stmt).unique().scalar_one_or_none()


# --- The petition list: filters --------------------------------------------------------------------------


@dataclass
class PetitionFilters:
    """The filters of the petition list, already validated (see ``parse_petition_filters``)."""

    kind: PetitionKind | None = None
    state: PetitionState | None = None
    channel: Channel | None = None
    received_from: date | None = None
    received_to: date | None = None
    #: Petitions of this unit and the units below it.
    unit_id: int | None = None
    #: Words of the receipt number, summary, content, petitioner names or citizen IDs (see app.search).
    q: str = ""
    #: Why a given value was ignored (shown to the user).
    warnings: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.kind, self.state, self.channel, self.received_from, self.received_to, self.unit_id, self.q)
        )


def _parse_enum(enum_cls: type[E], value: str) -> E | None:
    return enum_cls(value) if value in enum_cls._value2member_map_ else None


def parse_petition_filters(args: Mapping[str, str], user: User) -> PetitionFilters:
    """Read the list filters from query arguments; a bad value is dropped with a warning, never an error.

    Warnings quote user input, so they are formatted now (``gettext``), never as lazy messages.
    """
    f = PetitionFilters()
    warn = f.warnings.append

    def arg(name: str) -> str:
        return (args.get(name) or "").replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL

    enum_filters: tuple[tuple[str, type[StrEnum], Callable[[str], str]], ...] = (
        ("kind", PetitionKind, lambda v: _("Unknown kind of petition “%(value)s”: that filter was ignored.", value=v)),
        ("state", PetitionState, lambda v: _("Unknown petition state “%(value)s”: that filter was ignored.", value=v)),
        ("channel", Channel, lambda v: _("Unknown channel “%(value)s”: that filter was ignored.", value=v)),
    )
    for name, enum_cls, message in enum_filters:
        if value := arg(name):
            parsed = _parse_enum(enum_cls, value)
            if parsed is None:
                warn(message(value))
            setattr(f, name, parsed)
    if unit := arg("unit"):
        unit_id = parse_id(unit)
        found = db.session.get(Unit, unit_id) if unit_id else None
        if found is not None and user.oversees(found):
            f.unit_id = found.id
        else:
            warn(_l("That unit is not one of yours: the unit filter was ignored."))
    for name, label in (("received_from", _l("Received from")), ("received_to", _l("Received until"))):
        if value := arg(name):
            day = parse_date(value)
            if day is None:
                warn(_("“%(value)s” is not a date (%(field)s): that filter was ignored.", value=value, field=label))
            setattr(f, name, day)
    if f.received_from and f.received_to and f.received_from > f.received_to:
        warn(_l("The start of the date range is after its end: the date filter was ignored."))
        f.received_from = f.received_to = None
    if q := arg("q"):
        if len(q) > MAX_QUERY_LENGTH:
            warn(_l("The search text was shortened to %(n)d characters.", n=MAX_QUERY_LENGTH))
        f.q = q[:MAX_QUERY_LENGTH]
    return f


def filtered_petitions(user: User, filters: PetitionFilters) -> Select[Petition]:
    """A select of the visible petitions matching ``filters`` (no order, no eager loading)."""
    stmt = visible_petitions(user)
    if filters.kind:
        stmt = stmt.where(Petition.kind == filters.kind)
    if filters.state:
        stmt = stmt.where(Petition.state == filters.state)
    if filters.channel:
        stmt = stmt.where(Petition.channel == filters.channel)
    if filters.received_from:
        stmt = stmt.where(Petition.received_on >= filters.received_from)
    if filters.received_to:
        stmt = stmt.where(Petition.received_on <= filters.received_to)
    if filters.unit_id:
        root = select(Unit.path).where(Unit.id == filters.unit_id).scalar_subquery()
        stmt = stmt.where(Petition.unit_id.in_(select(Unit.id).where(Unit.path.startswith(root))))
    if filters.q:
        # Receipt number, summary, content, petitioners (names, CCCD): word by word, diacritics ignored.
        matching = petition_ids_matching(filters.q, user)
        stmt = stmt.where(Petition.id.in_(select(matching.c.id)) if matching is not None else false())
    return stmt


def page_of_petitions(user: User, filters: PetitionFilters, args: Mapping[str, str], per_page: int, cap: int) -> Page:
    """One page of the matching petitions, newest received first, paged by position (``after``/``before``)."""
    return keyset_page(
        filtered_petitions(user, filters),
        Petition.received_on,
        Petition.id,
        args,
        per_page,
        cap,
        options=(selectinload(Petition.case),),
    )
