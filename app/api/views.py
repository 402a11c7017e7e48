"""The api blueprint: read-only JSON over the scoped queries of the HTML views.

Authentication is the HTML login's session cookie. Not logged in: 401 JSON (never a redirect to the
login page); an object outside the user's scope: 404 JSON, exactly as for a missing one. Petitioners
of a confidential petition are masked by app.privacy.policy.shows_identity, as on the pages.

It writes nothing: every route answers GET only (tests/api/test_api.py fails for any other method). A
write added here must require the record's version (If-Match, or a version in the body) and pass it to
app.core.locking.check_version, which refuses a missing one.
"""

import json

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from ..caselist import queries as case_list
from ..cases import queries as case_queries
from ..cases.models import AMOUNTS
from ..core.validation import parse_id
from ..deadlines.queries import deadlines_of_case, deadlines_of_petition
from ..notifications import queries as notification_queries
from ..notifications.messages import notification_text
from ..petitions.pages import parts_of
from ..petitions.queries import get_petition, page_of_petitions, parse_petition_filters
from ..privacy.policy import shows_identity

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def require_login():
    if not current_user.is_authenticated:
        return _error(401, _("Log in to use the API."))
    return None


@bp.after_request
def no_store(response):
    # Every API answer can carry personal data: never cache it.
    response.headers["Cache-Control"] = "no-store"
    return response


def jsonify(*args, **kwargs) -> Response:
    """JSON with < > & written as \\u escapes: the texts are citizens' and officers' free text, and no
    browser may ever read an API answer as markup (defence in depth beside nosniff and the mimetype)."""
    data = args[0] if args else kwargs
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Response(text + "\n", mimetype="application/json")


def _error(code: int, message: str):
    return jsonify(error={"code": code, "message": str(message)}), code


def http_error(err: HTTPException):
    messages: dict[int | None, str] = {
        404: _("Not found, or you do not have access to it."),
        403: _("You do not have permission to do this."),
        405: _("This method is not allowed here."),
        400: _("The request could not be understood."),
        500: _("An unexpected error occurred. Nothing was saved; please try again."),
    }
    return _error(err.code or 500, messages.get(err.code, err.description or err.name))


# By code, not only by class: Flask prefers the app's handler for a code over a blueprint's class handler.
bp.register_error_handler(HTTPException, http_error)
for _code in (400, 401, 403, 404, 405, 413, 500):
    bp.register_error_handler(_code, http_error)


@bp.route("/", defaults={"rest": ""})
@bp.route("/<path:rest>")
def not_found(rest: str):
    """Unknown API paths answer 404 JSON, not the HTML error page."""
    return _error(404, _("Not found, or you do not have access to it."))


# --- Serialisers -------------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value is not None else None


def _enum(value):
    if value is None:
        return None
    return {"value": value.value, "label": str(value.label)}


def _unit(unit):
    return None if unit is None else {"id": unit.id, "code": unit.code, "name": unit.name}


def _subject(area):
    """A subject area by its stable code (what integrators match on), its group and its name."""
    if area is None:
        return None
    return {"id": area.id, "code": area.code, "group": area.group.value, "name": area.name, "label": area.label}


def _split(petition, user):
    """A petition of several contents: the whole and the parts this user may see listed (as on the page)."""
    found = parts_of(petition, user)
    if not found:
        return None
    whole = found["whole"]
    return {
        "whole": {"id": whole.id, "receipt_no": whole.receipt_no} if whole is not None else None,
        "parts": [{"id": p.id, "receipt_no": p.receipt_no, "kind": _enum(p.kind)} for p in found["parts"]],
    }


def _user(user):
    return None if user is None else {"id": user.id, "full_name": user.full_name}


def petitioners(petition, user) -> dict | list:
    """The petitioners as the user may see them now: a list, or ``{"masked": true, "count": n}``."""
    people = petition.petitioners
    if petition.is_anonymous:
        return {"anonymous": True, "count": len(people)}
    if not shows_identity(user, petition):
        return {"masked": True, "count": len(people)}
    return [
        {"full_name": p.full_name, "citizen_id": p.citizen_id, "phone": p.phone, "address": p.address} for p in people
    ]


