"""Password rules: hashed with scrypt, at least 10 characters, not common, not containing the username."""

import html

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.config import DefaultConfig
from app.core.errors import TransitionRefused
from app.core.locking import UNCHECKED
from app.core.roles import Role
from app.users.models import User
from app.users.operations import MIN_PASSWORD_LENGTH, create_user, update_user
from app.users.passwords import common_passwords, is_common_password
from tests.factories import PASSWORD


def refusal(fn, *args, **kwargs) -> str:
    """The (English) message of the TransitionRefused that ``fn`` raises."""
    with pytest.raises(TransitionRefused) as err:
        fn(*args, **kwargs)
    with force_locale("en"):
        return str(err.value.message)


def _new(world, password, username="lan.tran"):
    return create_user(
        username=username, full_name="Trần Thị Lan", unit=world.units["TK"], roles=[Role.RECEPTION], password=password
    )


def test_production_hashes_with_scrypt(app, world):
    assert DefaultConfig.PASSWORD_HASH_METHOD == "scrypt"
    user = world.users["head"]
    saved, app.config["PASSWORD_HASH_METHOD"] = app.config["PASSWORD_HASH_METHOD"], "scrypt"
    try:
        user.set_password("a-long-unusual-phrase")
    finally:
        app.config["PASSWORD_HASH_METHOD"] = saved
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("a-long-unusual-phrase") and not user.check_password("a-long-unusual-phrasE")


def test_minimum_length_is_ten(world, db):
    assert MIN_PASSWORD_LENGTH == 10
    assert "at least 10 characters" in refusal(_new, world, "Xq7#kd9@z")  # 9 characters
    user = _new(world, "Xq7#kd9@zw")  # 10
    assert user.check_password("Xq7#kd9@zw")


@pytest.mark.parametrize(
    "password",
    [
        "password123",
        "PASSWORD123",
        "Password123",  # zxcvbn's password list, any case
        "qwertyuiop",
        "1234567890",
        "international",  # zxcvbn's lists (passwords, English words)
        "matkhau123",
        "MatKhau123",
        "anhyeuem123",
        "tiepcongdan",
        "iloveyou123",
        "123456789a",  # Vietnamese list
    ],
)
def test_common_passwords_are_refused(world, db, password):
    assert "most common passwords" in refusal(_new, world, password)
    assert db.session.scalar(select(func.count(User.id)).where(User.username == "lan.tran")) == 0


def test_the_lists_are_loaded():
    words = common_passwords()
    assert len(words) > 50_000
    assert "matkhau" in words and "password" in words and "anhyeuem" in words
    assert not is_common_password(PASSWORD)


@pytest.mark.parametrize("password", ["lan.tran-2026!", "XX-LAN.TRAN-xx", "my lan.tran pass"])
def test_password_containing_the_username_is_refused(world, password):
    assert "must not contain the username" in refusal(_new, world, password)


def test_a_reset_follows_the_same_rules_and_changes_nothing_when_refused(world, db):
    user = world.users["handler"]
    old_hash = user.password_hash
    for bad in ("short", "matkhau12345", "handler-2026-x"):
        with pytest.raises(TransitionRefused):
            update_user(
                user,
                full_name="Đổi tên",
                unit=user.unit,
                roles=user.roles,
                is_active=True,
                password=bad,
                actor=world.users["admin"],
                expected_version=UNCHECKED,
            )
        assert user.password_hash == old_hash and user.full_name != "Đổi tên"
    update_user(
        user,
        full_name=user.full_name,
        unit=user.unit,
        roles=user.roles,
        is_active=True,
        password="a-long-unusual-phrase",
        actor=world.users["admin"],
        expected_version=UNCHECKED,
    )
    assert user.check_password("a-long-unusual-phrase")


def test_admin_screen_shows_the_common_password_message_and_creates_nobody(login_en, world, db):
    admin = login_en("admin")
    resp = admin.post(
        "/admin/users/new",
        {
            "username": "lan.tran",
            "full_name": "Trần Thị Lan",
            "roles": ["reception"],
            "unit_id": world.units["TK"].id,
            "password": "iloveyou123",
            "confirm": "iloveyou123",
        },
    )
    assert resp.status_code == 200
    assert "This password is among the most common passwords" in html.unescape(resp.get_data(as_text=True))
    db.session.rollback()
    assert db.session.scalar(select(func.count(User.id)).where(User.username == "lan.tran")) == 0
    resp = admin.post(
        "/admin/users/new",
        {
            "username": "lan.tran",
            "full_name": "Trần Thị Lan",
            "roles": ["reception"],
            "unit_id": world.units["TK"].id,
            "password": "short-pw",
            "confirm": "short-pw",
        },
    )
    assert "at least 10 characters" in resp.get_data(as_text=True)
