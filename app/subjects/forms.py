"""The subject-area field of the petition and desk forms, and the administrators' form of an area."""

from typing import Any

from wtforms import BooleanField, Field, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..core.fields import VersionField, WholeNumberField
from ..core.forms import AppForm
from ..core.i18n import lazy_gettext as _l
from ..persons.forms import blank_choice, optional_int, strip
from .models import SubjectArea, SubjectGroup
from .queries import active_subjects


class SubjectFieldMixin:
    """A required choice of subject area (lĩnh vực) among the active ones; a form calls
    :meth:`setup_subjects` from its ``__init__`` and may override :meth:`subject_required`."""

    subject_area_id = SelectField(
        _l("Subject area"),
        coerce=optional_int,
        validate_choice=False,
        invalid_value_message=_l("Choose a subject area from the list."),
        description=_l("The area of the matter, as counted in the reports (Decree 55/2022 art. 6)."),
    )

    subject_areas: dict[int, SubjectArea]

    def setup_subjects(self, keep: SubjectArea | None = None) -> None:
        areas = active_subjects(keep)
        self.subject_areas = {a.id: a for a in areas}
        self.subject_area_id.choices = [blank_choice()] + [(a.id, a.label) for a in areas]

    def subject_required(self) -> bool:
        return True

    def validate_subject_area_id(self, field: Field) -> None:
        if field.process_errors:  # not an id: its own message says so
            return
        if field.data is None:
            if self.subject_required():
                raise ValidationError(_l("Choose the subject area."))
        elif field.data not in self.subject_areas:
            raise ValidationError(_l("Choose a subject area from the list."))

    @property
    def subject_area(self) -> SubjectArea | None:
        return self.subject_areas.get(self.subject_area_id.data) if self.subject_area_id.data else None


class SubjectCreateForm(AppForm):
    """An administrator's new subject area."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter the code.")), Length(max=40)],
        filters=[strip],
        description=_l("Reports and integrators refer to the area by it, e.g. admin.land. It cannot be changed later."),
    )
    group = SelectField(
        _l("Group"),
        choices=SubjectGroup.lazy_choices(),
        invalid_choice_message=_l("Choose a group from the list."),
    )
    name_vi = StringField(
        _l("Name in Vietnamese"),
        validators=[DataRequired(_l("Enter the name in Vietnamese.")), Length(max=200)],
        filters=[strip],
    )
    name_en = StringField(
        _l("Name in English"),
        validators=[Length(max=200)],
        filters=[strip],
        description=_l("Leave empty to use the Vietnamese name."),
    )
    sort_order = WholeNumberField(
        _l("Position in lists"),
        default=0,
        min=0,
        max=9999,
        validators=[InputRequired(_l("Enter the position as a whole number."))],
        invalid_value_message=_l("Enter the position as a whole number."),
        description=_l("Areas are listed by group, then by this number."),
    )

    def values(self) -> dict[str, Any]:
        return dict(
            group=SubjectGroup(self.group.data),
            name_vi=self.name_vi.data,
            name_en=self.name_en.data or "",
            sort_order=self.sort_order.data,
        )


class SubjectEditForm(SubjectCreateForm):
    """A change to a subject area: its code is fixed; it can be taken out of use (never deleted)."""

    code = None
    is_active = BooleanField(_l("In use (offered when a petition is registered)"))
    version = VersionField()

    def values(self) -> dict[str, Any]:
        return {**super().values(), "is_active": bool(self.is_active.data)}
