"""Case screens: the list, the detail with its timeline and action forms, the workflow actions, the caseload."""

from typing import Any, cast

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..caselist import queries as case_list
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role, login_required, roles_required
from ..core.templating import fmt_date
from ..core.timeutil import local_today
from ..core.transaction import on_refusal
from ..deadlines import clocks as deadline_clocks
from ..deadlines import queries as deadline_queries
from ..deadlines.forms import ExtendResolutionForm, NoticeForm
from ..deadlines.models import Stage
from ..flags.models import FlagKind, FlagSubject
from ..flags.queries import active_flags
from ..petitions.models import PetitionKind
from ..subjects.models import SubjectGroup
from ..subjects.queries import all_subjects
from ..units.queries import units_in_scope
from ..users.queries import handlers_for
from . import queries
from .forms import COURT_FORMS, action_form, court_form, delivery_form, step_form
from .models import OPEN_STATES, Case, CaseAction, CaseState, Complexity, StepKind
from .operations import (
    check_transition,
    perform,
    record_court_filing,
    record_delivery,
    record_judgment,
    record_step,
)

bp = Blueprint("cases", __name__, url_prefix="/cases")

#: Labels of timeline entries that are not workflow actions.
EVENT_LABELS = {
    "open": _l("Case opened (accepted)"),
    "join": _l("Petition joined to the case"),
    "extend": _l("Resolution period extended"),
    "notice": _l("Notice recorded"),
    "court": _l("Taken to court"),
    "judgment": _l("Court judgment recorded"),
    "verification": _l("Verification recorded"),
    "delivery": _l("Decision sent to the parties"),
    "dialogue": _l("Dialogue recorded"),
    "import": _l("Concluded before TiepDan (imported from the register)"),
    "document": _l("Document issued"),
}
#: Rows of the caseload's "needs attention" list.
ATTENTION_LIMIT = 50


def event_label(action: str, case: Case | None = None) -> str:
    if action in CaseAction._value2member_map_:
        return case.action_label(CaseAction(action)) if case is not None else str(CaseAction(action).label)
    return str(EVENT_LABELS.get(action, action))


def state_label(value: str | None) -> str:
    if value in CaseState._value2member_map_:
        return CaseState(cast(str, value)).label  # one of the values: not None
    return value or ""


@bp.get("/")
@login_required
def list_cases() -> ResponseReturnValue:
    filters = case_list.parse_case_filters(request.args, current_user)
    pagination = case_list.page_of_cases(
        current_user, filters, request.args, current_app.config["PAGE_SIZE"], current_app.config["LIST_COUNT_CAP"]
    )
    filters.warnings.extend(pagination.warnings)
    today, until = filters.deadline_dates()
    return render_template(
        "cases/list.html",
        filters=filters,
        pagination=pagination,
        states=list(CaseState),
        open_value=case_list.OPEN,
        kinds=list(PetitionKind),
        complexities=list(Complexity),
        subjects=all_subjects(),
        subject_groups=list(SubjectGroup),
        units=units_in_scope(current_user),
        officers=handlers_for(current_user.unit),
        flag_kinds=list(FlagKind),
        nearest_due=deadline_queries.nearest_due(c.id for c in pagination.items),
        flags=active_flags(FlagSubject.CASE, (c.id for c in pagination.items)),
        deadline_status=lambda due: deadline_queries.deadline_status(due, today, until),
        today=today,
    )


@bp.get("/<int:case_id>")
@login_required
def case_detail(case_id: int) -> ResponseReturnValue:
    case = queries.get_case(case_id, current_user)
    return _render_detail(case)


@bp.post("/<int:case_id>/<action>")
@login_required
def case_action(case_id: int, action: str) -> ResponseReturnValue:
    if action not in CaseAction._value2member_map_:
        abort(404)
    action = CaseAction(action)
    case = queries.get_case(case_id, current_user)
    back = url_for("cases.case_detail", case_id=case.id)
    on_refusal(back)
    check_transition(case, action, current_user)
    form = action_form(action, case, bound=True)
    if not form.validate_on_submit():
        return _render_detail(case, failed=(action, form)), 422
    perform(
        case,
        action,
        current_user,
        expected_version=form.version.data,
        today=local_today(),
        note=form.note_value,
        **form.operation_fields(),
    )
    flash(
        _("“%(action)s” was recorded on case %(number)s.", action=case.action_label(action), number=case.number),
        "success",
    )
    return redirect(back)


