"""Forms of petitions: registering one that did not come via the desk, the processing decision, duplicates."""

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from wtforms import BooleanField, Field, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..core.fields import DATE_FORMATS as CORE_DATE_FORMATS
from ..core.fields import VersionField, WholeNumberField
from ..core.forms import AppForm
from ..core.i18n import lazy_gettext as _l
from ..core.timeutil import local_today
from ..persons.forms import (
    MAX_PEOPLE,
    BlankableDateField,
    PersonFieldsMixin,
    PersonLinesField,
    blank_choice,
    optional_int,
    strip,
)
from ..persons.operations import PersonData
from ..subjects.forms import SubjectFieldMixin
from ..subjects.queries import active_subjects
from ..units.models import Unit
from .models import MAX_SITES, Channel, CompetentBody, FiledReason, Petition, PetitionKind, PetitionState
from .operations import Part
from .procedure import OVERRIDE_HINT, Lodging

if TYPE_CHECKING:
    from ..cases.models import Case

#: Channels through which another body sends the petition: its name and dispatch number are required.
FORWARDED_CHANNELS = (Channel.TRANSFERRED, Channel.DEPUTY, Channel.FATHERLAND_FRONT)
DATE_FORMATS = CORE_DATE_FORMATS


def unit_choices(units: Iterable[Unit]) -> list[tuple[int, str]]:
    """Units as select options, indented by depth so the tree stays readable."""
    base = min((u.depth for u in units), default=0)
    return [(u.id, "\u2003" * (u.depth - base) + f"{u.name} ({u.code})") for u in units]


def is_fresh(form: AppForm, kwargs: Mapping[str, object]) -> bool:
    """True if the form shows stored data, not a submission (also on a POST page, given formdata=None)."""
    submitted: bool = form.is_submitted()
    return not submitted or ("formdata" in kwargs and kwargs["formdata"] is None)


def non_desk_channels() -> list[tuple[str, str]]:
    return [(c.value, c.label) for c in Channel if c is not Channel.DESK]


def complaint_instance_field() -> SelectField:
    """A complaint registered as a first or second complaint (the post form and the desk)."""
    return SelectField(
        _l("Complaint instance"),
        coerce=optional_int,
        validate_choice=False,
        default=1,
        choices=lambda: [(1, _l("First complaint")), (2, _l("Second complaint (against a first-instance decision)"))],
        invalid_value_message=_l("A complaint is first or second instance."),
    )


def sites_field() -> WholeNumberField:
    """A denunciation's sites to verify, at registration (the post form and the desk)."""
    return WholeNumberField(
        _l("Sites to verify"),
        default=1,
        min=1,
        max=MAX_SITES,
        validators=[Optional()],
        invalid_value_message=_l("Enter the number of sites as a whole number."),
        description=_l(
            "For a denunciation: the places its information has to be verified at. From two, the acceptance "
            "decision is due in 10 working days instead of 7 (Law on Denunciations 2018, art. 24 and 29)."
        ),
    )


class ReceivingUnitMixin:
    """The unit receiving a petition or a visit: one of the user's units, the user's own on a new form.

    A form using it calls :meth:`setup_units` from its ``__init__``.
    """

    unit_id = SelectField(
        _l("Receiving unit"),
        coerce=optional_int,
        validate_choice=False,
        invalid_value_message=_l("Choose one of your units."),
    )

    units: dict[int, Unit]

    if TYPE_CHECKING:
        # Provided by the FlaskForm the mixin is combined with.
        def is_submitted(self) -> bool: ...

    def setup_units(self, units: Sequence[Unit], default_unit: Unit | None = None) -> None:
        self.units = {u.id: u for u in units}
        self.unit_id.choices = unit_choices(units)
        if not self.is_submitted() and self.unit_id.data is None and default_unit is not None:
            self.unit_id.data = default_unit.id

    def validate_unit_id(self, field: Field) -> None:
        if field.data not in self.units:
            raise ValidationError(_l("Choose one of your units."))

    @property
    def unit(self) -> Unit | None:
        return self.units.get(self.unit_id.data)