def petition_summary(petition, user, visible_cases: set[int] | None = None) -> dict:
    """``visible_cases``: the visible case ids, when a list has looked them up for all its rows at once."""
    return {
        "id": petition.id,
        "receipt_no": petition.receipt_no,
        "unit": _unit(petition.unit),
        "received_on": _iso(petition.received_on),
        "kind": _enum(petition.kind),
        "subject_area": _subject(petition.subject_area),
        "channel": _enum(petition.channel),
        "state": _enum(petition.state),
        "summary": petition.summary,
        "signatory_count": petition.signatory_count,
        "is_identity_confidential": bool(petition.is_identity_confidential),
        "petitioners": petitioners(petition, user),
        "case": _case_ref(petition.case_id, user, visible_cases),
    }


def _case_ref(case_id, user, visible: set[int] | None = None):
    if case_id is None:
        return None
    if not (case_id in visible if visible is not None else case_queries.is_visible(case_id, user)):
        return None
    return {"id": case_id}


def _events(events) -> list[dict]:
    return [
        {
            "at": _iso(e.at),
            "action": e.action,
            "from_state": e.from_state,
            "to_state": e.to_state,
            "actor": _user(e.actor),
            "note": e.note,
        }
        for e in events
    ]


def _deadlines(panel) -> list[dict]:
    return [
        {
            "stage": r.stage.value,
            "stage_label": str(r.stage.label),
            "status": r.status,
            "days": r.days,
            "due_on": _iso(r.clock.due_on),
            "petition_no": r.petition_no,
        }
        for r in panel.rows
    ]


def case_summary(case) -> dict:
    return {
        "id": case.id,
        "number": case.number,
        "title": case.title,
        "kind": _enum(case.kind),
        "instance": case.instance,
        "subject_area": _subject(case.subject_area),
        "state": _enum(case.state),
        "complexity": _enum(case.complexity),
        "unit": _unit(case.unit),
        "handling_unit": _unit(case.handling_unit),
        "handler": _user(case.handler),
        "received_on": _iso(case.received_on),
        "accepted_on": _iso(case.accepted_on),
    }


def _page_arg() -> int:
    return parse_id(request.args.get("page"), max_digits=6) or 1


def _page_json(page, items: list, warnings) -> Response:
    """A list answer: the items, the (capped) total and the arguments that fetch the pages around it.

    ``next`` and ``prev`` are the query arguments to add to the same URL (``after``/``before`` cursors, or
    ``page`` for lists in a computed order); null at either end.
    """

    def args(found):
        return None if found is None else {k: v for k, v in found.items() if v is not None}

    return jsonify(
        items=items,
        total=page.total,
        total_is_capped=page.total_is_capped,
        next=args(page.next_args),
        prev=args(page.prev_args),
        page=page.number,
        pages=page.pages,
        warnings=[str(w) for w in list(warnings) + page.warnings],
    )


# --- Endpoints ---------------------------------------------------------------------------------------


@bp.get("/petitions")
def petitions():
    """The petition register, with the HTML list's filters (kind, state, channel, subject, unit, dates, q, page)."""
    user = current_user._get_current_object()
    filters = parse_petition_filters(request.args, user)
    page = page_of_petitions(
        user, filters, request.args, int(current_app.config["PAGE_SIZE"]), current_app.config["LIST_COUNT_CAP"]
    )
    visible = case_queries.visible_ids((p.case_id for p in page.items), user)
    return _page_json(page, [petition_summary(p, user, visible) for p in page.items], filters.warnings)


@bp.get("/petitions/<int:petition_id>")
def petition(petition_id: int):
    user = current_user._get_current_object()
    p = get_petition(petition_id, user)
    data = petition_summary(p, user)
    data.update(
        {
            "content": p.content,
            "source_agency": p.source_agency,
            "source_dispatch_no": p.source_dispatch_no,
            "is_anonymous": bool(p.is_anonymous),
            "decided_at": _iso(p.decided_at),
            "transferred_to": p.transferred_to,
            "transfer_dispatch_no": p.transfer_dispatch_no,
            "guidance": p.guidance,
            "filed_reason": _enum(p.filed_reason),
            "decision_note": p.decision_note,
            "instance": p.complaint_instance,
            "sites_to_verify": p.sites if p.kind.value == "denunciation" else None,
            "competent_body": _enum(p.competent_body),
            "split": _split(p, user),
            "events": _events(p.events),
            "deadlines": _deadlines(deadlines_of_petition(p)),
        }
    )
    return jsonify(data)


