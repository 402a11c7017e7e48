"""The notifications page (the bell): the user's reminders, newest first; marking them read."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..core.validation import parse_id
from . import queries
from .forms import MarkReadForm
from .messages import notification_text
from .operations import mark_all_read, mark_read

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def inject_unread_count():
    """Give templates ``unread_notifications()``: evaluated (one COUNT) only where the navbar asks for it."""

    def unread_notifications() -> int:
        if not current_user or not current_user.is_authenticated:
            return 0
        return queries.unread_count(current_user)

    return {"unread_notifications": unread_notifications}


@bp.get("/")
@login_required
def list_notifications():
    page = parse_id(request.args.get("page", "1"), max_digits=6) or 1
    pagination = queries.page_of_notifications(current_user, page, current_app.config["PAGE_SIZE"])
    visible = queries.visible_case_ids([n.case_id for n in pagination.items], current_user)
    petitions = queries.visible_petition_ids([n.petition_id for n in pagination.items], current_user)
    items = [(n, notification_text(n.kind, n.params), _link(n, visible, petitions)) for n in pagination.items]
    return render_template("notifications/list.html", pagination=pagination, items=items, form=MarkReadForm())


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    notification = queries.get_notification(notification_id, current_user)
    if not MarkReadForm().validate_on_submit():
        abort(400)
    mark_read(notification, current_user)
    if request.form.get("next") == "case":
        link = _link(
            notification,
            queries.visible_case_ids([notification.case_id], current_user),
            queries.visible_petition_ids([notification.petition_id], current_user),
        )
        if link:
            return redirect(link)
    return redirect(url_for("notifications.list_notifications", page=request.args.get("page") or None))


@bp.post("/read-all")
@login_required
def read_all():
    if not MarkReadForm().validate_on_submit():
        abort(400)
    count = mark_all_read(current_user)
    if count:
        flash(
            ngettext("%(num)d notification marked as read.", "%(num)d notifications marked as read.", count), "success"
        )
    else:
        flash(_("There were no unread notifications."), "info")
    return redirect(url_for("notifications.list_notifications"))


def _link(notification, visible_cases: set[int], visible_petitions: set[int]) -> str | None:
    """Where a notification leads: its case or its petition, if the user may still see it."""
    if notification.case_id and notification.case_id in visible_cases:
        return url_for("cases.case_detail", case_id=notification.case_id)
    if notification.petition_id and notification.petition_id in visible_petitions:
        return url_for("petitions.petition_detail", petition_id=notification.petition_id)
    return None
