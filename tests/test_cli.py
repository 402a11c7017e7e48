"""`flask create-user`: creates a user who can log in; bad input is refused with a clear error."""

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.core.roles import Role
from app.users.models import User
from tests.conftest import CsrfClient


def run(app, args: list[str], password: str = "mat-khau-123"):
    """Run `flask <args>` with the password on standard input; messages in English."""
    with force_locale("en"):
        return app.test_cli_runner().invoke(args=args, input=password + "\n")


def user_count(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(User.id)))


def test_create_user_with_an_e_mail(app, world, db):
    args = ["create-user", "mai.le", "--role", "handler", "--unit", "TK", "--email", "mai.le@tk.gov.vn"]
    result = run(app, [*args, "--password-stdin"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert db.session.execute(select(User.email).where(User.username == "mai.le")).scalar_one() == "mai.le@tk.gov.vn"
    result = run(
        app, ["create-user", "mai.le2", "--role", "handler", "--unit", "TK", "--email", "mai", "--password-stdin"]
    )
    assert result.exit_code != 0 and "Enter an e-mail address" in result.output


def test_create_user_with_roles_who_can_then_log_in(app, world, db):
    result = run(
        app,
        [
            "create-user",
            "Lan.Tran",
            "--role",
            "head",
            "--role",
            "handler",
            "--unit",
            "tk",
            "--full-name",
            "Trần Thị Lan",
            "--password-stdin",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Created user lan.tran (handler, head) in TK." in result.output
    db.session.rollback()
    user = db.session.execute(select(User).where(User.username == "lan.tran")).unique().scalar_one()
    assert (user.full_name, user.unit.code, user.roles, user.is_active) == (
        "Trần Thị Lan",
        "TK",
        {Role.HEAD, Role.HANDLER},
        True,
    )
    client = app.test_client()
    resp = CsrfClient(client).post("/login", {"username": "lan.tran", "password": "mat-khau-123"})
    assert resp.status_code == 302
    assert client.get("/").location.endswith("/cases/caseload")  # the head's start page: logged in


@pytest.mark.parametrize(
    "args, password, exit_code, message",
    [
        (["--role", "head", "--unit", "NOPE"], "mat-khau-123", 1, "No unit with code 'NOPE'."),
        (["--role", "boss", "--unit", "TK"], "mat-khau-123", 2, "Invalid value for '--role'"),
        (["--unit", "TK"], "mat-khau-123", 2, "Missing option '--role'"),
        (["--role", "head", "--unit", "TK"], "short", 1, "The password must have at least 10 characters."),
        (["--role", "head", "--unit", "TK"], "", 1, "The password must have at least 10 characters."),
    ],
)
def test_bad_input_gives_an_error_and_creates_nothing(app, world, db, args, password, exit_code, message):
    before = user_count(db)
    result = run(app, ["create-user", "new.user", *args, "--password-stdin"], password)
    assert result.exit_code == exit_code
    assert message in result.output
    assert user_count(db) == before
    assert db.session.execute(select(User).where(User.username == "new.user")).first() is None


@pytest.mark.parametrize(
    "username, message",
    [
        ("head", "The username head is taken."),
        ("a b", "The username must have 3 to 64 characters"),
    ],
)
def test_taken_or_malformed_username_is_refused(app, world, db, username, message):
    before = user_count(db)
    result = run(app, ["create-user", username, "--role", "head", "--unit", "TK", "--password-stdin"])
    assert result.exit_code == 1 and message in result.output
    assert user_count(db) == before
