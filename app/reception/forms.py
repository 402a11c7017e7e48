"""The reception desk's quick form: one visit (a visitor or a delegation) and the petition they bring."""

from datetime import datetime, timedelta

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..core.fields import DATETIME_FORMATS as CORE_DATETIME_FORMATS
from ..core.fields import VersionField, WholeNumberField, optional_int
from ..core.forms import AppForm
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..core.timeutil import VN_TZ, local_to_utc
from ..persons.forms import (
    MAX_PEOPLE,
    BlankableDateTimeField,
    PersonFieldsMixin,
    PersonLinesField,
    blank_choice,
    full_name_field,
    strip,
)
from ..petitions.forms import ReceivingUnitMixin, complaint_instance_field, sites_field
from ..petitions.models import PetitionKind
from ..subjects.forms import SubjectFieldMixin
from .models import ReceptionKind, ReceptionOutcome, RefusalReason

#: A visit recorded a little ahead of the server clock is a clock skew, not a future visit.
CLOCK_SKEW = timedelta(minutes=10)
DATETIME_FORMATS = CORE_DATETIME_FORMATS


def local_now() -> datetime:
    """The current Vietnam time as a naive datetime (what a datetime-local input shows)."""
    return datetime.now(VN_TZ).replace(tzinfo=None, second=0, microsecond=0)