def _deadline_forms(case: Case) -> dict[str, Any]:
    """The deadline actions this user may take on the case now: {"extend"|"notice": fresh form}."""
    user = current_user._get_current_object()
    forms: dict[str, Any] = {}
    if deadline_clocks.can_extend(case, user):
        clock = deadline_clocks.clock_of(case, Stage.RESOLUTION)
        assert clock is not None, "can_extend needs an open resolution clock"
        forms["extend"] = ExtendResolutionForm(case, clock, formdata=None)
    for key, stage in NOTICES.items():
        if deadline_clocks.can_record_notice(case, user, stage):
            clock = deadline_clocks.clock_of(case, stage)
            assert clock is not None, "can_record_notice needs an open notice clock"
            forms[key] = NoticeForm(case, clock, formdata=None)
    return forms


#: The notices with a clock of their own that the case page records: {form key (and URL part): stage}.
NOTICES = {"notice": Stage.NOTIFY_ACCEPTANCE, "conclusion": Stage.NOTIFY_CONCLUSION}


def _step_forms(case: Case) -> dict[str, Any]:
    user = current_user._get_current_object()
    return {kind.value: step_form(kind, case) for kind in StepKind if case.can_record_step(kind, user)}


def _court_forms(case: Case) -> dict[str, Any]:
    user = current_user._get_current_object()
    forms: dict[str, Any] = {}
    if case.can_take_to_court(user):
        forms["court"] = court_form("court", case)
    if case.can_record_judgment(user):
        forms["judgment"] = court_form("judgment", case)
    return forms


def _render_detail(case: Case, failed: tuple[str, Any] | None = None) -> str:
    """Render the detail page; ``failed`` is the (action, form) whose submission did not validate."""
    forms: dict[str, Any] = {action: action_form(action, case) for action in case.available_actions(current_user)}
    deadline_forms = _deadline_forms(case)
    court_forms = _court_forms(case)
    step_forms = _step_forms(case)
    user = current_user._get_current_object()
    delivery = delivery_form(case) if case.can_record_delivery(user) else None
    if failed is not None:
        step = failed[0]
        if step == "delivery":
            delivery = failed[1]
        elif step == "extend" or step in NOTICES:
            deadline_forms[step] = failed[1]
        elif step in COURT_FORMS:
            court_forms[step] = failed[1]
        elif step in StepKind._value2member_map_:
            step_forms[step] = failed[1]
        else:
            forms[step] = failed[1]
    return render_template(
        "cases/detail.html",
        case=case,
        forms=forms,
        failed_action=failed[0] if failed else None,
        deadline_forms=deadline_forms,
        court_forms=court_forms,
        step_forms=step_forms,
        delivery_form=delivery,
        step_labels={k.value: k.label for k in StepKind},
        deadlines=deadline_queries.deadlines_of_case(case),
        flags=active_flags(FlagSubject.CASE, [case.id]).get(case.id, []),
        children=queries.child_cases(case, current_user),
        parent_visible=queries.is_visible(case.parent_case_id, current_user),
        event_label=event_label,
        state_label=state_label,
    )


@bp.post("/<int:case_id>/extend")
@login_required
def extend_resolution(case_id: int) -> ResponseReturnValue:
    case = queries.get_case(case_id, current_user)
    user = current_user._get_current_object()
    back = url_for("cases.case_detail", case_id=case.id)
    on_refusal(back)
    clock = deadline_clocks.check_extension(case, user)
    form = ExtendResolutionForm(case, clock)
    if not form.validate_on_submit():
        return _render_detail(case, failed=("extend", form)), 422
    ext = deadline_clocks.extend_resolution(
        case, user, expected_version=form.version.data, today=local_today(), **form.operation_fields()
    )
    due_after = ext.due_after
    flash(
        _(
            "The resolution period of case %(number)s was extended to %(date)s.",
            number=case.number,
            date=fmt_date(due_after),
        ),
        "success",
    )
    return redirect(back)


