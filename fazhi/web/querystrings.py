"""The links of a list page: its own query string with some parameters changed (a sort, a page, a filter)."""

from __future__ import annotations


def query_changed(request, **changes: str) -> str:
    """The request's query string with `changes` (an empty value drops the parameter)."""
    query = request.GET.copy()
    for name, value in changes.items():
        query.pop(name, None)
        if value:
            query[name] = value
    return query.urlencode()
