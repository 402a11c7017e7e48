"""Fixtures of the administration tests: the province admin and an admin of TK, with English pages."""

import pytest

from app.core.roles import Role
from app.users.operations import create_user
from tests.conftest import CsrfClient
from tests.factories import PASSWORD


@pytest.fixture
def admin(login_en) -> CsrfClient:
    """The province administrator (unit DN: the whole tree)."""
    return login_en("admin")


@pytest.fixture
def tk_admin(world, db, login_en) -> CsrfClient:
    """An administrator of commune TK (its subtree: TK and TKVP)."""
    world.users["tk_admin"] = create_user(
        username="tk_admin",
        full_name="Quản trị xã Tân Khai",
        unit=world.units["TK"],
        roles=[Role.ADMIN],
        password=PASSWORD,
    )
    db.session.commit()
    return login_en("tk_admin")
