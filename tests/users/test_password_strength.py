"""Password strength: a zxcvbn score with the user's own words as context, runs and spaces, the demo password.

The realistic user here is Lê Thị Hoa (hoa.le), reception officer of "UBND xã Minh Đức" under
"UBND tỉnh Đồng Nai": the passwords an outside test found accepted are refused, each with the reason,
in English and in Vietnamese, on the operations, the administration screens and `flask create-user`.
"""

import html

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.core.errors import TransitionRefused
from app.core.locking import UNCHECKED
from app.core.roles import Role
from app.demo import DEMO_PASSWORD
from app.units.models import UnitKind
from app.units.operations import create_unit
from app.users.models import User
from app.users.operations import create_user, update_user
from tests.conftest import CsrfClient, login
from tests.factories import PASSWORD

REPEAT = ("repeated characters", "ký tự lặp lại")
SEQUENCE = ("consecutive letters or digits", "chữ cái hoặc chữ số liên tiếp")
SPACES = ("spaces only", "chỉ gồm toàn dấu cách")
COMMON = ("common password, word or name", "mật khẩu, một từ hoặc một tên thông dụng")
DEMO = ("demo password published with TiepDan", "mật khẩu dùng thử đã công bố cùng TiepDan")
CONTEXT = ("the name of their unit or province, or the name TiepDan", "tên đơn vị, tên tỉnh hoặc tên TiepDan")

#: The passwords the outside test found accepted, and why each is refused (English, Vietnamese).
WEAK = [
    ("aaaaaaaaaa", REPEAT),
    ("0000000000", REPEAT),
    ("abcdefghij", SEQUENCE),
    (" " * 10, SPACES),
    ("Password1!", COMMON),
    (DEMO_PASSWORD, DEMO),
    ("dongnai2026", CONTEXT),
    ("MinhDuc@2026", CONTEXT),
    ("Tiepdan2026!", CONTEXT),
]


@pytest.fixture
def minh_duc(world, db):
    """Commune Minh Đức under the province (UBND tỉnh Đồng Nai) of the test world."""
    unit = create_unit(
        code="MD",
        name="UBND xã Minh Đức",
        kind=UnitKind.COMMUNE,
        parent=world.units["DN"],
        is_remote=True,
        province_code=75,
        ward_code=25349,
    )
    db.session.commit()
    world.units["MD"] = unit
    return unit


@pytest.fixture
def production(app, monkeypatch):
    """The app as deployed: DEPLOYMENT=production (the test suite runs as development)."""
    monkeypatch.setitem(app.config, "DEPLOYMENT", "production")


def _hoa(unit, password, username="hoa.le"):
    return create_user(username=username, full_name="Lê Thị Hoa", unit=unit, roles=[Role.RECEPTION], password=password)


def _refusal(fn, *args, **kwargs) -> tuple[str, str]:
    """The message of the TransitionRefused that ``fn`` raises, in English and in Vietnamese."""
    with pytest.raises(TransitionRefused) as err:
        fn(*args, **kwargs)
    with force_locale("en"):
        en = str(err.value.message)
    with force_locale("vi"):
        vi = str(err.value.message)
    return en, vi


def _saved(db, username="hoa.le") -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(User.id)).where(User.username == username))


@pytest.mark.parametrize("password, why", WEAK, ids=[repr(p) for p, _ in WEAK])
def test_the_weak_passwords_found_are_refused_with_the_reason(minh_duc, db, production, password, why):
    en, vi = _refusal(_hoa, minh_duc, password)
    assert why[0] in en, en
    assert why[1] in vi, vi  # translated, with its diacritics
    assert _saved(db) == 0


