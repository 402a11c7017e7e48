"""Fixtures of the security tests: the scene (one object of every kind in TK) and logged-in clients."""

import pytest

from tests.conftest import login


@pytest.fixture
def scene(app, world, monkeypatch, tmp_path):
    from tests.security.scene import build_scene

    if not app.config.get("ATTACHMENTS_DIR"):
        monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    return build_scene(world)


@pytest.fixture
def client_of(app, scene):
    """client_of("tl_head") -> a CsrfClient logged in as that user (one login per user and test)."""
    clients = {}

    def _client(username: str):
        if username not in clients:
            clients[username] = login(app.test_client(), username)
        return clients[username]

    return _client
