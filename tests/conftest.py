import pytest
from django.conf import settings

from tests.personas import personas_build


def pytest_configure(config):
    # Tests create many users: a slow password hash would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def personas(db):
    return personas_build()
