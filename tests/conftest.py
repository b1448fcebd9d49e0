import pytest

from tests.personas import personas_build


@pytest.fixture
def personas(db):
    return personas_build()
