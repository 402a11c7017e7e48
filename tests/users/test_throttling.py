"""Login throttling per account and per client address; failed logins reveal nothing and are audited."""

import json
import os
import subprocess
import sys
import time
import uuid

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from tests.conftest import CsrfClient, login
from tests.factories import PASSWORD

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WRONG = "Sai tên đăng nhập hoặc mật khẩu."
THROTTLED = "Quá nhiều lần thử đăng nhập"  # the page speaks Vietnamese by default


def attempt(client, username, password, ip="127.0.0.1"):
    c = CsrfClient(client)
    token = c.token("/login")
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": ip},
    )


def logged_in(client) -> bool:
    return client.get("/cases/").status_code == 200


def test_sixth_attempt_on_an_account_is_refused_even_with_the_right_password(client, world):
    for _ in range(5):
        resp = attempt(client, "head", "not-the-password")
        assert resp.status_code == 200 and WRONG in resp.get_data(as_text=True)
    resp = attempt(client, "head", PASSWORD)
    assert resp.status_code == 429
    html = resp.get_data(as_text=True)
    assert THROTTLED in html and "<h1" in html  # the error page, not a bare text
    assert resp.headers["Cache-Control"] == "no-store"
    assert not logged_in(client)
    # The name is lower-cased and trimmed: "HEAD " is the same account.
    assert attempt(client, " HEAD ", PASSWORD).status_code == 429
    # Other accounts from the same address still log in.
    assert attempt(client, "handler", PASSWORD).status_code == 302


def test_unknown_accounts_are_throttled_the_same_way(client, world):
    for _ in range(5):
        assert WRONG in attempt(client, "nobody", "whatever-pass").get_data(as_text=True)
    assert attempt(client, "nobody", "whatever-pass").status_code == 429


def test_one_address_is_stopped_across_accounts_at_the_ip_limit(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "8 per 15 minutes")
    for name in ("head", "handler", "inspector", "reception"):  # 2 failures each: under the account limit
        for _ in range(2):
            assert attempt(client, name, "not-the-password", ip="10.0.0.1").status_code == 200
    resp = attempt(client, "admin", PASSWORD, ip="10.0.0.1")  # a fresh account, the right password
    assert resp.status_code == 429 and THROTTLED in resp.get_data(as_text=True)
    # Another address is not affected.
    assert attempt(app.test_client(), "admin", PASSWORD, ip="10.0.0.2").status_code == 302


def test_successful_logins_do_not_use_up_the_limit(client, world):
    for _ in range(7):
        c = login(client, "head")
        assert logged_in(client)
        c.post("/logout", {}, token_from="/cases/")
    for _ in range(4):
        attempt(client, "head", "not-the-password")
    assert attempt(client, "head", PASSWORD).status_code == 302


@pytest.mark.parametrize("run", [1, 2])
def test_the_counts_start_from_zero_in_each_test(client, world, run):
    """Four failures and a success, twice: the second run would be throttled if counts leaked between tests."""
    for _ in range(4):
        assert attempt(client, "head", "not-the-password").status_code == 200
    assert attempt(client, "head", PASSWORD).status_code == 302


def test_failed_logins_are_audited_without_storing_a_mistyped_name(client, world, db):
    attempt(client, "head", "not-the-password")
    attempt(client, "my-secret-password", "x-typed-into-the-wrong-field")
    db.session.rollback()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.login_failed").order_by(AuditEvent.id)
    ).all()
    assert len(events) == 2
    known, unknown = events
    assert known.actor_id == world.users["head"].id and json.loads(known.detail) == {"username": "head"}
    assert known.ip == "127.0.0.1"
    assert unknown.actor_id is None and unknown.detail is None
    everything = [str(v) for e in db.session.scalars(select(AuditEvent)) for v in vars(e).values()]
    assert not any("my-secret-password" in v or "x-typed" in v for v in everything)


def test_unknown_user_takes_as_long_as_a_wrong_password(app, client, world, db, monkeypatch):
    """A hash check runs for unknown names too (with a deliberately slow hash so the gap would show)."""
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "pbkdf2:sha256:300000")
    world.users["head"].set_password(PASSWORD)
    db.session.commit()

    def timed(username):
        token = CsrfClient(client).token("/login")
        start = time.perf_counter()
        resp = client.post("/login", data={"username": username, "password": "not-the-password", "csrf_token": token})
        assert WRONG in resp.get_data(as_text=True)
        return time.perf_counter() - start

    wrong = min(timed("head") for _ in range(2))
    unknown = min(timed("nobody") for _ in range(2))
    assert unknown > 0.5 * wrong, (unknown, wrong)
    assert wrong > 0.05  # the slow hash is really used (else the comparison proves nothing)


REDIS_SCRIPT = r"""
import json, os, sys
import redis
from app import create_app
from app.extensions import db
from app.security import limiter

prefix = sys.argv[1]
app = create_app({
    "DEPLOYMENT": "production", "SECRET_KEY": "k3y-" + "0123456789abcdefghijklmnopqrstuvwxyz",
    "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[2], "WTF_CSRF_ENABLED": False,
    "RATELIMIT_KEY_PREFIX": prefix, "LOGIN_LIMIT_PER_ACCOUNT": "2 per minute",
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
})
with app.app_context():
    db.create_all()
client = app.test_client()
codes = [client.post("/login", data={"username": "nobody", "password": "wrong-password"},
                     base_url="https://localhost").status_code for _ in range(3)]
r = redis.Redis.from_url("redis://127.0.0.1:6379")
keys = [k.decode() for k in r.scan_iter("*" + prefix + "*")]
if keys:
    r.delete(*keys)
print(json.dumps({"storage": type(limiter.storage).__name__, "uri": app.config["RATELIMIT_STORAGE_URI"],
                  "codes": codes, "keys": keys}))
"""


def test_production_counts_attempts_in_redis(tmp_path):
    """In production the counts live in Redis on 127.0.0.1:6379, shared by all workers (a fresh process)."""
    prefix = f"tiepdan-test-{uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    proc = subprocess.run(
        [sys.executable, "-c", REDIS_SCRIPT, prefix, str(tmp_path / "db.sqlite3")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["uri"] == "redis://127.0.0.1:6379" and out["storage"] == "RedisStorage"
    assert out["codes"] == [200, 200, 429]
    assert any("account:nobody" in k for k in out["keys"]), out["keys"]
