"""Web security: login sessions, throttling, security headers, cookie and SECRET_KEY checks."""

from flask import render_template, request, session
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import DefaultConfig
from .core.assets import STATIC_ENDPOINTS
from .users.sessions import enforce_idle_timeout

DEPLOYMENTS = ("production", "development")
#: A production SECRET_KEY must be at least this long and use at least this many distinct characters.
MIN_SECRET_KEY_LENGTH = 32
MIN_SECRET_KEY_DISTINCT = 10

#: Login throttling (the limits are on the login view, app/users/views.py). One limiter per process, as
#: Flask-Limiter intends: its storage comes from the app last initialised (there is one app per process
#: but in tests).
limiter = Limiter(key_func=get_remote_address)

#: Content-Security-Policy: everything from this site only; no inline script or style, no framing.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",  # Bootstrap's icons (form validation, close buttons) are data: SVGs
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def init_app(app) -> None:
    """Install the security layer on ``app``."""
    deployment = app.config.get("DEPLOYMENT")
    if deployment not in DEPLOYMENTS:
        raise RuntimeError(
            f"DEPLOYMENT (FLASK_DEPLOYMENT) must be one of {', '.join(DEPLOYMENTS)}, not {deployment!r}."
        )
    production = deployment == "production"
    if production:
        check_secret_key(app.config.get("SECRET_KEY"))

    # Cookies: HttpOnly and SameSite=Lax always (app/config.py); Secure in production (served over HTTPS).
    app.config["SESSION_COOKIE_SECURE"] = production
    app.config["REMEMBER_COOKIE_SECURE"] = production

    # Behind nginx every request comes from 127.0.0.1: trust that many proxies' X-Forwarded-For/-Proto so
    # per-address throttling and the audit log see the client. 0 (the default) trusts no header.
    proxies = int(app.config.get("TRUSTED_PROXIES", 0) or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    _init_limiter(app, production)
    Talisman(
        app,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",
        x_content_type_options=True,
        # TLS usually ends at the reverse proxy, which redirects http to https itself; FORCE_HTTPS = True
        # makes the app redirect too (it trusts X-Forwarded-Proto for that).
        force_https=bool(app.config.get("FORCE_HTTPS", False)) and production,
        strict_transport_security=production,
        session_cookie_secure=production,
        session_cookie_http_only=True,
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE") or "Lax",
    )

    app.before_request(enforce_idle_timeout)
    app.after_request(_no_store)


def check_secret_key(key) -> None:
    """Refuse (RuntimeError) a missing, default, short or repetitive SECRET_KEY."""
    problem = None
    if not key:
        problem = "it is not set"
    elif not isinstance(key, (str, bytes)):
        problem = "it is not a string (quote it in instance/config.py)"
    elif key == DefaultConfig.SECRET_KEY:
        problem = "it is the development default shipped with the code"
    elif len(key) < MIN_SECRET_KEY_LENGTH:
        problem = f"it is shorter than {MIN_SECRET_KEY_LENGTH} characters"
    elif len(set(key)) < MIN_SECRET_KEY_DISTINCT:
        problem = f"it has fewer than {MIN_SECRET_KEY_DISTINCT} distinct characters"
    if problem:
        raise RuntimeError(
            f"TiepDan refuses to start in production without a strong SECRET_KEY: {problem}. "
            "Set the FLASK_SECRET_KEY environment variable, or SECRET_KEY in instance/config.py, to a long "
            "random value that stays the same across restarts, for example the output of "
            "python -c 'import secrets; print(secrets.token_hex(32))'. "
            "(On a development machine, set FLASK_DEPLOYMENT=development instead.)"
        )


def _init_limiter(app, production: bool) -> None:
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        # Redis is shared by all gunicorn workers; memory counts per process (development and tests).
        app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379" if production else "memory://"
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "tiepdan")
    # If Redis goes down, keep throttling (per process, in memory) rather than failing every login.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)
    app.register_error_handler(429, _too_many_requests)


def _too_many_requests(err):
    return render_template(
        "errors/error.html",
        code=429,
        message=_("Too many login attempts. Please wait a few minutes before trying again."),
    ), 429


def _no_store(response):
    """Pages for a logged-in user (and the login page) may hold personal data: never cache them."""
    if request.endpoint not in STATIC_ENDPOINTS and ("_user_id" in session or request.endpoint == "users.login"):
        response.headers["Cache-Control"] = "no-store"
    return response
