"""Issue 12, item 5: schemathesis generates requests from the API's own OpenAPI schema (drf-spectacular,
/api/schema/) and sends them, in process over WSGI, as a logged-in persona with a knox token:
no answer may be a server error (status ≥ 500). Bounded (few examples per operation) to stay fast."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from knox.models import AuthToken

from fazhi.reports.services import report_open, section_assign
from fazhi.wsgi import application

FUZZ_SETTINGS = settings(max_examples=15, deadline=None, derandomize=True,
                         suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Django's own test client does this: a request's end would otherwise close the database connection
    that holds the test's transaction (on PostgreSQL: "the connection is closed")."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(personas):
    """A town clerk who writes a section (so the section operations have an object to hit)."""
    report = report_open(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    section_assign(acting_user=personas.district_admin, report=report, section="disputes", org_unit=personas.town)
    return AuthToken.objects.create(user=personas.town_clerk)[1]


def _schema():
    """The schema /api/schema/ serves, generated here: loading it over HTTP needs a logged-in user at import
    time, and schemathesis.pytest.from_fixture does not work with pytest 9 (it sets Function._nodeid)."""
    from drf_spectacular.generators import SchemaGenerator

    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = application  # requests go in process over WSGI, into the test's database
    return loaded


schema = _schema()


@schema.parametrize()
@FUZZ_SETTINGS
def test_no_server_error(case, token):
    response = case.call_and_validate(headers={"Authorization": f"Token {token}"},
                                      checks=[schemathesis.checks.not_a_server_error])
    # The persona is logged in: a 401 would mean the probe never got past authentication.
    assert response.status_code != 401, (case.path, response.text[:200])
