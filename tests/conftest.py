import datetime as dt
import textwrap
from itertools import count

import pytest
from django.conf import settings

from fazhi.indicators.registry import indicators_load
from fazhi.registers.registry import register_definition
from fazhi.registers.services import record_create, record_transition
from tests.personas import personas_build
from tests.registers.driving import sample_value

_serial = count(1)


def pytest_configure(config):
    # Tests create many users: a slow password hash would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Transactional tests end with a flush, which history tables refuse unless this is set.
    settings.FAZHI_HISTORY_FLUSH_ALLOWED = True
    # Outside debug fazhi has no built-in key (production must bring its own): the tests bring theirs.
    if not settings._wrapped.SECRET_KEY:  # reading settings.SECRET_KEY itself raises when it is empty
        settings.SECRET_KEY = "fazhi-tests-only-" + "k" * 40


@pytest.fixture
def personas(db):
    return personas_build()


@pytest.fixture
def extra_indicators(tmp_path, settings):
    """Load an extra indicators file (written by the test) next to the shipped ones."""

    def load(text: str):
        folder = tmp_path / "extra"
        folder.mkdir(exist_ok=True)
        path = folder / "indicators.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        settings.FAZHI_DEFINITION_DIRS = [str(tmp_path)]
        return path, indicators_load()

    yield load
    indicators_load([])  # drop the extras before the settings are restored …
    del settings.FAZHI_DEFINITION_DIRS
    indicators_load()  # … then reload the shipped definitions


@pytest.fixture
def mediation():
    """Create a 人民调解 record through the services; optionally conclude it."""

    def make(unit, opened: dt.date, *, outcome=None, closed: dt.date | None = None, category="village", **payload):
        definition = register_definition("people_mediation")
        data = {f.code: sample_value(f, unit=unit, on_date=opened) for f in definition.fields if f.required}
        data.update(organization_type=category, **payload)
        record = record_create(acting_user=None, register="people_mediation", org_unit=unit,
                               external_id=f"IND-{next(_serial)}", payload=data, opened_on=opened)
        if outcome:
            record = record_transition(acting_user=None, record=record, transition="conclude",
                                       on_date=closed or opened, outcome=outcome,
                                       fields={"mediator_name": payload.get("mediator_name", "甲")})
        return record

    return make
