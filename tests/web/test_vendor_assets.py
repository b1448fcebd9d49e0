"""The browser assets come from the npm registry at set-up (scripts/vendor-assets.sh) and are served by
fazhi itself: the static finders must find them, and no page may point at a CDN."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

VENDOR = ["vendor/echarts.min.js", "vendor/htmx.min.js", "vendor/alpine-csp.min.js"]
TEMPLATES = Path(__file__).resolve().parents[2] / "fazhi"


@pytest.mark.parametrize("path", VENDOR)
def test_vendor_asset_is_found(path):
    found = finders.find(path)
    assert found, f"{path} missing: run `make setup` (scripts/vendor-assets.sh)"
    assert Path(found).stat().st_size > 10_000


def test_no_template_loads_a_script_or_style_from_another_host():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r'(?:src|href)="(https?:)?//[^"]+"', text):
            if match.group(0).startswith('href="http') and "<a " in text[max(0, match.start() - 200):match.start()]:
                continue  # a plain link for a person to follow, not an asset
            offenders.append(f"{template.relative_to(TEMPLATES)}: {match.group(0)}")
    assert not [o for o in offenders if "<script" in o or ".js" in o or ".css" in o], offenders


def test_pages_load_htmx_and_alpine_from_static(client, personas):
    client.force_login(personas.district_admin)
    page = client.get("/").content.decode()
    assert "/static/vendor/htmx.min.js" in page
    assert "/static/vendor/alpine-csp.min.js" in page
