"""TiepDan: citizen reception, petitions, complaints and denunciations for Vietnamese government units."""

import os

from flask import Flask, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import text

from .config import DefaultConfig, env_overrides
from .extensions import babel, bootstrap, csrf, db, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    """Create the application: defaults, then instance/config.py, then the environment (or test_config)."""
    from .core.transaction import TransactionalFlask

    app = TransactionalFlask(  # each request owns its transaction: one commit or one rollback at its end
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates"),
    )
    from .core import urls

    urls.init_app(app)  # ids in URLs within what an INTEGER column holds (a larger one is a 404), before any route
    app.config.from_object(DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env()  # FLASK_SECRET_KEY, FLASK_PAGE_SIZE ...
        app.config.update(env_overrides())
    else:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "tiepdan.sqlite3")
    opts = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    # Database errors (logged with their traceback) must not carry the statement's values: they hold
    # citizens' names, CCCD numbers and addresses.
    opts.setdefault("hide_parameters", True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        opts["connect_args"] = {"timeout": 30, **opts.get("connect_args", {})}
    elif app.config.get("POSTGRES_SESSION_OPTIONS"):
        opts["connect_args"] = {"options": app.config["POSTGRES_SESSION_OPTIONS"], **opts.get("connect_args", {})}
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = opts

    from . import models  # noqa: F401  (register every mapper)
    from .core.db import init_engine_events

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    init_engine_events(app)
    from .core import appendonly

    appendonly.init_app(app)
    from .search import sync as search_sync

    search_sync.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Asia/Ho_Chi_Minh")
    login_manager.init_app(app)
    login_manager.login_view = "users.login"
    login_manager.login_message_category = "warning"
    from .core.i18n import lazy_gettext

    login_manager.login_message = lazy_gettext("Please log in to open this page.")

    from . import security
    from .privacy import logs as privacy_logs

    security.init_app(app)
    privacy_logs.init_app(app)  # no query strings (a searched name) in access logs
    from .cases import gates as case_gates
    from .deadlines import receivers as deadline_receivers

    case_gates.connect()  # the petition gates that read cases (a matter already resolved)
    deadline_receivers.connect()  # the clocks follow the petition and case events
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)

    from .cli import register_cli

    register_cli(app)

    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means unhealthy
            return jsonify(status="error", database="unreachable"), 503
        return jsonify(status="ok", database="ok")

    @app.get("/")
    def index():
        if not current_user.is_authenticated:
            return redirect(url_for("users.login"))
        from .core.roles import Role

        if current_user.has_role(Role.RECEPTION):
            return redirect(url_for("reception.desk"))
        if current_user.has_any_role(Role.HEAD, Role.INSPECTOR):
            return redirect(url_for("cases.caseload"))
        if current_user.has_role(Role.HANDLER):
            return redirect(url_for("cases.list_cases", mine=1))
        return redirect(url_for("admin.units"))

    @app.post("/language/<code>")
    def set_language(code):
        if code in app.config["LANGUAGES"]:
            session["locale"] = code
        from .core.urls import safe_next

        return redirect(safe_next(request.form.get("next"), url_for("index")))

    return app


def select_locale():
    from flask import current_app, has_request_context

    code = session.get("locale") if has_request_context() else None
    if code in current_app.config["LANGUAGES"]:
        return code
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register_blueprints(app: Flask) -> None:
    from .admin.views import bp as admin_bp
    from .cases.views import bp as cases_bp
    from .persons.views import bp as persons_bp
    from .petitions.views import bp as petitions_bp
    from .reception.views import bp as reception_bp
    from .users.views import bp as users_bp

    for bp in (users_bp, reception_bp, petitions_bp, cases_bp, admin_bp, persons_bp):
        app.register_blueprint(bp)
    from .deadlines.views import bp as deadlines_bp

    app.register_blueprint(deadlines_bp)
    from .notifications.views import bp as notifications_bp

    app.register_blueprint(notifications_bp)  # also gives templates unread_notifications() for the bell
    from .api.views import bp as api_bp
    from .attachments.views import bp as attachments_bp
    from .auditlog.views import bp as audit_bp
    from .documents.views import bp as documents_bp
    from .imports.views import bp as imports_bp
    from .mediation.views import bp as mediation_bp
    from .privacy.views import bp as privacy_bp
    from .subjects.views import bp as subjects_bp

    for bp in (privacy_bp, attachments_bp, audit_bp, api_bp, subjects_bp, mediation_bp, imports_bp, documents_bp):
        app.register_blueprint(bp)


def register_error_handlers(app: Flask) -> None:
    from .core import locking, transaction

    locking.init_app(app)  # the stale-record message gets a "Reload the latest version" link
    transaction.init_app(app)  # a refused operation (or a concurrent save) becomes a message, in one place

    @app.errorhandler(CSRFError)
    def csrf_error(err):
        from .users.views import lost_post

        kept = lost_post()  # a form post: what was typed comes back (after logging in again if need be)
        if kept is not None:
            return kept
        return render_template(
            "errors/error.html",
            code=400,
            message=_("The form expired or was sent from elsewhere. Please reload the page and try again."),
        ), 400

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, _make_error_page(code))


def _make_error_page(code: int):
    def handler(err):
        if request.path.startswith("/api/"):
            # A URL no API route matched (e.g. an id beyond what the database holds, refused by the URL
            # converter) or a method it does not take: the API's JSON, not the HTML page.
            from .api.views import http_error

            return http_error(err)
        messages = {
            400: _("The request could not be understood."),
            403: _("You do not have permission to do this."),
            404: _("Page not found, or you do not have access to it."),
            405: _("This action is not allowed here."),
            413: _("The upload is too large."),
            500: _("An unexpected error occurred. Nothing was saved; please try again."),
        }
        return render_template("errors/error.html", code=code, message=messages[code]), code

    return handler


def register_template_helpers(app: Flask) -> None:
    from .core import assets, templating
    from .flags.queries import describe

    templating.init_app(app)
    assets.init_app(app)  # static files under a versioned URL, cached for a year
    app.jinja_env.globals["describe_flag"] = describe  # why a flag was raised (templates/_flags.html)
