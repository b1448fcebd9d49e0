"""OpenAPI links between the API's operations (a drf-spectacular postprocessing hook).

They say where a response's ids and versions go next — the list gives a record's `id`, the record its
`version` for a correction — so a client (and schemathesis's stateful phase) can follow them instead of
guessing ids.
"""

from __future__ import annotations

from typing import Any

# (source operation, link name, target operation, parameters, request body), all on the 200 response.
_RESULT = "$response.body#/results/0"
_LINKS: tuple[tuple[str, str, str, dict[str, str], dict[str, str] | None], ...] = (
    ("definitions_list", "records", "records_list", {"register": "$response.body#/0/code"}, None),
    ("records_list", "record", "records_retrieve", {"id": f"{_RESULT}/id"}, None),
    ("records_list", "indicators", "indicators_list", {"unit": f"{_RESULT}/org_unit"}, None),
    ("records_retrieve", "correct", "records_partial_update", {"id": "$response.body#/id"},
     {"version": "$response.body#/version"}),
    ("records_retrieve", "transition", "records_transition_create", {"id": "$response.body#/id"},
     {"version": "$response.body#/version"}),
    ("records_partial_update", "record", "records_retrieve", {"id": "$response.body#/id"}, None),
    ("records_partial_update", "correct_again", "records_partial_update", {"id": "$response.body#/id"},
     {"version": "$response.body#/version"}),
    ("records_transition_create", "record", "records_retrieve", {"id": "$response.body#/id"}, None),
    ("records_transition_create", "next_step", "records_transition_create", {"id": "$response.body#/id"},
     {"version": "$response.body#/version"}),
    ("report_sections_list", "section", "report_sections_retrieve", {"id": "$response.body#/0/id"}, None),
    ("report_sections_retrieve", "step", "report_sections_create", {"id": "$response.body#/id"},
     {"version": "$response.body#/version"}),
    ("report_sections_create", "section", "report_sections_retrieve", {"id": "$response.body#/id"}, None),
    ("report_sections_create", "next_step", "report_sections_create", {"id": "$response.body#/id"},
     {"version": "$response.body#/version"}),
)


def schema_links_add(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: add `_LINKS` to the responses they start from."""
    operations = {op.get("operationId"): op for path in result.get("paths", {}).values() for op in path.values()
                  if isinstance(op, dict)}
    for source, name, target, parameters, body in _LINKS:
        if source not in operations or target not in operations:
            continue  # an operation not in this schema (e.g. generated for another user)
        response = operations[source].setdefault("responses", {}).get("200")
        if response is None:
            continue
        link: dict[str, Any] = {"operationId": target, "parameters": parameters}
        if body is not None:
            link["requestBody"] = body
        response.setdefault("links", {})[name] = link
    return result