@pytest.mark.parametrize("password, why", WEAK, ids=[repr(p) for p, _ in WEAK])
def test_a_password_reset_to_a_weak_password_is_refused_and_changes_nothing(
    world, minh_duc, db, production, password, why
):
    user = _hoa(minh_duc, PASSWORD)
    db.session.commit()
    old_hash = user.password_hash
    en, _vi = _refusal(
        update_user,
        user,
        full_name=user.full_name,
        unit=user.unit,
        roles=user.roles,
        is_active=True,
        password=password,
        actor=world.users["admin"],
        expected_version=UNCHECKED,
    )
    assert why[0] in en, en
    db.session.rollback()
    assert user.password_hash == old_hash and user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,  # the test fixtures' password
        "Xq7#kd9@zwLp",  # random characters
        "sông nước mây trời 1987 xa",  # a phrase of common words, with the diacritics
        "tre-xanh-gốm-đỏ-cầu-tre",
        "a passphrase of " + "eight unrelated words, long beyond the limit " * 2,  # > 72 characters
    ],
)
def test_strong_passwords_are_accepted(minh_duc, db, production, password):
    from app.users.passwords import MIN_SCORE, password_score

    assert MIN_SCORE == 3
    assert password_score(password, context=["hoa.le", "Lê Thị Hoa", "UBND xã Minh Đức"]) >= MIN_SCORE
    user = _hoa(minh_duc, password)
    db.session.commit()
    assert _saved(db) == 1 and user.check_password(password)


def test_the_demo_password_is_refused_in_production_and_accepted_in_development(app, minh_duc, db, monkeypatch):
    monkeypatch.setitem(app.config, "DEPLOYMENT", "production")
    for password in (DEMO_PASSWORD, DEMO_PASSWORD.upper(), f"xyz {DEMO_PASSWORD}!", "Tiepdan Demo 2026"):
        en, vi = _refusal(_hoa, minh_duc, password)
        assert DEMO[0] in en and DEMO[1] in vi, (password, en)
    assert _saved(db) == 0
    monkeypatch.setitem(app.config, "DEPLOYMENT", "development")  # the demo (make run, flask seed-demo)
    user = _hoa(minh_duc, DEMO_PASSWORD)
    db.session.commit()
    assert user.check_password(DEMO_PASSWORD)


@pytest.mark.parametrize(
    "password", ["Minh-Duc-2026!", "Đồng Nai 2026", "dong.nai.2026", "MINH duc 1990", "LeThiHoa@2026", "tiep-dan-2026"]
)
def test_the_users_own_words_are_refused_with_diacritics_capitals_and_separators(
    world, minh_duc, db, production, password
):
    en, vi = _refusal(_hoa, minh_duc, password)
    assert CONTEXT[0] in en and CONTEXT[1] in vi, en


def test_the_context_is_the_users_own(world, minh_duc, db, production):
    """A commune's name is refused in that commune's passwords, not in another commune's."""
    _refusal(_hoa, minh_duc, "Minh-Duc-2026!")
    user = _hoa(world.units["TK"], "Minh-Duc-2026!", username="hoa.tk")
    assert user.check_password("Minh-Duc-2026!")


def test_a_very_long_run_is_refused(minh_duc, db, production):
    en, _vi = _refusal(_hoa, minh_duc, "a" * 150)
    assert REPEAT[0] in en
    en, _vi = _refusal(_hoa, minh_duc, "0123456789" * 3)
    assert SEQUENCE[0] in en or REPEAT[0] in en


# ---- through the real screens and command -------------------------------------------------------------


def _new_user_form(world, password):
    return {
        "username": "hoa.le",
        "full_name": "Lê Thị Hoa",
        "roles": ["reception"],
        "unit_id": world.units["MD"].id,
        "password": password,
        "confirm": password,
    }


def test_the_admin_screen_shows_the_reason_in_vietnamese_and_creates_nobody(app, world, minh_duc, db):
    admin = login(app.test_client(), "admin")  # the interface in Vietnamese (the default)
    for password, why in (("MinhDuc@2026", CONTEXT), ("abcdefghij", SEQUENCE), (" " * 10, SPACES)):
        resp = admin.post("/admin/users/new", _new_user_form(world, password))
        assert resp.status_code == 200
        page = html.unescape(resp.get_data(as_text=True))
        assert why[1] in page, password
        assert _saved(db) == 0


