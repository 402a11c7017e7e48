"""Fixtures of the administration tests: English pages, the province admin, an admin of TK."""
import pytest

from app.core.roles import Role
from app.users.operations import create_user
from tests.conftest import CsrfClient, login
from tests.factories import PASSWORD


def in_english(client: CsrfClient) -> CsrfClient:
    """Switch the session to English, so the tests read the msgids whatever the translations say."""
    resp = client.post("/language/en", {"next": "/"}, token_from="/admin/units")
    assert resp.status_code == 302
    return client


@pytest.fixture
def login_en(app, world):
    """login_en("admin") -> a CsrfClient logged in as that user, with English pages."""

    def _login(username: str, password: str = PASSWORD) -> CsrfClient:
        return in_english(login(app.test_client(), username, password))

    return _login


@pytest.fixture
def admin(login_en) -> CsrfClient:
    """The province administrator (unit DN: the whole tree)."""
    return login_en("admin")


@pytest.fixture
def tk_admin(world, db, login_en) -> CsrfClient:
    """An administrator of commune TK (its subtree: TK and TKVP)."""
    world.users["tk_admin"] = create_user(username="tk_admin", full_name="Quản trị xã Tân Khai",
                                          unit=world.units["TK"], roles=[Role.ADMIN], password=PASSWORD)
    db.session.commit()
    return login_en("tk_admin")