class PetitionForm(ReceivingUnitMixin, SubjectFieldMixin, PersonFieldsMixin, AppForm):
    """A petition received by post, online or from another body (desk petitions come with the visit)."""

    channel = SelectField(
        _l("Channel"),
        choices=non_desk_channels,
        default=Channel.POST.value,
        invalid_choice_message=_l("Choose how the petition was received."),
    )
    source_agency = StringField(_l("Sending agency"), validators=[Length(max=300)], filters=[strip])
    source_dispatch_no = StringField(_l("Its dispatch number"), validators=[Length(max=60)], filters=[strip])
    received_on = BlankableDateField(
        _l("Date received"),
        format=DATE_FORMATS,
        validators=[InputRequired(_l("Enter the date the petition was received."))],
        invalid_value_message=_l("Enter the date as day, month and year."),
    )
    kind = SelectField(
        _l("Kind of petition"),
        default="",
        choices=lambda: [blank_choice()] + PetitionKind.choices(),
        validators=[DataRequired(_l("Choose the kind of petition."))],
        invalid_choice_message=_l("Choose a kind from the list."),
    )
    instance = complaint_instance_field()
    sites_to_verify = sites_field()
    is_anonymous = BooleanField(_l("Anonymous petition (no name or a false name)"))
    is_identity_confidential = BooleanField(
        _l("The petitioner asks that their identity be kept confidential"),
        description=_l("A denunciator's identity is always kept confidential."),
    )
    other_petitioners = PersonLinesField(
        _l("Other petitioners"), description=_l("One a line: “Full name” or “Full name; CCCD”.")
    )
    signatory_count = WholeNumberField(
        _l("Number of signatories"),
        default=1,
        min=1,
        max=MAX_PEOPLE,
        validators=[InputRequired(_l("Enter the number of signatories."))],
        invalid_value_message=_l("Enter the number of signatories as a whole number."),
    )
    summary = StringField(
        _l("Summary"),
        validators=[DataRequired(_l("Write a short summary of the petition.")), Length(max=500)],
        filters=[strip],
    )
    content = TextAreaField(_l("Content"), filters=[strip])

    def __init__(self, units: Sequence[Unit], default_unit: Unit | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_units(units, default_unit)
        self.setup_subjects()
        if not self.is_submitted() and self.received_on.data is None:
            self.received_on.data = local_today()
        self.setup_address_choices()

    def validate_instance(self, field: Field) -> None:
        if self.kind.data == PetitionKind.COMPLAINT and field.data not in (1, 2) and not field.process_errors:
            raise ValidationError(_l("A complaint is first or second instance."))

    def validate_received_on(self, field: Field) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(_l("The date received cannot be in the future."))

    def validate_source_agency(self, field: Field) -> None:
        if self.channel.data in FORWARDED_CHANNELS and not field.data:
            raise ValidationError(_l("Enter the agency that sent the petition."))

    def validate_source_dispatch_no(self, field: Field) -> None:
        if self.channel.data in FORWARDED_CHANNELS and not field.data:
            raise ValidationError(_l("Enter the number of its dispatch."))

    def validate_full_name(self, field: Field) -> None:
        if self.is_anonymous.data:
            if self.has_person_details() or self.other_petitioners.data:
                raise ValidationError(
                    _l("An anonymous petition has no petitioner: clear the petitioner's details or untick “Anonymous”.")
                )
        elif not field.data:
            raise ValidationError(_l("Enter the petitioner's full name (or tick “Anonymous”)."))

    def validate(self, extra_validators: Mapping[str, list[Any]] | None = None) -> bool:
        # Checked after the fields: the textarea of further petitioners is parsed during its own validation.
        return bool(super().validate(extra_validators)) and self.check_people(
            self.signatory_count,
            self.other_petitioners,
            _l("The number of signatories is less than the number of petitioners named."),
        )

    def petitioners(self) -> list[PersonData]:
        return self.people_named(self.other_petitioners)

    def petition_data(self) -> dict[str, Any]:
        """The keyword arguments of ``register_petition`` (unit and actor aside)."""
        channel = Channel(self.channel.data)
        forwarded = channel in FORWARDED_CHANNELS
        return dict(
            received_on=self.received_on.data,
            channel=channel,
            kind=PetitionKind(self.kind.data),
            subject_area=self.subject_area,
            sites_to_verify=self.sites_to_verify.data if self.kind.data == PetitionKind.DENUNCIATION else None,
            instance=self.instance.data if self.kind.data == PetitionKind.COMPLAINT else None,
            summary=self.summary.data,
            content=self.content.data or "",
            petitioners=[] if self.is_anonymous.data else self.petitioners(),
            signatory_count=self.signatory_count.data,
            is_anonymous=bool(self.is_anonymous.data),
            is_identity_confidential=bool(self.is_identity_confidential.data),
            source_agency=self.source_agency.data if forwarded else None,
            source_dispatch_no=self.source_dispatch_no.data if forwarded else None,
        )


#: The processing decisions offered by the form, and the state each leads to.
DECISIONS = {
    "accept": PetitionState.ACCEPTED,
    "transfer": PetitionState.TRANSFERRED,
    "guide": PetitionState.GUIDED,
    "file": PetitionState.FILED,
    "withdraw": PetitionState.WITHDRAWN,
}
DECISION_LABELS = {
    "accept": _l("Accept for resolution (opens or joins a case)"),
    "transfer": _l("Transfer to the competent agency"),
    "guide": _l("Guide the citizen to the competent body"),
    "file": _l("File without action"),
    "withdraw": _l("Record that the petitioner withdrew it"),
}


class DecisionForm(AppForm):
    """The processing decision on a received petition; which details are required depends on it."""

    version = VersionField()
    decision = SelectField(
        _l("Decision"),
        default="",
        choices=lambda: [blank_choice()] + list(DECISION_LABELS.items()),
        validators=[DataRequired(_l("Choose a decision."))],
        invalid_choice_message=_l("Choose a decision from the list."),
    )
    accepted_on = BlankableDateField(
        _l("Acceptance date"), format=DATE_FORMATS, invalid_value_message=_l("Enter the date as day, month and year.")
    )
    instance = SelectField(
        _l("Complaint instance"),
        coerce=optional_int,
        validate_choice=False,
        choices=lambda: [(1, _l("First instance")), (2, _l("Second instance"))],
        invalid_value_message=_l("A complaint is first or second instance."),
    )
    learned_on = BlankableDateField(
        _l("Day the complainant received or learned of the decision or act"),
        format=DATE_FORMATS,
        invalid_value_message=_l("Enter the date as day, month and year."),
        description=_l(
            "The lodging period counts from this day (Law on Complaints 2011, art. 9); for a second complaint, "
            "the day the first-instance decision was received (art. 33)."
        ),
    )
    obstacle_days = WholeNumberField(
        _l("Days lost to an objective obstacle"),
        min=0,
        max=3650,
        validators=[Optional()],
        description=_l("Illness, natural disaster, war, travel or study far away: these days are not counted."),
    )
    obstacle_reason = TextAreaField(_l("The obstacle"), filters=[strip], validators=[Length(max=2000)])
    join_case_no = StringField(
        _l("Join an existing open case (case number)"),
        validators=[Length(max=40)],
        filters=[strip],
        description=_l("Leave empty to open a new case."),
    )
    appeal_of_case_no = StringField(
        _l("First-instance case appealed (case number)"),
        validators=[Length(max=40)],
        filters=[strip],
        description=_l("For a second-instance complaint: links the two cases."),
    )
    competent_body = SelectField(
        _l("Kind of competent body"),
        default="",
        choices=lambda: [blank_choice()] + CompetentBody.choices(),
        invalid_choice_message=_l("Choose a kind of body from the list."),
        description=_l("As counted by the national database on petitions (Decree 55/2022 art. 6)."),
    )
    transferred_to = StringField(_l("Transferred to"), validators=[Length(max=300)], filters=[strip])
    transfer_dispatch_no = StringField(_l("Transfer dispatch number"), validators=[Length(max=60)], filters=[strip])
    guidance = TextAreaField(_l("Guidance given"), filters=[strip])
    filed_reason = SelectField(
        _l("Reason for filing"),
        default="",
        choices=lambda: [blank_choice()] + FiledReason.choices(),
        invalid_choice_message=_l("Choose a reason from the list."),
    )
    note = TextAreaField(_l("Note"), filters=[strip])
    override_reason = TextAreaField(
        _l("Reason to decide otherwise"),
        filters=[strip],
        validators=[Length(max=2000)],
        description=OVERRIDE_HINT,
    )

    def __init__(self, petition: Petition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.petition = petition
        if is_fresh(self, kwargs):
            self.version.data = petition.version
            self.accepted_on.data = local_today()
            self.instance.data = petition.complaint_instance or 1

    @property
    def chosen(self) -> PetitionState | None:
        return DECISIONS.get(self.decision.data)

    def validate_accepted_on(self, field: Field) -> None:
        if self.chosen is not PetitionState.ACCEPTED or field.process_errors:
            return
        if field.data is None:
            raise ValidationError(_l("Enter the acceptance date."))
        if field.data > local_today():
            raise ValidationError(_l("The acceptance date cannot be in the future."))
        if field.data < self.petition.received_on:
            raise ValidationError(_l("The acceptance date cannot be before the petition was received."))

    def validate_instance(self, field: Field) -> None:
        if (
            self.chosen is PetitionState.ACCEPTED
            and self.petition.kind is PetitionKind.COMPLAINT
            and field.data not in (1, 2)
            and not field.process_errors
        ):
            raise ValidationError(_l("A complaint is first or second instance."))

    @property
    def needs_lodging(self) -> bool:
        """Accepting a complaint as a case of its own: its period is checked (Law on Complaints 2011 art. 9;
        a second complaint's, art. 33). A complaint joined to an open case of the same content is not."""
        return (
            self.chosen is PetitionState.ACCEPTED
            and self.petition.kind is PetitionKind.COMPLAINT
            and self.instance.data in (1, 2)
            and not self.join_case_no.data
        )

    def validate_learned_on(self, field: Field) -> None:
        if not self.needs_lodging or field.process_errors:
            return
        if field.data is None:
            raise ValidationError(_l("Enter the day the complainant received or learned of the decision or act."))
        if field.data > self.petition.received_on:
            raise ValidationError(
                _l("The day the complainant learned of the decision cannot be after the complaint was received.")
            )

    def validate_obstacle_reason(self, field: Field) -> None:
        if self.needs_lodging and self.obstacle_days.data and not field.data:
            raise ValidationError(_l("Say what the obstacle was (illness, natural disaster, travel far away…)."))

    def validate_competent_body(self, field: Field) -> None:
        if self.chosen in (PetitionState.TRANSFERRED, PetitionState.GUIDED) and not field.data:
            raise ValidationError(_l("Choose the kind of body that is competent."))

    def validate_transferred_to(self, field: Field) -> None:
        if self.chosen is PetitionState.TRANSFERRED and not field.data:
            raise ValidationError(_l("Say which agency the petition is transferred to."))

    def validate_transfer_dispatch_no(self, field: Field) -> None:
        if self.chosen is PetitionState.TRANSFERRED and not field.data:
            raise ValidationError(_l("Enter the number of the transfer dispatch."))

    def validate_guidance(self, field: Field) -> None:
        if self.chosen is PetitionState.GUIDED and not field.data:
            raise ValidationError(_l("Write the guidance given to the citizen."))

    def validate_filed_reason(self, field: Field) -> None:
        if self.chosen is PetitionState.FILED and not field.data:
            raise ValidationError(_l("Choose the reason for filing the petition."))

    def validate_note(self, field: Field) -> None:
        if self.chosen is PetitionState.WITHDRAWN and not field.data:
            raise ValidationError(_l("Record how the petitioner withdrew the petition."))

    def decision_data(self, join_case: "Case | None" = None, appeal_of: "Case | None" = None) -> dict[str, Any]:
        """The chosen ``decision`` and the keyword arguments of its operation (other details dropped).

        Acceptance: ``cases.operations.accept_petition``; the other decisions: ``decide_petition``.
        """
        state = self.chosen
        data: dict[str, Any] = dict(
            decision=state,
            expected_version=self.version.data,
            note=self.note.data or None,
            override_reason=self.override_reason.data or None,
        )
        if state is PetitionState.ACCEPTED:
            is_complaint = self.petition.kind is PetitionKind.COMPLAINT
            lodging = (
                Lodging(
                    self.learned_on.data,
                    self.obstacle_days.data or 0,
                    self.obstacle_reason.data or None,
                    instance=self.instance.data,
                )
                if self.needs_lodging
                else None
            )
            data.update(
                accepted_on=self.accepted_on.data,
                join_case=join_case,
                instance=self.instance.data if is_complaint else None,
                appeal_of=appeal_of if is_complaint else None,
                lodging=lodging,
            )
        elif state is PetitionState.TRANSFERRED:
            data.update(
                transferred_to=self.transferred_to.data,
                transfer_dispatch_no=self.transfer_dispatch_no.data,
                competent_body=CompetentBody(self.competent_body.data),
            )
        elif state is PetitionState.GUIDED:
            data.update(guidance=self.guidance.data, competent_body=CompetentBody(self.competent_body.data))
        elif state is PetitionState.FILED:
            data.update(filed_reason=FiledReason(self.filed_reason.data))
        return data


class PartForm(Form):  # type: ignore[misc]  # WTForms ships no type information
    """One content of a petition of several contents (a row of the split form; no CSRF of its own)."""

    kind = SelectField(
        _l("Kind"), default="", choices=lambda: [blank_choice()] + PetitionKind.choices(), validate_choice=False
    )
    subject_area_id = SelectField(_l("Subject area"), coerce=optional_int, validate_choice=False)
    summary = StringField(_l("Summary of this content"), validators=[Length(max=500)], filters=[strip])
    is_identity_confidential = BooleanField(_l("Identity kept confidential for this content"))


class SplitForm(AppForm):
    """Split a petition of several contents: up to four parts, each with its kind, area and summary."""

    version = VersionField()
    parts = FieldList(FormField(PartForm), min_entries=4, max_entries=4)

    def __init__(self, petition: Petition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = {a.id: a for a in active_subjects()}
        for entry in self.parts:
            entry.form.subject_area_id.choices = [blank_choice()] + [(a.id, a.label) for a in self.areas.values()]
        if is_fresh(self, kwargs):
            self.version.data = petition.version
            for entry in self.parts:
                entry.form.is_identity_confidential.data = petition.is_identity_confidential
                if petition.subject_area_id in self.areas:
                    entry.form.subject_area_id.data = petition.subject_area_id

    def used(self) -> list[Any]:
        """The rows the officer filled in (a kind or a summary)."""
        return [e.form for e in self.parts if e.form.kind.data or e.form.summary.data]

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        for row in self.used():
            if row.kind.data not in PetitionKind._value2member_map_:
                row.kind.errors.append(_l("Choose the kind of this content."))
                ok = False
            if row.subject_area_id.data not in self.areas:
                row.subject_area_id.errors.append(_l("Choose the subject area."))
                ok = False
            if not row.summary.data:
                row.summary.errors.append(_l("Write a short summary of this content."))
                ok = False
        if len(self.used()) < 2:
            self.form_errors.append(str(_l("Split a petition of several contents into at least two parts.")))
            ok = False
        return ok

    def parts_data(self) -> list[Part]:
        return [
            Part(
                kind=PetitionKind(row.kind.data),
                summary=row.summary.data,
                subject_area=self.areas[row.subject_area_id.data],
                is_identity_confidential=bool(row.is_identity_confidential.data),
            )
            for row in self.used()
        ]


class SitesForm(AppForm):
    """How many sites a received denunciation's information has to be verified at."""

    version = VersionField()
    sites = WholeNumberField(
        _l("Sites to verify"),
        min=1,
        max=MAX_SITES,
        validators=[InputRequired(_l("Enter the number of sites."))],
        invalid_value_message=_l("Enter the number of sites as a whole number."),
    )

    def __init__(self, petition: Petition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_fresh(self, kwargs):
            self.version.data = petition.version
            self.sites.data = petition.sites


class DuplicateForm(AppForm):
    """Mark the petition as repeating an earlier one, by that one's receipt number."""

    version = VersionField()
    original_receipt_no = StringField(
        _l("Receipt number of the earlier petition"),
        validators=[DataRequired(_l("Enter the receipt number of the earlier petition.")), Length(max=40)],
        filters=[strip],
    )

    def __init__(self, petition: Petition, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_fresh(self, kwargs):
            self.version.data = petition.version


class PetitionCorrectionForm(SubjectFieldMixin, AppForm):
    """Correct a petition's summary, content, sender, number of signatories, or what its processing rests on:
    the date received, the kind, a complaint's instance and the subject area (the head's to correct, with a
    reason, once the petition is decided; no longer here once a case is opened on it)."""

    received_on = PetitionForm.received_on
    kind = PetitionForm.kind
    instance = PetitionForm.instance
    summary = PetitionForm.summary
    content = PetitionForm.content
    source_agency = PetitionForm.source_agency
    source_dispatch_no = PetitionForm.source_dispatch_no
    signatory_count = PetitionForm.signatory_count
    reason = TextAreaField(
        _l("Reason for the correction"),
        validators=[Length(max=1000)],
        filters=[strip],
        description=_l(
            "Required to correct what the decision of a decided petition rests on: the date received, the kind, "
            "the instance or the subject area."
        ),
    )
    version = VersionField()

    def __init__(self, petition: Petition, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("obj", petition)
        super().__init__(*args, **kwargs)
        self.petition = petition
        self.setup_subjects(keep=petition.subject_area)
        # Shown locked (disabled): not sent, so kept as they are.
        if self.is_submitted() and not self.subject_area_id.raw_data:
            self.subject_area_id.data = petition.subject_area_id
        if self.is_submitted() and not self.received_on.raw_data:
            self.received_on.data = petition.received_on
            self.received_on.raw_data = [petition.received_on.strftime("%d/%m/%Y")]  # for InputRequired
        if self.is_submitted() and not self.kind.raw_data:
            self.kind.data = petition.kind.value
        if self.is_submitted() and not self.instance.raw_data:
            self.instance.data = petition.instance or 1
        if not self.is_submitted() and petition.instance is None:
            self.instance.data = 1

    validate_instance = PetitionForm.validate_instance
    validate_received_on = PetitionForm.validate_received_on

    def subject_required(self) -> bool:
        return self.petition.subject_area_id is not None  # an old petition without an area may stay so

    def values(self) -> dict[str, Any]:
        return dict(
            summary=self.summary.data,
            content=self.content.data or "",
            source_agency=self.source_agency.data or None,
            source_dispatch_no=self.source_dispatch_no.data or None,
            signatory_count=self.signatory_count.data,
            subject_area=self.subject_area,
            reason=self.reason.data or None,
            received_on=self.received_on.data,
            kind=PetitionKind(self.kind.data),
            instance=self.instance.data if self.kind.data == PetitionKind.COMPLAINT else None,
        )
