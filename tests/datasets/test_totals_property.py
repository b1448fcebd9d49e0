"""datavalue_totals agrees with a plain-Python statement of its rules on random entries."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.datasets.cells import disaggregation_key, key_dimensions
from fazhi.datasets.models import DataValue
from fazhi.datasets.selectors import DataValueQuery, datavalue_totals

from .conftest import YEAR

VENUES = ["community", "school", "online"]
AUDIENCES = ["youth", "other"]
KEYS = (
    [""]
    + [f"venue={v}" for v in VENUES]
    + [f"audience={a}" for a in AUDIENCES]
    + [disaggregation_key({"venue": v, "audience": a}) for v in VENUES for a in AUDIENCES]
)
unit_cells = st.dictionaries(st.sampled_from(KEYS), st.integers(0, 50), max_size=6)


def expected_total(cells: dict[str, int]) -> int | None:
    for level in ("", "venue", "audience", "audience;venue"):
        values = [v for k, v in cells.items() if key_dimensions(k) == level]
        if values:
            return sum(values)
    return None


def expected_option(cells: dict[str, int], venue: str) -> int | None:
    key = f"venue={venue}"
    if key in cells:
        return cells[key]
    if any(key_dimensions(k) == "venue" for k in cells):
        return None
    values = [v for k, v in cells.items() if key_dimensions(k) == "audience;venue" and key in k.split(";")]
    return sum(values) if values else None


def combine(values: list[int | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return Decimal(sum(present)) if present else None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(unit_cells, min_size=3, max_size=3))
def test_totals_follow_the_documented_rule(personas, entries):
    p = personas
    DataValue.objects.all().delete()
    units = [p.town, p.street, p.justice_bureau]
    DataValue.objects.bulk_create(
        DataValue(dataset="legal_publicity", definition_version=1, element="events", org_unit=unit,
                  period_type=YEAR.type, period_start=YEAR.start, period_end=YEAR.end, disaggregation=key,
                  dimensions=key_dimensions(key), value=value)
        for unit, cells in zip(units, entries, strict=True) for key, value in cells.items()
    )
    queries = [DataValueQuery("legal_publicity", "events"), DataValueQuery("legal_publicity", "events", {"venue": "school"})]
    roots = [p.district.pk, p.town.pk]
    result = datavalue_totals(queries=queries, roots=roots, start=YEAR.start, end=YEAR.end)
    assert result[(p.district.pk, 0)] == combine([expected_total(c) for c in entries])
    assert result[(p.town.pk, 0)] == combine([expected_total(entries[0])])
    assert result[(p.district.pk, 1)] == combine([expected_option(c, "school") for c in entries])