@bp.get("/cases")
def cases():
    """The case list, with the HTML list's filters (state, kind, unit, mine, handler, dates, q, deadline...)."""
    user = current_user._get_current_object()
    filters = case_list.parse_case_filters(request.args, user)
    page = case_list.page_of_cases(
        user, filters, request.args, current_app.config["PAGE_SIZE"], current_app.config["LIST_COUNT_CAP"]
    )
    return _page_json(page, [case_summary(c) for c in page.items], filters.warnings)


@bp.get("/cases/<int:case_id>")
def case(case_id: int):
    user = current_user._get_current_object()
    c = case_queries.get_case(case_id, user)
    data = case_summary(c)
    data.update(
        {
            "decision_no": c.decision_no,
            "decision_on": _iso(c.decision_on),
            "outcome": _enum(c.outcome),
            "decision_summary": c.decision_summary,
            "enforcement_required": c.enforcement_required,
            "enforcement_due_on": _iso(c.enforcement_due_on),
            "enforced_on": _iso(c.enforced_on),
            "enforcement_result": c.enforcement_result,
            "legally_effective_on": _iso(c.legally_effective_on),
            "resolution_lapsed_on": _iso(c.resolution_lapsed_on),
            "amounts": {"ordered": {name: getattr(c, name) for name in AMOUNTS}, "done": c.amounts_done()},
            "violation_handling": (
                {
                    "handling": c.violation_handling,
                    "people_to_sanction": c.people_to_sanction,
                    "referred_to_investigation": c.referred_to_investigation,
                }
                if c.kind.value == "denunciation"
                else None
            ),
            "decision_delivered": (
                {"on": _iso(c.decision_delivered_on), "to": c.decision_delivered_to}
                if c.decision_delivered_on
                else None
            ),
            "suspension": (
                {"decision_no": c.suspension_decision_no, "since": _iso(c.suspended_on)} if c.suspended_on else None
            ),
            "court": (
                {
                    "court": c.court_name,
                    "case_no": c.court_case_no,
                    "filed_on": _iso(c.court_filed_on),
                    "judgment_on": _iso(c.court_judgment_on),
                    "judgment": c.court_judgment,
                }
                if c.court_filed_on
                else None
            ),
            "steps": [
                {
                    "kind": _enum(s.kind),
                    "held_on": _iso(s.held_on),
                    "decision_no": s.decision_no,
                    "people": s.people,
                    "summary": s.summary,
                    "result": s.result,
                    "differs_from_claim": s.differs_from_claim,
                    **({name: getattr(s, name) for name in AMOUNTS} if s.kind.value == "enforcement" else {}),
                }
                for s in c.steps
            ],
            "parent_case": _case_ref(c.parent_case_id, user),
            "available_actions": [a.value for a in c.available_actions(user)],
            "petitions": [
                {
                    "id": p.id,
                    "receipt_no": p.receipt_no,
                    "kind": _enum(p.kind),
                    "state": _enum(p.state),
                    "petitioners": petitioners(p, user),
                }
                for p in c.petitions
            ],
            "deadlines": _deadlines(deadlines_of_case(c)),
            "events": _events(c.events),
        }
    )
    return jsonify(data)


@bp.get("/notifications")
def notifications():
    """The user's own notifications, newest first."""
    user = current_user._get_current_object()
    pagination = notification_queries.page_of_notifications(user, _page_arg(), current_app.config["PAGE_SIZE"])
    visible = notification_queries.visible_case_ids([n.case_id for n in pagination.items], user)
    items = [
        {
            "id": n.id,
            "kind": n.kind,
            "text": notification_text(n.kind, n.params),
            "created_at": _iso(n.created_at),
            "is_read": n.read_at is not None,
            "case": {"id": n.case_id} if n.case_id in visible else None,
        }
        for n in pagination.items
    ]
    return jsonify(
        items=items,
        total=pagination.total,
        page=pagination.page,
        pages=max(pagination.pages, 1),
        unread=notification_queries.unread_count(user),
    )
