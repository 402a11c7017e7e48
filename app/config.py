"""Default configuration. No secrets here: see instance/config.py and FLASK_* environment variables."""
import os


class DefaultConfig:
    #: Overridden by instance/config.py or FLASK_SECRET_KEY; the default is for development only.
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
    #: Werkzeug password hash method (tests use a cheap one; production keeps scrypt).
    PASSWORD_HASH_METHOD = "scrypt"


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
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
