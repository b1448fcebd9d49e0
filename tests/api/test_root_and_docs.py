"""/api/ lists the endpoints, /api/docs/ is Swagger UI served by fazhi under the CSP, and the API answers JSON
only (no English browsable pages)."""

import re

from django.urls import reverse


def test_the_root_lists_every_endpoint_for_a_user_with_a_login(client, personas):
    assert client.get("/api/").status_code in (401, 403)
    client.force_login(personas.town_clerk)
    rows = client.get("/api/").json()
    names = {r["name"] for r in rows}
    assert {"docs", "schema", "definitions", "records", "indicators", "sections"} <= names
    for row in rows:
        assert row["url"].startswith("http://testserver/api/") and row["description"]


def test_docs_page_loads_only_local_files_and_no_inline_script_or_style(client, personas):
    client.force_login(personas.leader)
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources  # nothing from another origin
    assert any("swagger-ui-bundle.js" in s and s.startswith("/static/") for s in sources)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # every script is a file
    assert "<style" not in page and "style=" not in page
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    # The start-up script is its own response, pointing at the schema.
    script_url = next(s for s in sources if "script=" in s)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_docs_need_a_login(client, personas):
    assert client.get(reverse("api:docs")).status_code in (302, 401, 403)


def test_api_answers_json_even_to_a_browser(client, personas):
    client.force_login(personas.town_clerk)
    response = client.get(reverse("api:records"), HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    forced = client.get(reverse("api:records"), {"format": "api"})
    assert forced.status_code == 404 or forced["Content-Type"] == "application/json"
