"""Default configuration. No secrets here: see instance/config.py and FLASK_* environment variables."""

import os


class DefaultConfig:
    #: "production" (the default: secure settings enforced, see app/security.py) or "development"
    #: (`make run`; the test suite). Set with FLASK_DEPLOYMENT.
    DEPLOYMENT = "production"
    #: Overridden by instance/config.py or FLASK_SECRET_KEY; the default is for development only and
    #: refused in production.
    SECRET_KEY = "dev-only-not-secret"
    #: None means the SQLite file instance/tiepdan.sqlite3 (set in create_app).
    SQLALCHEMY_DATABASE_URI = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session; officers keep forms open for hours
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ("vi", "en")
    BOOTSTRAP_SERVE_LOCAL = True  # office networks may have no internet
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    #: Province whose wards are offered first in address forms (75 = Đồng Nai).
    DEFAULT_PROVINCE_CODE = 75
    PAGE_SIZE = 25
    #: Planner settings of every PostgreSQL connection (libpq "options"): the database is expected to be
    #: cached in memory (random_page_cost 1.1, as on SSDs), so a page's index lookups are preferred over
    #: reading whole tables; JIT compilation costs more (tens of ms) than it saves on a page's short queries.
    POSTGRES_SESSION_OPTIONS = "-c random_page_cost=1.1 -c jit=off"
    #: Lists count their matches up to this many, then say "more than" (a count never reads a million rows).
    LIST_COUNT_CAP = 10000
    #: Werkzeug password hash method (tests use a cheap one; production keeps scrypt).
    PASSWORD_HASH_METHOD = "scrypt"

    # Login sessions and throttling (app/security.py, app/users).
    #: A session unused this long ends (the user logs in again).
    SESSION_IDLE_MINUTES = 30
    #: A login session ends this many hours after login however active it is.
    SESSION_MAX_HOURS = 12
    #: Where Flask-Limiter counts login attempts: shared by all gunicorn workers in production.
    #: None means "redis://127.0.0.1:6379" in production and "memory://" otherwise.
    RATELIMIT_STORAGE_URI: str | None = None
    #: Login attempts allowed per account name and per client address.
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_LIMIT_PER_IP = "30 per 15 minutes"
    #: Number of reverse proxies (nginx) in front of the app whose X-Forwarded-For/-Proto are trusted.
    #: Set to 1 behind nginx, or every client looks like 127.0.0.1 to the per-IP login limit.
    TRUSTED_PROXIES = 0
    #: Redirect http to https in the app (production only); usually the proxy does it.
    FORCE_HTTPS = False

    # Uploads (app/attachments).
    #: Largest request body; a bigger upload is answered 413.
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    #: Where attachment files are stored (outside the web root). None means instance/attachments.
    ATTACHMENTS_DIR: str | None = None
    #: Where an uploaded register workbook waits for its column mapping (app/imports). None: instance/imports.
    IMPORTS_DIR: str | None = None
    #: The language documents are issued in (official documents are in Vietnamese whatever the interface's).
    DOCUMENT_LOCALE = "vi"

    # Backups (flask backup create / restore).
    #: None means instance/backups.
    BACKUP_DIR: str | None = None

    # Confidentiality of petitioners' identity (app/privacy).
    #: A reveal (with a typed reason) shows a confidential identity for this many minutes.
    IDENTITY_REVEAL_MINUTES = 15
    #: The officer who registered a confidential petition may print its receipt with names this long.
    IDENTITY_CREATOR_MINUTES = 30

    # Deadlines, flags and reminders (the scheduler's jobs).
    #: A running clock is "due soon" when its due date is at most this many working days ahead.
    DUE_SOON_WORKING_DAYS = 3
    #: Window (days) in which two petitions of the same person count as repeated / sent to several units.
    REPEAT_WINDOW_DAYS = 365
    #: An open case accepted more than this many days ago is prolonged.
    PROLONGED_DAYS = 180
    #: A decision being carried out with no enforcement step recorded for this many days is flagged for a
    #: re-check (the resolver monitors its enforcement until done).
    ENFORCEMENT_RECHECK_DAYS = 30

    # The scheduler process (`flask scheduler run`).
    #: Minutes between two runs of all jobs (the first run is at start, so a scheduler that was down
    #: catches up once).
    SCHEDULER_INTERVAL_MINUTES = 15
    #: Local time (Asia/Ho_Chi_Minh) of the daily morning reminders run, "HH:MM".
    SCHEDULER_DAILY_AT = "07:30"
    #: A run that starts later than this (e.g. the machine slept) is skipped; the next one catches up.
    SCHEDULER_MISFIRE_GRACE_SECONDS = 3600
    #: SQLite only: the leader's lease lasts this long and is renewed every third of it.
    SCHEDULER_LEASE_SECONDS = 90

    # E-mail copies of notifications (sent only when MAIL_SERVER is set).
    MAIL_SERVER: str | None = None
    MAIL_PORT = 25
    #: STARTTLS after connecting (port 587); MAIL_USE_SSL for implicit TLS (port 465).
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_SENDER = "TiepDan <tiepdan@localhost>"
    MAIL_TIMEOUT = 30
    #: Address of the site as users reach it (e.g. "https://tiepdan.example.gov.vn"), for links in e-mails.
    PUBLIC_BASE_URL: str | None = None


def env_overrides() -> dict:
    """Return settings taken from the environment (DATABASE_URL and FLASK_* variables)."""
    out = {}
    if os.environ.get("DATABASE_URL"):
        out["SQLALCHEMY_DATABASE_URI"] = normalise_db_url(os.environ["DATABASE_URL"])
    return out


def normalise_db_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
