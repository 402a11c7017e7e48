"""Fixtures: clients that read the interface in English, so messages can be matched by their msgid."""
import pytest

from tests.petitions.helpers import english


@pytest.fixture
def login_en(login_as):
    """login_as(username), with the interface switched to English."""

    def _login(username: str):
        client = login_as(username)
        english(client)
        return client

    return _login
