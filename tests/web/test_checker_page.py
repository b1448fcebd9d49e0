"""The checker page: who may use it, a real seed report's known faults, a broken file, the .xlsx."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.checker.finding_rows import XLSX_HEADERS
from fazhi.core.periods import period_parse
from fazhi.indicators.services import snapshot_freeze
from tests.checker.conftest import SEED_2024

URL = "/checker/"


@pytest.fixture
def seed_docx() -> bytes:
    if not SEED_2024.is_file():
        pytest.skip("seed reports not available (../shared/seeds)")
    d = docx.Document()
    for line in SEED_2024.read_text(encoding="utf-8").split("\n"):
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_url_is_checker() -> None:
    assert reverse("web:checker") == URL


@pytest.mark.parametrize("name", ["district_admin", "town_clerk", "outsider"])  # outsider: another district's admin
def test_allowed_personas_see_the_page_and_the_link(client, personas, name) -> None:
    client.force_login(getattr(personas, name))
    response = client.get(URL)
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()
    home = client.get(reverse("web:home")).content.decode()
    assert f'href="{URL}"' in home


@pytest.mark.parametrize("name", ["leader", "mediator", "review_officer"])
def test_other_personas_are_refused_and_see_no_link(client, personas, name) -> None:
    client.force_login(getattr(personas, name))
    assert client.get(URL).status_code in (403, 404)
    assert client.post(URL, {"text": "全年受理案件10件。"}).status_code in (403, 404)
    home = client.get(reverse("web:home"))
    assert f'href="{URL}"' not in home.content.decode()


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_seed_report_upload_finds_its_known_faults_and_downloads_them(client, personas, seed_docx) -> None:
    client.force_login(personas.town_clerk)
    response = client.post(URL, {"file": SimpleUploadedFile("2024年东洲区报告.docx", seed_docx)})
    assert response.status_code == 200
    rows = response.context["rows"]
    contradictions = [r for r in rows if r.kind == "contradiction"]
    assert contradictions and contradictions[0].kind_label == "前后矛盾"
    assert "全覆盖" in contradictions[0].sentence or "全覆盖" in contradictions[0].message
    assert all(r.line >= 1 and r.column >= 1 for r in rows)
    page = response.content.decode()
    assert "前后矛盾" in page and "第 " in page
    xlsx = client.get(reverse("web:checker_xlsx"))
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == XLSX_HEADERS
    assert len(values) == len(rows) + 1
    assert "前后矛盾" in [v[1] for v in values[1:]]


def test_pasted_text_with_a_sum_fault(client, personas) -> None:
    client.force_login(personas.district_admin)
    text = "全年受理案件100件，其中民事案件60件，刑事案件30件，行政案件20件。"
    response = client.post(URL, {"text": text})
    assert response.status_code == 200
    assert [r for r in response.context["rows"] if r.kind == "sum_mismatch"]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_uploaded_txt_with_a_wrong_sum_is_checked(client, personas, encoding) -> None:
    """A .txt whose total is not the sum of its parts, in the encodings Windows saves: findings, not a 400."""
    client.force_login(personas.town_clerk)
    text = "2025年工作总结\r\n全年共受理纠纷100件，其中调解成功60件、调解不成功30件。\r\n"
    response = client.post(URL, {"file": SimpleUploadedFile("工作总结.txt", text.encode(encoding))})
    assert response.status_code == 200, response.context.get("error_code")
    sums = [r for r in response.context["rows"] if r.kind == "sum_mismatch"]
    assert sums and "100" in sums[0].message and sums[0].line == 2


def test_broken_docx_gives_a_clear_coded_error(client, personas) -> None:
    client.force_login(personas.town_clerk)
    response = client.post(URL, {"file": SimpleUploadedFile("坏文件.docx", b"PK\x03\x04" + b"\x00" * 100)})
    assert response.status_code == 400
    assert response.context["error_code"] == "bad_docx"
    assert "Word" in response.context["error"]


def test_nothing_given_and_a_wrong_type_are_coded(client, personas) -> None:
    client.force_login(personas.town_clerk)
    assert client.post(URL, {"text": "  "}).context["error_code"] == "empty"
    response = client.post(URL, {"file": SimpleUploadedFile("a.exe", b"MZ")})
    assert response.status_code == 400 and response.context["error_code"] == "unsupported"


def test_xlsx_without_a_check_goes_back_to_the_page(client, personas) -> None:
    client.force_login(personas.town_clerk)
    assert client.get(reverse("web:checker_xlsx")).status_code == 302


def test_the_page_has_no_inline_style(client, personas) -> None:
    client.force_login(personas.town_clerk)
    page = client.get(URL).content.decode()
    assert "style=" not in page and "<style" not in page


def test_the_text_is_shown_annotated_and_escaped_with_each_findings_quotes_linked(client, personas) -> None:
    client.force_login(personas.town_clerk)
    text = "<b>总结</b><script>alert(1)</script>\n全年共受理纠纷100件，其中调解成功60件、调解不成功30件。"
    response = client.post(URL, {"text": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page and "<b>总结" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    body = page[page.index('class="card checker-text"'):]
    assert re.search(r'<span class="claim related-fails flagged"[^>]*data-findings="f0">100件</span>', body)
    # the findings table quotes each place the finding names, linked to the place in the text
    row = page[page.index('id="f0"'):]
    row = row[:row.index("</tr>")]
    for anchor, quote in (("f0-0", "100件"), ("f0-1", "60件"), ("f0-2", "30件")):
        assert f'<a href="#{anchor}">“{quote}”</a>' in row
        assert f'<a class="anchor" id="{anchor}"></a>' in body


@pytest.fixture
def snapshots(personas, mediation):
    """东洲区 2024 frozen with 12 mediation cases; 西市区 2024 frozen too (another jurisdiction)."""
    for _ in range(12):
        mediation(personas.town, dt.date(2024, 4, 1))
    own = snapshot_freeze(acting_user=None, org_unit=personas.district, period=period_parse("2024"))
    other = snapshot_freeze(acting_user=None, org_unit=personas.other_district, period=period_parse("2024"))
    return own, other


REPORT_2024 = "2024年东洲区法治政府建设情况报告\n全年共受理纠纷案件15件。\n"


def test_compared_with_the_units_snapshot_a_figure_that_differs_is_a_finding(client, personas, snapshots) -> None:
    own, other = snapshots
    client.force_login(personas.district_admin)
    offered = client.get(URL).context["snapshots"]
    assert [s.pk for s in offered] == [own.pk]  # not 西市区's
    plain = client.post(URL, {"text": REPORT_2024})
    assert [r for r in plain.context["rows"] if r.kind == "data_mismatch"] == []
    compared = client.post(URL, {"text": REPORT_2024, "snapshot": str(own.pk)})
    assert compared.status_code == 200
    mismatches = [r for r in compared.context["rows"] if r.kind == "data_mismatch"]
    assert mismatches and mismatches[0].kind_label == "与平台数据不符"
    assert "12" in mismatches[0].message and "15" in mismatches[0].message
    page = compared.content.decode()
    assert "已与东洲区2024年指标快照" in page and f'<option value="{own.pk}" selected>' in page


def test_another_jurisdictions_snapshot_is_refused_like_a_missing_one(client, personas, snapshots) -> None:
    own, other = snapshots
    client.force_login(personas.district_admin)
    assert client.post(URL, {"text": REPORT_2024, "snapshot": str(other.pk)}).status_code == 404
    assert client.post(URL, {"text": REPORT_2024, "snapshot": "999999"}).status_code == 404
    assert client.post(URL, {"text": REPORT_2024, "snapshot": "x"}).status_code == 400
    client.force_login(personas.outsider)  # 西市区's own office may compare with it
    assert [s.pk for s in client.get(URL).context["snapshots"]] == [other.pk]


def test_a_town_clerk_is_offered_no_district_snapshot(client, personas, snapshots) -> None:
    """The clerk checks reports over the town only: the district's snapshot is not the clerk's to compare."""
    client.force_login(personas.town_clerk)
    assert client.get(URL).context["snapshots"] == []
    own, _ = snapshots
    assert client.post(URL, {"text": REPORT_2024, "snapshot": str(own.pk)}).status_code == 404
