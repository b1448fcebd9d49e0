"""Issue 12, item 5: schemathesis generates requests from the API's own OpenAPI schema (drf-spectacular,
/api/schema/) and sends them, in process over WSGI, as a logged-in persona with a knox token:
no answer may be a server error (status ≥ 500). Bounded (few examples per operation) to stay fast.

Two phases: each operation alone, and the stateful phase, which follows the schema's links
(fazhi.api.schema_links: list → record → correction with its version → transition …) so requests reach
real objects instead of 404s."""

import datetime as dt

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from knox.models import AuthToken

from fazhi.core.models import Role
from fazhi.core.services import membership_grant
from fazhi.registers.registry import register_definition
from fazhi.reports.services import report_open, section_assign
from fazhi.wsgi import application
from tests.registers.driving import create_sample

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
    """A mediator whose town writes a section and holds records (so the section and record operations have
    objects to hit, and the mediator may correct and move the records)."""
    report = report_open(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    section_assign(acting_user=personas.district_admin, report=report, section="disputes", org_unit=personas.town)
    for day in (2, 3):
        create_sample(register_definition("people_mediation"), user=personas.mediator, unit=personas.town,
                      opened_on=dt.date(2025, 6, day))
    # The mediator also writes the town's section (the clerk's role), so one token reaches every operation.
    membership_grant(acting_user=None, user=personas.mediator, role=Role.objects.get(code="clerk"),
                     org_unit=personas.town)
    return AuthToken.objects.create(user=personas.mediator)[1]


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


STATEFUL_SETTINGS = settings(max_examples=20, stateful_step_count=8, deadline=None, derandomize=True,
                             suppress_health_check=list(HealthCheck))


def test_the_schema_links_operations_for_the_stateful_phase():
    links = schema.raw_schema["paths"]["/api/records/{id}/"]["get"]["responses"]["200"]["links"]
    assert links["correct"] == {"operationId": "records_partial_update", "parameters": {"id": "$response.body#/id"},
                                "requestBody": {"version": "$response.body#/version"}}


def test_no_server_error_in_sequences_of_calls(token):
    """The stateful phase: chains of calls along the links, each answer checked for a server error."""
    statuses: list[int] = []

    class Machine(schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Token {token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            statuses.append(response.status_code)
            assert response.status_code != 401, (case.path, response.text[:200])
            case.validate_response(response, checks=[schemathesis.checks.not_a_server_error],
                                   transport_kwargs=kwargs or None)

    Machine.run(settings=STATEFUL_SETTINGS)
    # The links led somewhere: some calls in the sequences found their object and succeeded.
    assert any(200 <= s < 300 for s in statuses) and statuses
