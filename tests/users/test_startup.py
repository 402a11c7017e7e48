"""Production refuses a weak SECRET_KEY; with a strong one it starts with Secure cookies and HSTS."""

import os
import subprocess
import sys

import pytest

from app import create_app
from app.config import DefaultConfig
from app.security import check_secret_key

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STRONG = "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5b"


def production_app(tmp_path, **extra):
    config = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite3",
        "DEPLOYMENT": "production",
        "RATELIMIT_STORAGE_URI": "memory://",
    }  # (Redis is tested in test_throttling.py)
    config.update(extra)
    return create_app(config)


@pytest.mark.parametrize(
    "key, problem",
    [
        (None, "not set"),
        ("", "not set"),
        (DefaultConfig.SECRET_KEY, "development default"),
        ("short-but-random-9f2c4e6a8b", "shorter than 32"),
        ("ab" * 20, "distinct characters"),
        (12345678901234567890123456789012345, "not a string"),  # FLASK_SECRET_KEY=123... is parsed as a number
    ],
)
def test_production_refuses_a_weak_secret_key(tmp_path, key, problem):
    with pytest.raises(RuntimeError) as err:
        production_app(tmp_path, SECRET_KEY=key)
    message = str(err.value)
    assert problem in message
    assert "FLASK_SECRET_KEY" in message and "instance/config.py" in message
    assert "secrets.token_hex(32)" in message


def test_production_is_the_default_deployment(tmp_path):
    assert DefaultConfig.DEPLOYMENT == "production"
    with pytest.raises(RuntimeError, match="strong SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite3"})


def test_an_unknown_deployment_is_refused(tmp_path):
    with pytest.raises(RuntimeError, match="DEPLOYMENT"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite3", "DEPLOYMENT": "prod"})


def test_a_generated_key_is_accepted():
    import secrets

    for _ in range(20):
        check_secret_key(secrets.token_hex(32))
        check_secret_key(secrets.token_urlsafe(32))


def test_production_with_a_strong_key_starts_with_secure_cookies_and_hsts(tmp_path):
    app = production_app(tmp_path, SECRET_KEY=STRONG)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    client = app.test_client()
    resp = client.get("/login", base_url="https://localhost")
    assert resp.status_code == 200
    set_cookie = resp.headers["Set-Cookie"]
    assert "Secure" in set_cookie and "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
    # TLS ends at the proxy by default: plain http is not redirected (FORCE_HTTPS turns that on).
    assert client.get("/login").status_code == 200


def test_force_https_redirects_in_production(tmp_path):
    client = production_app(tmp_path, SECRET_KEY=STRONG, FORCE_HTTPS=True).test_client()
    resp = client.get("/login")
    assert resp.status_code in (301, 302) and resp.headers["Location"].startswith("https://")
    assert client.get("/login", headers={"X-Forwarded-Proto": "https"}).status_code == 200


def test_development_starts_with_the_default_key(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/d.sqlite3", "DEPLOYMENT": "development"})
    assert app.config["SECRET_KEY"] == DefaultConfig.SECRET_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def _flask(args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_") and k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=REPO,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_flask_command_refuses_a_production_start_without_a_key(tmp_path):
    db = f"sqlite:///{tmp_path}/c.sqlite3"
    refused = _flask(["routes"], DATABASE_URL=db)
    assert refused.returncode != 0 and "FLASK_SECRET_KEY" in refused.stderr
    assert _flask(["routes"], DATABASE_URL=db, FLASK_DEPLOYMENT="development").returncode == 0
    assert _flask(["routes"], DATABASE_URL=db, FLASK_SECRET_KEY=STRONG).returncode == 0


def test_behind_a_trusted_proxy_the_client_address_is_used(tmp_path):
    """TRUSTED_PROXIES = 1 (nginx in front): throttling and the audit log see X-Forwarded-For."""
    from sqlalchemy import select

    from app.audit.models import AuditEvent
    from app.extensions import db

    def failed_login_ip(trusted: int) -> str:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x{trusted}.sqlite3",
                "DEPLOYMENT": "development",
                "TRUSTED_PROXIES": trusted,
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            db.create_all()
        resp = app.test_client().post(
            "/login",
            data={"username": "nobody", "password": "wrong-password"},
            headers={"X-Forwarded-For": "203.0.113.7"},
        )
        assert resp.status_code == 200
        with app.app_context():
            ip = db.session.scalar(select(AuditEvent.ip))
            db.session.remove()
            db.engine.dispose()
        return ip

    assert failed_login_ip(1) == "203.0.113.7"
    assert failed_login_ip(0) == "127.0.0.1"  # by default the header is not trusted (it could be forged)
