"""Read-only lookups of the subject areas (a short national list: read whole, ordered in Python)."""

from flask import abort
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import QueryableAttribute

from ..core.filters import N_, Filter, FilterType
from ..extensions import db
from .models import SubjectArea, SubjectGroup

_GROUP_ORDER = {group: n for n, group in enumerate(SubjectGroup)}


def _ordered(areas: list[SubjectArea]) -> list[SubjectArea]:
    return sorted(areas, key=lambda a: (_GROUP_ORDER[a.group], a.sort_order, a.name_vi, a.id))


def all_subjects() -> list[SubjectArea]:
    """Every subject area, active or not, in the order of the statistics forms."""
    return _ordered(list(db.session.scalars(select(SubjectArea))))


def active_subjects(keep: SubjectArea | None = None) -> list[SubjectArea]:
    """The areas an officer can choose, plus ``keep`` (a record's current, since deactivated, area)."""
    areas = [a for a in all_subjects() if a.is_active or (keep is not None and a.id == keep.id)]
    return areas


def subject_choices(keep: SubjectArea | None = None) -> list[tuple[int, str]]:
    """(id, "group · name") pairs for a select field."""
    return [(a.id, a.label) for a in active_subjects(keep)]


def get_subject(subject_id: int) -> SubjectArea:
    """The area with this id, or 404 (the list is national: every user may read it)."""
    area = db.session.get(SubjectArea, subject_id)
    if area is None:
        abort(404)
    return area


def subject_by_code(code: str) -> SubjectArea | None:
    return db.session.execute(select(SubjectArea).where(SubjectArea.code == code)).scalar_one_or_none()


#: The list filters by subject area (``?subject=<id>``) and by group (``?subject_group=administrative``),
#: shared by the petition and case lists.
SUBJECT_FILTERS = (
    Filter(
        "subject",
        FilterType.ID,
        attr="subject_id",
        message=N_("Unknown subject area: that filter was ignored."),
    ),
    Filter(
        "subject_group",
        FilterType.ENUM,
        enum_cls=SubjectGroup,
        message=N_("Unknown group of subject areas “%(value)s”: that filter was ignored."),
    ),
)


def subject_conditions(
    column: QueryableAttribute[int | None], subject_id: int | None, subject_group: SubjectGroup | None
) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the subject filters on ``column`` (a ``subject_area_id``)."""
    conditions: list[ColumnElement[bool]] = []
    if subject_id:
        conditions.append(column == subject_id)
    if subject_group:
        conditions.append(column.in_(select(SubjectArea.id).where(SubjectArea.group == subject_group)))
    return conditions
