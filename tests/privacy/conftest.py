import pytest

from tests.privacy.helpers import make_denunciation


@pytest.fixture
def denunciation(world, db):
    return make_denunciation(world)