class VisitForm(ReceivingUnitMixin, SubjectFieldMixin, PersonFieldsMixin, AppForm):
    received_at = BlankableDateTimeField(
        _l("Date and time"),
        format=DATETIME_FORMATS,
        validators=[InputRequired(_l("Enter the date and time of the visit."))],
        invalid_value_message=_l("Enter the date and time as day, month, year, hour and minute."),
    )
    kind = SelectField(
        _l("Kind of reception"),
        choices=ReceptionKind.lazy_choices(),
        default=ReceptionKind.REGULAR.value,
        invalid_choice_message=_l("Choose the kind of reception."),
    )
    host_id = SelectField(
        _l("Received by"),
        coerce=optional_int,
        invalid_value_message=_l("Choose who received the citizens."),
        invalid_choice_message=_l("Choose who received the citizens."),
        description=_l("A periodic reception is the head's: choose the head who received the citizens."),
    )
    full_name = full_name_field(_l("Visitor's full name"), DataRequired(_l("Enter the visitor's full name.")))
    people_count = WholeNumberField(
        _l("Number of people"),
        default=1,
        min=1,
        max=MAX_PEOPLE,
        validators=[InputRequired(_l("Enter the number of people."))],
        invalid_value_message=_l("Enter the number of people as a whole number."),
        description=_l("5 or more people with the same content make a delegation."),
    )
    representatives = PersonLinesField(
        _l("Further representatives of a delegation"),
        description=_l(
            "One a line: “Full name” or “Full name; CCCD”. For 5–10 people the law asks for "
            "1–2 representatives, for more than 10 up to 5."
        ),
    )
    content = TextAreaField(
        _l("Content"), validators=[DataRequired(_l("Describe what the citizens raised."))], filters=[strip]
    )
    outcome = SelectField(
        _l("Outcome"),
        choices=ReceptionOutcome.lazy_choices(),
        default=ReceptionOutcome.PETITION_RECEIVED.value,
        invalid_choice_message=_l("Choose the outcome of the visit."),
    )
    refusal_reason = SelectField(
        _l("Reason for refusal"),
        default="",
        choices=lambda: [blank_choice()] + RefusalReason.choices(),
        invalid_choice_message=_l("Choose a reason from the list."),
    )
    outcome_note = TextAreaField(_l("Guidance given / body referred to / details"), filters=[strip])
    earlier_case_no = StringField(
        _l("The case already resolved (case number)"),
        validators=[Length(max=40)],
        filters=[strip],
        description=_l(
            "Refused as already resolved: the case whose decision is in force (Law on Citizen Reception, art. 9)."
        ),
    )
    petition_kind = SelectField(
        _l("Kind of petition"),
        default="",
        choices=lambda: [blank_choice()] + PetitionKind.choices(),
        invalid_choice_message=_l("Choose a kind from the list."),
    )
    petition_instance = complaint_instance_field()
    petition_sites = sites_field()
    petition_summary = StringField(
        _l("Short summary of the petition"),
        validators=[Length(max=500)],
        filters=[strip],
        description=_l("Leave empty to use the content."),
    )
    is_identity_confidential = BooleanField(
        _l("The petitioner asks that their identity be kept confidential"),
        description=_l("A denunciator's identity is always kept confidential."),
    )
    #: The receipt number of an earlier petition of the same matter, chosen in the visitor's history.
    same_matter_no = StringField(_l("Same matter as petition"), validators=[Length(max=40)], filters=[strip])

    def __init__(self, units, default_unit=None, *args, hosts=(), default_host=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_units(units, default_unit)
        self.hosts = {u.id: u for u in hosts}
        self.default_host = default_host
        self.host_id.choices = [(u.id, f"{u.full_name} ({u.unit.code})") for u in hosts]
        self.host_id.validate_choice = bool(hosts)  # no choice offered: the officer recording received them
        if self.host_id.data is None and default_host is not None:
            self.host_id.data = default_host.id  # not chosen: the officer recording the visit received it
        self.setup_subjects()
        if not self.is_submitted() and self.received_at.data is None:
            self.received_at.data = local_now()
        self.setup_address_choices()

    def validate_received_at(self, field):
        if field.data and field.data > local_now() + CLOCK_SKEW:
            raise ValidationError(_l("The visit cannot be in the future."))

    def validate_host_id(self, field):
        if not self.hosts:
            return  # no choice offered (a form built without hosts): the officer recording received them
        host = self.hosts.get(field.data)
        if host is None:
            raise ValidationError(_l("Choose who received the citizens."))
        if self.kind.data == ReceptionKind.PERIODIC and not host.has_role(Role.HEAD):
            raise ValidationError(_l("A periodic reception is the head's: choose the head who received the citizens."))

    def validate_refusal_reason(self, field):
        if self.outcome.data == ReceptionOutcome.REFUSED and not field.data:
            raise ValidationError(_l("Choose the legal reason for refusing reception."))

    def validate_earlier_case_no(self, field):
        if self.refused_as_resolved and not field.data:
            raise ValidationError(_l("Give the number of the case already resolved."))

    @property
    def refused_as_resolved(self) -> bool:
        return bool(
            self.outcome.data == ReceptionOutcome.REFUSED and self.refusal_reason.data == RefusalReason.ALREADY_RESOLVED
        )

    def validate_outcome_note(self, field):
        if self.outcome.data in (ReceptionOutcome.GUIDED, ReceptionOutcome.REFERRED) and not field.data:
            raise ValidationError(_l("Write the guidance given or the body the citizens were referred to."))

    def subject_required(self) -> bool:
        return bool(self.outcome.data == ReceptionOutcome.PETITION_RECEIVED)

    def validate_petition_instance(self, field):
        received = self.outcome.data == ReceptionOutcome.PETITION_RECEIVED
        complaint = received and self.petition_kind.data == PetitionKind.COMPLAINT
        if complaint and field.data not in (1, 2) and not field.process_errors:
            raise ValidationError(_l("A complaint is first or second instance."))

    def validate_petition_kind(self, field):
        if self.outcome.data == ReceptionOutcome.PETITION_RECEIVED and not field.data:
            raise ValidationError(_l("Choose the kind of petition received."))

    def validate(self, extra_validators=None) -> bool:
        # Checked after the fields: the textarea of representatives is parsed during its own validation.
        return super().validate(extra_validators) and self.check_people(
            self.people_count,
            self.representatives,
            _l("The number of people is less than the number of people named."),
        )

    def visitors(self):
        return self.people_named(self.representatives)

    def visit_data(self) -> dict:
        """The keyword arguments of ``record_visit`` taken from the validated form (unit and actor aside)."""
        outcome = ReceptionOutcome(self.outcome.data)
        received = outcome is ReceptionOutcome.PETITION_RECEIVED
        return dict(
            host=self.hosts.get(self.host_id.data),
            received_at=local_to_utc(self.received_at.data),
            kind=ReceptionKind(self.kind.data),
            visitors=self.visitors(),
            people_count=self.people_count.data,
            content=self.content.data,
            outcome=outcome,
            refusal_reason=RefusalReason(self.refusal_reason.data) if self.refusal_reason.data else None,
            outcome_note=self.outcome_note.data or None,
            petition_kind=PetitionKind(self.petition_kind.data) if received else None,
            petition_subject_area=self.subject_area if received else None,
            petition_instance=self.petition_instance.data
            if received and self.petition_kind.data == PetitionKind.COMPLAINT
            else None,
            petition_sites=self.petition_sites.data
            if received and self.petition_kind.data == PetitionKind.DENUNCIATION
            else None,
            petition_summary=(self.petition_summary.data or None) if received else None,
            identity_confidential=bool(self.is_identity_confidential.data) if received else False,
        )


class VisitCorrectionForm(AppForm):
    """Correct a saved visit: its time, kind, host, number of people, content or note (the visitors are
    corrected on their own page; the outcome, which a petition may rest on, stays)."""

    received_at = VisitForm.received_at
    kind = VisitForm.kind
    host_id = VisitForm.host_id
    people_count = VisitForm.people_count
    content = VisitForm.content
    outcome_note = VisitForm.outcome_note
    version = VersionField()

    def __init__(self, *args, hosts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.hosts = {u.id: u for u in hosts}
        self.host_id.choices = [(u.id, f"{u.full_name} ({u.unit.code})") for u in hosts]

    validate_received_at = VisitForm.validate_received_at
    validate_host_id = VisitForm.validate_host_id

    def values(self) -> dict:
        return dict(
            received_at=local_to_utc(self.received_at.data),
            kind=ReceptionKind(self.kind.data),
            host=self.hosts[self.host_id.data],
            people_count=self.people_count.data,
            content=self.content.data,
            outcome_note=self.outcome_note.data or None,
        )