@bp.post("/<int:case_id>/notice", defaults={"notice": "notice"})
@bp.post("/<int:case_id>/notice/<notice>")
@login_required
def record_notice(case_id: int, notice: str) -> ResponseReturnValue:
    """Record a notice to the denunciator: of the acceptance (``/notice``) or of the conclusion."""
    if notice not in NOTICES:
        abort(404)
    stage = NOTICES[notice]
    case = queries.get_case(case_id, current_user)
    user = current_user._get_current_object()
    back = url_for("cases.case_detail", case_id=case.id)
    on_refusal(back)
    clock = deadline_clocks.check_notice(case, user, stage)
    form = NoticeForm(case, clock)
    if not form.validate_on_submit():
        return _render_detail(case, failed=(notice, form)), 422
    deadline_clocks.record_notice(
        case, user, stage, form.sent_on.data, expected_version=form.version.data, today=local_today()
    )
    if stage is Stage.NOTIFY_CONCLUSION:
        message = _(
            "The notice of the conclusion to the denunciator was recorded on case %(number)s.", number=case.number
        )
    else:
        message = _("The notice of acceptance to the denunciator was recorded on case %(number)s.", number=case.number)
    flash(message, "success")
    return redirect(back)


@bp.post("/<int:case_id>/step/<kind>")
@login_required
def record_case_step(case_id: int, kind: str) -> ResponseReturnValue:
    """Record a verification or a dialogue of the case."""
    if kind not in StepKind._value2member_map_:
        abort(404)
    step_kind = StepKind(kind)
    case = queries.get_case(case_id, current_user)
    back = url_for("cases.case_detail", case_id=case.id)
    on_refusal(back)
    form = step_form(step_kind, case, bound=True)
    if not form.validate_on_submit():
        return _render_detail(case, failed=(kind, form)), 422
    record_step(
        case,
        current_user._get_current_object(),
        step_kind,
        expected_version=form.version.data,
        today=local_today(),
        **form.operation_fields(),
    )
    flash(_("“%(step)s” was recorded on case %(number)s.", step=step_kind.label, number=case.number), "success")
    return redirect(back)


@bp.post("/<int:case_id>/delivery")
@login_required
def record_decision_delivery(case_id: int) -> ResponseReturnValue:
    """Record the day the decision was sent to the parties."""
    case = queries.get_case(case_id, current_user)
    back = url_for("cases.case_detail", case_id=case.id)
    on_refusal(back)
    form = delivery_form(case, bound=True)
    if not form.validate_on_submit():
        return _render_detail(case, failed=("delivery", form)), 422
    record_delivery(
        case,
        current_user._get_current_object(),
        expected_version=form.version.data,
        today=local_today(),
        **form.operation_fields(),
    )
    flash(_("The sending of the decision of case %(number)s was recorded.", number=case.number), "success")
    return redirect(back)


@bp.post("/<int:case_id>/court/<step>")
@login_required
def court_step(case_id: int, step: str) -> ResponseReturnValue:
    """Record the lawsuit against the decision, or the court's judgment."""
    if step not in COURT_FORMS:
        abort(404)
    case = queries.get_case(case_id, current_user)
    back = url_for("cases.case_detail", case_id=case.id)
    on_refusal(back)
    form = court_form(step, case, bound=True)
    if not form.validate_on_submit():
        return _render_detail(case, failed=(step, form)), 422
    user = current_user._get_current_object()
    if step == "court":
        record_court_filing(
            case, user, expected_version=form.version.data, today=local_today(), **form.operation_fields()
        )
        flash(_("The lawsuit against the decision of case %(number)s was recorded.", number=case.number), "success")
    else:
        record_judgment(case, user, expected_version=form.version.data, today=local_today(), **form.operation_fields())
        flash(_("The judgment was recorded on case %(number)s.", number=case.number), "success")
    return redirect(back)


@bp.get("/caseload")
@roles_required(Role.HEAD, Role.INSPECTOR, Role.ADMIN)
def caseload() -> ResponseReturnValue:
    load = queries.caseload(current_user)
    open_states = [s for s in CaseState if s in OPEN_STATES and s is not CaseState.ACCEPTED]
    today = local_today()
    until = deadline_queries.due_soon_threshold(today)
    petition_attention, petition_total = deadline_queries.petition_attention_list(
        current_user, today, ATTENTION_LIMIT, until
    )
    return render_template(
        "cases/caseload.html",
        load=load,
        states=list(CaseState),
        kinds=list(PetitionKind),
        officer_states=open_states,
        root=current_user.unit,
        list_url=url_for("cases.list_cases"),
        deadline_counts=deadline_queries.deadline_counts(current_user, today, until),
        attention=deadline_queries.attention_list(current_user, today, ATTENTION_LIMIT, until),
        petition_attention=petition_attention,
        petition_attention_total=petition_total,
        due_soon_days=deadline_queries.due_soon_days(),
    )