def test_the_admin_screen_refuses_the_demo_password_in_production(app, world, minh_duc, db, login_en, monkeypatch):
    admin = login_en("admin")
    monkeypatch.setitem(app.config, "DEPLOYMENT", "production")
    resp = admin.post("/admin/users/new", _new_user_form(world, DEMO_PASSWORD))
    assert resp.status_code == 200
    assert DEMO[0] in html.unescape(resp.get_data(as_text=True))
    assert _saved(db) == 0


def test_the_admin_password_reset_refuses_a_weak_password_and_keeps_the_old_one(app, world, db, login_en):
    admin = login_en("admin")
    head = world.users["head"]  # Phạm Văn Trưởng, UBND xã Tân Khai
    data = {
        "full_name": head.full_name,
        "unit_id": head.unit_id,
        "roles": ["head"],
        "is_active": "y",
        "password": "TanKhai@2026",
        "confirm": "TanKhai@2026",
        "version": head.version,
    }
    resp = admin.post(f"/admin/users/{head.id}/edit", data)
    assert resp.status_code == 200
    assert CONTEXT[0] in html.unescape(resp.get_data(as_text=True))
    client = CsrfClient(app.test_client())
    assert client.post("/login", {"username": "head", "password": PASSWORD}).status_code == 302
    assert (
        CsrfClient(app.test_client()).post("/login", {"username": "head", "password": "TanKhai@2026"}).status_code
        != 302
    )


def _create_user_cli(app, password, *extra):
    with force_locale("en"):
        return app.test_cli_runner().invoke(
            args=[
                "create-user",
                "hoa.le",
                "--role",
                "reception",
                "--unit",
                "MD",
                "--full-name",
                "Lê Thị Hoa",
                "--password-stdin",
                *extra,
            ],
            input=password + "\n",
        )


@pytest.mark.parametrize("password, why", [("dongnai2026", CONTEXT), ("0000000000", REPEAT), ("Password1!", COMMON)])
def test_flask_create_user_refuses_a_weak_password_and_creates_nobody(app, world, minh_duc, db, password, why):
    result = _create_user_cli(app, password)
    assert result.exit_code == 1, result.output
    assert why[0] in result.output
    assert _saved(db) == 0


def test_flask_create_user_refuses_the_demo_password_in_production(app, world, minh_duc, db, monkeypatch):
    monkeypatch.setitem(app.config, "DEPLOYMENT", "production")
    result = _create_user_cli(app, DEMO_PASSWORD)
    assert result.exit_code == 1 and DEMO[0] in result.output, result.output
    assert _saved(db) == 0
    monkeypatch.setitem(app.config, "DEPLOYMENT", "development")
    result = _create_user_cli(app, DEMO_PASSWORD)
    assert result.exit_code == 0, result.output
    assert _saved(db) == 1


# ---- the demo commands --------------------------------------------------------------------------------


def test_flask_seed_demo_refuses_in_production_with_the_reason_and_adds_nothing(app, db, monkeypatch):
    monkeypatch.setitem(app.config, "DEPLOYMENT", "production")
    with force_locale("en"):
        result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1 and DEMO[0] in result.output, (result.output, result.exception)
    db.session.rollback()
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_flask_seed_bulk_gives_no_new_user_the_demo_password_in_production(app, db, monkeypatch):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0  # development: the demo
    db.session.rollback()
    users = db.session.scalar(select(func.count(User.id)))
    monkeypatch.setitem(app.config, "DEPLOYMENT", "production")
    with force_locale("en"):
        result = app.test_cli_runner().invoke(args=["seed-bulk", "--cases", "1"])
    assert result.exit_code == 1 and DEMO[0] in result.output, (result.output, result.exception)
    db.session.rollback()
    assert db.session.scalar(select(func.count(User.id))) == users
