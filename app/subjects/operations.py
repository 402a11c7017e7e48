"""Writes on the subject areas: the shipped list is loaded once; administrators of a top unit keep it."""

import re

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.operations import record
from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.locking import check_version
from ..extensions import db
from ..users.models import User
from .defaults import DEFAULT_SUBJECTS
from .models import SubjectArea, SubjectGroup

#: A code is what reports and integrators refer to: lower-case letters, digits, '.', '_' and '-'.
SUBJECT_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")

#: The fields an administrator edits (the code is fixed once created).
SUBJECT_FIELDS = ("group", "name_vi", "name_en", "sort_order", "is_active")


def sync_default_subjects() -> int:
    """Insert the shipped subject areas that are missing (by code); never overwrite. Returns inserts."""
    have = set(db.session.scalars(select(SubjectArea.code)))
    added = 0
    for order, (code, group, name_vi, name_en) in enumerate(DEFAULT_SUBJECTS, start=1):
        if code in have:
            continue
        db.session.add(SubjectArea(code=code, group=group, name_vi=name_vi, name_en=name_en, sort_order=order * 10))
        added += 1
    db.session.flush()
    return added


def _check_actor(actor: User) -> None:
    if not actor.keeps_national_data:
        raise PermissionRefused(_l("Only an administrator of a top unit keeps the list of subject areas."))


def _clean(name_vi: str, name_en: str) -> tuple[str, str]:
    name_vi, name_en = (name_vi or "").strip(), (name_en or "").strip()
    if not name_vi:
        raise TransitionRefused(_l("Give the subject area's name in Vietnamese."))
    return name_vi, name_en or name_vi


def create_subject(
    actor: User, *, code: str, group: SubjectGroup, name_vi: str, name_en: str = "", sort_order: int = 0
) -> SubjectArea:
    """Add a subject area to the national list."""
    _check_actor(actor)
    code = (code or "").strip().lower()
    if not SUBJECT_CODE_RE.match(code):
        raise TransitionRefused(
            _l("The code must have 1 to 40 characters: lower-case letters a-z, digits 0-9, '.', '_' and '-'.")
        )
    if db.session.execute(select(SubjectArea.id).where(SubjectArea.code == code)).first():
        raise TransitionRefused(_("Another subject area already uses the code %(code)s.", code=code))
    name_vi, name_en = _clean(name_vi, name_en)
    area = SubjectArea(code=code, group=SubjectGroup(group), name_vi=name_vi, name_en=name_en, sort_order=sort_order)
    db.session.add(area)
    db.session.flush()
    record("subject.create", actor=actor, object_type="subject_area", object_id=area.id, detail={"code": code})
    return area


def update_subject(area: SubjectArea, actor: User, *, expected_version: object, **values: object) -> dict:
    """Change a subject area (a deactivated one keeps its records and leaves the choice lists)."""
    _check_actor(actor)
    check_version(area, expected_version)
    if "name_vi" in values or "name_en" in values:
        values["name_vi"], values["name_en"] = _clean(
            str(values.get("name_vi", area.name_vi)), str(values.get("name_en", area.name_en))
        )
    changes: dict[str, list[object]] = {}
    for name, value in values.items():
        if name not in SUBJECT_FIELDS:
            continue
        if name == "group":
            value = SubjectGroup(str(value))
        old = getattr(area, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(area, name, value)
    if changes:
        db.session.flush()
        record("subject.update", actor=actor, object_type="subject_area", object_id=area.id, detail=changes)
    return changes
