"""Every route of the app, how to build its URL in the scene, and a snapshot of the whole database.

ENDPOINTS is the explicit table the security tests walk. The tests take the list of routes from
``app.url_map``; an endpoint missing here makes them fail, so a new route cannot escape the checks
(add it here, saying which scene object its id arguments refer to).

An argument value is the key of a scene object (its id is used) or, after "=", a literal.
"""

from sqlalchemy import select
from werkzeug.routing import Rule

from app.extensions import db

#: endpoint -> {URL argument: scene object key, or "=literal"}.
ENDPOINTS: dict[str, dict[str, str]] = {
    "index": {},
    "healthz": {},
    "static": {"filename": "=tiepdan.css"},
    "bootstrap.static": {"filename": "=bootstrap5/css/bootstrap.min.css"},
    "set_language": {"code": "=en"},
    "users.login": {},
    "users.logout": {},
    "users.session_alive": {},
    # reception
    "reception.desk": {},
    "reception.record_visit": {},
    "reception.register": {},
    "reception.person_history": {},
    "imports.new_import": {},
    "imports.edit_import": {"token": "=" + "x" * 32},
    "reception.edit_visit": {"visit_id": "session"},
    "persons.edit_person": {"person_id": "visitor"},
    "petitions.edit_petition": {"petition_id": "petition"},
    "reception.export_register": {},
    # petitions
    "petitions.list_petitions": {},
    "petitions.new_petition": {},
    "petitions.petition_detail": {"petition_id": "petition"},
    "petitions.record_sites": {"petition_id": "petition"},
    "petitions.split": {"petition_id": "petition"},
    "petitions.receipt": {"petition_id": "petition"},
    "petitions.decide": {"petition_id": "walk_in"},
    "petitions.mark_duplicate": {"petition_id": "walk_in"},
    "petitions.export": {},
    # documents
    "documents.new_petition_document": {"petition_id": "petition", "code": "=receipt"},
    "documents.new_case_document": {"case_id": "case", "code": "=work_minutes"},
    "documents.show_document": {"document_id": "document"},
    "documents.download_docx": {"document_id": "document"},
    "documents.download_pdf": {"document_id": "document"},
    "documents.signoff": {"document_id": "document"},
    "documents.edit_templates": {},
    "documents.default_docx": {},
    "documents.template_docx": {"template_id": "template"},
    # cases
    "cases.list_cases": {},
    "cases.caseload": {},
    "cases.case_detail": {"case_id": "case"},
    "cases.case_action": {"case_id": "case", "action": "=resolve"},
    "cases.extend_resolution": {"case_id": "case"},
    "cases.record_notice": {"case_id": "case", "notice": "=conclusion"},
    "cases.court_step": {"case_id": "case", "step": "=court"},
    "cases.record_decision_delivery": {"case_id": "case"},
    "cases.record_case_step": {"case_id": "case", "kind": "=verification"},
    # notifications
    "notifications.list_notifications": {},
    "notifications.read": {"notification_id": "notification"},
    "notifications.read_all": {},
    # attachments
    "attachments.download": {"attachment_id": "attachment"},
    "attachments.remove": {"attachment_id": "attachment"},
    "attachments.upload_to_petition": {"petition_id": "petition"},
    "attachments.upload_to_case": {"case_id": "case"},
    # privacy
    "privacy.reveal": {"petition_id": "petition"},
    "privacy.reveals": {"petition_id": "petition"},
    "privacy.permissions": {},
    "privacy.change_permission": {"action": "=grant"},
    # audit log
    "audit.audit_log": {},
    # persons
    "persons.wards": {},
    # administration
    "admin.units": {},
    "admin.create_unit": {},
    "admin.edit_unit": {"unit_id": "unit"},
    "admin.users": {},
    "admin.create_user": {},
    "admin.edit_user": {"user_id": "user"},
    "admin.end_sessions": {"user_id": "user"},
    "deadlines.rules": {},
    "deadlines.rule_detail": {"rule_id": "rule"},
    "deadlines.edit_rule": {"rule_id": "rule"},
    "deadlines.create_rule": {},
    "deadlines.calendar": {},
    "deadlines.add_override": {},
    "deadlines.edit_override": {"override_id": "override"},
    "mediation.list_mediations": {},
    "mediation.new_mediation": {},
    "mediation.mediation_detail": {"item_id": "mediation"},
    "mediation.link": {"item_id": "mediation"},
    "subjects.subjects": {},
    "subjects.create_subject": {},
    "subjects.edit_subject": {"subject_id": "subject"},
    # JSON API
    "api.not_found": {"rest": "=no/such/thing"},
    "api.petitions": {},
    "api.petition": {"petition_id": "petition"},
    "api.cases": {},
    "api.case": {"case_id": "case"},
    "api.notifications": {},
}

#: Scene objects that are national data, not in any unit's subtree (every administrator may read them;
#: only a top unit's administrators may change them).
GLOBAL_OBJECTS = {"override", "subject"}

#: Query strings worth sending to a GET page besides none (the list filters).
QUERY_EXAMPLES: dict[str, dict] = {
    "persons.wards": {"province": "75"},
}


def rules(app) -> list[Rule]:
    """The app's routes, in a stable order (the url_map is the source of truth)."""
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


def methods(rule: Rule) -> set[str]:
    return set(rule.methods or ()) - {"HEAD", "OPTIONS"}


def spec(rule: Rule) -> dict[str, str]:
    """The table entry of ``rule``; fails (KeyError with a clear message) for a route not in the table."""
    if rule.endpoint not in ENDPOINTS:
        raise KeyError(
            f"route {rule.rule} (endpoint {rule.endpoint}) is not in tests/security/routes.py "
            "ENDPOINTS: add it, with the scene object its arguments refer to"
        )
    entry = ENDPOINTS[rule.endpoint]
    missing = set(rule.arguments) - set(entry) - set(rule.defaults or {})
    if missing:
        raise KeyError(f"ENDPOINTS[{rule.endpoint!r}] lacks the argument(s) {sorted(missing)}")
    return entry


def object_keys(rule: Rule) -> list[str]:
    """The scene objects the route's URL names (empty for a route without object ids)."""
    return [v for k, v in spec(rule).items() if k in rule.arguments and not v.startswith("=")]


def scoped_key(rule: Rule) -> str | None:
    """The scoped object the route is about, or None (no object, or national data)."""
    keys = [k for k in object_keys(rule) if k not in GLOBAL_OBJECTS]
    return keys[0] if keys else None


def build_url(rule: Rule, scene, override: dict | None = None) -> str:
    """The path of ``rule`` with the scene's object ids (``override``: {scene key: id} to substitute)."""
    values = {}
    for arg in rule.arguments:
        v = spec(rule).get(arg)
        if v is None:
            continue
        if v.startswith("="):
            values[arg] = v[1:]
        elif override and v in override:
            values[arg] = override[v]
        else:
            values[arg] = scene.id(v)
    # Build through the rule itself: url_for would pick another rule of the same endpoint.
    _domain, path = rule.build(values, append_unknown=False)
    return path


def snapshot() -> dict[str, list]:
    """Every row of every table (the scene is small): what a refused or read-only request must not change."""
    db.session.rollback()  # read what is committed, not this session's identity map
    data = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        data[table.name] = sorted(repr(tuple(r)) for r in rows)
    db.session.rollback()
    return data


def diff(before: dict, after: dict) -> dict[str, tuple[int, int]]:
    """Tables whose rows changed: {name: (rows before, rows after)}."""
    return {name: (len(before[name]), len(after.get(name, []))) for name in before if before[name] != after.get(name)}
