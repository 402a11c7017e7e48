"""Administration of the deadline rule table and of the working-day calendar; inspectors may read both."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.roles import Role, roles_required
from ..core.timeutil import local_today
from ..core.transaction import show_again
from ..core.validation import parse_id
from ..units.queries import units_in_scope
from . import calendar as workdays
from . import overrides, queries
from . import rules as rule_table
from .forms import OverrideEditForm, OverrideForm, RuleCreateForm, RuleFilterForm, RuleForm
from .models import CalendarOverride, DeadlineRule, RuleKind, Stage

bp = Blueprint("deadlines", __name__, url_prefix="/admin")

READERS = (Role.ADMIN, Role.INSPECTOR)


def _flash_recomputed(count: int) -> None:
    flash(
        ngettext("%(num)d open deadline got a new due date.", "%(num)d open deadlines got a new due date.", count),
        "info",
    )


def rule_name(rule: DeadlineRule) -> str:
    """What a rule is called on screen: its kind and stage, in the user's language (never its code)."""
    return f"“{RuleKind(rule.kind).label} · {Stage(rule.stage).label}”"


# ---- the rule table ----------------------------------------------------------------------------------------


@bp.get("/rules")
@roles_required(*READERS)
def rules() -> ResponseReturnValue:
    form = RuleFilterForm(request.args)
    on = form.on.data if form.validate() else None
    rules = queries.rules_for(current_user, on=on, to_verify=bool(form.verify.data))
    return render_template(
        "deadlines/rules.html",
        form=form,
        groups=queries.group_rules(rules),
        count=len(rules),
        units=queries.units_by_id(r.unit_id for r in rules),
        editable={r.id for r in rules if rule_table.can_manage_rule(current_user, r)},
        can_create=current_user.has_role(Role.ADMIN),
    )


def _render_rule(rule: DeadlineRule, form: RuleForm | None, status: int = 200) -> ResponseReturnValue:
    history = queries.rule_history(rule)
    return render_template(
        "deadlines/rules_form.html",
        rule=rule,
        form=form,
        history=history,
        units=queries.units_by_id([rule.unit_id]),
        rule_name=rule_name(rule),
    ), status


@bp.get("/rules/<int:rule_id>")
@roles_required(*READERS)
def rule_detail(rule_id: int) -> ResponseReturnValue:
    rule = queries.get_rule(rule_id, current_user)
    form = None
    if rule_table.can_manage_rule(current_user, rule):
        form = RuleForm(obj=rule, rule=rule, formdata=None)
        form.version.data = rule.version
    return _render_rule(rule, form)


@bp.post("/rules/<int:rule_id>")
@roles_required(Role.ADMIN)
def edit_rule(rule_id: int) -> ResponseReturnValue:
    rule = queries.get_rule(rule_id, current_user)
    if not rule_table.can_manage_rule(current_user, rule):
        abort(403)
    form = RuleForm(rule=rule)
    if form.validate_on_submit():
        show_again(lambda: _render_rule(rule, form, 422), form)
        changes, moved = rule_table.change_rule(
            rule, current_user, form.reason.data, form.version.data, **form.values()
        )
        if changes:
            flash(_("Rule %(rule)s was saved.", rule=rule_name(rule)), "success")
            _flash_recomputed(moved)
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(url_for(".rule_detail", rule_id=rule.id))
    return _render_rule(rule, form, 422)


@bp.route("/rules/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_rule() -> ResponseReturnValue:
    form = RuleCreateForm(units=units_in_scope(current_user), national=overrides.manages_national_data(current_user))
    if request.method == "GET":
        form.effective_from.data = local_today()
        form.unit_id.data = current_user.unit_id

    def page() -> ResponseReturnValue:
        return render_template("deadlines/rules_new.html", form=form), 200 if request.method == "GET" else 422

    if form.validate_on_submit():
        show_again(page, form)
        rule, moved = rule_table.create_rule(current_user, form.reason.data, **form.values())
        flash(_("Rule %(rule)s was created.", rule=rule_name(rule)), "success")
        _flash_recomputed(moved)
        return redirect(url_for(".rule_detail", rule_id=rule.id))
    return page()


# ---- the working-day calendar -----------------------------------------------------------------------------


def _year() -> int:
    year = parse_id(request.args.get("year"), max_digits=4)
    return year if year is not None and workdays.FIRST_YEAR <= year <= workdays.LAST_YEAR else local_today().year


@bp.get("/calendar")
@roles_required(*READERS)
def calendar() -> ResponseReturnValue:
    year = _year()
    return render_template(
        "deadlines/calendar.html",
        year=year,
        overrides=queries.overrides_of_year(year),
        package=queries.package_days(year),
        can_edit=overrides.can_manage_calendar(current_user),
        first_year=workdays.FIRST_YEAR,
        last_year=workdays.LAST_YEAR,
    )


def _warn_if_no_effect(override: CalendarOverride) -> None:
    """Warn when the override says what the holidays package already says (it changes nothing)."""
    if override.is_working_day != queries.package_is_working_day(override.day):
        return
    day = override.day.strftime("%d/%m/%Y")
    if override.is_working_day:
        flash(
            _("The holidays package already counts %(day)s as a working day: this entry changes nothing.", day=day),
            "warning",
        )
    else:
        flash(
            _("The holidays package already counts %(day)s as a day off: this entry changes nothing.", day=day),
            "warning",
        )


@bp.route("/calendar/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def add_override() -> ResponseReturnValue:
    if not overrides.can_manage_calendar(current_user):
        abort(403)
    form = OverrideForm()
    if request.method == "GET" and request.args.get("day"):
        try:
            day = date.fromisoformat(request.args["day"])
        except ValueError:
            day = None
        if day is not None:  # offered from the package's list: most often to say the opposite of it
            form.day.data = day
            form.is_working_day.data = not queries.package_is_working_day(day)

    def page() -> ResponseReturnValue:
        return render_template("deadlines/calendar_form.html", form=form, override=None), (
            200 if request.method == "GET" else 422
        )

    if form.validate_on_submit():
        show_again(page, form)
        override, moved = overrides.add_calendar_override(
            current_user, form.day.data, form.is_working_day.data, form.document.data
        )
        flash(_("%(day)s was added to the changed days.", day=override.day.strftime("%d/%m/%Y")), "success")
        _warn_if_no_effect(override)
        _flash_recomputed(moved)
        return redirect(url_for(".calendar", year=override.day.year))
    return page()


@bp.route("/calendar/<int:override_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_override(override_id: int) -> ResponseReturnValue:
    override = queries.get_override(override_id)
    if not overrides.can_manage_calendar(current_user):
        abort(403)
    form = OverrideEditForm(obj=override)

    def page() -> ResponseReturnValue:
        return render_template(
            "deadlines/calendar_form.html",
            form=form,
            override=override,
            package_working=queries.package_is_working_day(override.day),
            weekday=queries.weekday(override.day),
        ), 200 if request.method == "GET" else 422

    if form.validate_on_submit():
        show_again(page, form)
        moved = overrides.update_calendar_override(override, current_user, form.is_working_day.data, form.document.data)
        flash(_("%(day)s was saved.", day=override.day.strftime("%d/%m/%Y")), "success")
        _warn_if_no_effect(override)
        _flash_recomputed(moved)
        return redirect(url_for(".calendar", year=override.day.year))
    return page()
