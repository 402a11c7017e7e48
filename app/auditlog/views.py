"""The audit blueprint ("audit"): the read-only audit log for administrators, inspectors and heads (their subtree)."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from ..core.roles import Role, roles_required
from ..core.validation import parse_id
from . import queries

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@roles_required(Role.ADMIN, Role.INSPECTOR, Role.HEAD)
def audit_log():
    filters = queries.parse_filters(request.args)
    page = parse_id(request.args.get("page", "1"), max_digits=6) or 1
    pagination = queries.page_of_events(current_user, filters, page, current_app.config["PAGE_SIZE"])
    petitions, cases = queries.linked_records(pagination.items, current_user)
    return render_template(
        "audit/list.html",
        pagination=pagination,
        filters=filters,
        petitions=petitions,
        cases=cases,
        actions=queries.recorded_actions(),
        action_label=queries.action_label,
    )
