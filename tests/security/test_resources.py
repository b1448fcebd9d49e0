"""Bounded resources (issue 12, item 7): request-size cap, zip bombs, control characters."""

from __future__ import annotations

import datetime as dt
import http.client
import io
import struct
import tracemalloc
import urllib.parse
import zipfile

import pytest
from django.conf import settings
from django.urls import reverse

from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.registry import register_definition
from fazhi.reports.errors import ReportErrorCode
from fazhi.reports.services import (
    SectionError,
    report_generate,
    report_open,
    section_assign,
    section_save,
    section_upload,
)
from fazhi.reports.uploads import MAX_UNZIPPED_BYTES, UploadRejected, upload_text
from tests.registers.driving import create_sample

# ------------------------------------------------------------------------------------- request size


def test_a_request_above_the_cap_is_refused_with_413_over_real_http(served):
    parts = urllib.parse.urlsplit(served.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    declared = settings.FAZHI_MAX_REQUEST_BYTES + 1
    connection.putrequest("POST", "/login/")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(declared))
    connection.endheaders()
    connection.send(b"username=x&password=" + b"y" * 1000)  # the rest is never sent, nor waited for
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    assert response.status == 413 and "请求过大" in body and "上限" in body
    connection.close()


def test_the_cap_in_process_and_a_bad_content_length(client):
    big = client.generic("POST", reverse("login"), b"x", CONTENT_LENGTH=str(settings.FAZHI_MAX_REQUEST_BYTES + 1))
    assert big.status_code == 413
    bad = client.generic("POST", reverse("login"), b"x", CONTENT_LENGTH="12abc")
    assert bad.status_code == 400


def test_a_form_body_above_djangos_memory_limit_is_a_400_not_a_500(client, personas):
    body = b"username=town_clerk&password=" + b"a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)
    response = client.generic("POST", reverse("login"), body,
                              content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


# ---------------------------------------------------------------------------------------- zip bombs

_DOCUMENT = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
             b'<w:p><w:r><w:t>x</w:t></w:r></w:p>')


def zip_bomb(real_mb: int, *, claimed: int | None = 1000) -> bytes:
    """A .docx whose word/document.xml inflates to real_mb MB of blanks; with `claimed`, both its size
    headers (local and central directory) are patched to say that many bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", _DOCUMENT + b" " * (real_mb * 1024 * 1024) + b"</w:body></w:document>")
    data = bytearray(buffer.getvalue())
    if claimed is not None:
        name = b"word/document.xml"
        for signature, name_length_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
            pos = data.find(signature)
            while pos != -1:
                length = struct.unpack_from("<H", data, pos + name_length_at)[0]
                if data[pos + name_at:pos + name_at + length] == name:
                    struct.pack_into("<I", data, pos + size_at, claimed)
                pos = data.find(signature, pos + 4)
    return bytes(data)


def _peak_while(function) -> int:
    tracemalloc.start()
    try:
        function()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


@pytest.mark.parametrize("claimed", [1000, MAX_UNZIPPED_BYTES - 10_000])
def test_a_zip_bomb_with_lying_headers_is_refused_cheaply(claimed):
    data = zip_bomb(300, claimed=claimed)
    assert len(data) < 1_000_000  # under a megabyte on the wire, 300 MB inflated

    def read():
        with pytest.raises(UploadRejected, match="bomb.docx"):
            upload_text(name="bomb.docx", data=data)

    peak = _peak_while(read)
    # Before: python-docx read the member whole: ~1.8 GB of RSS for a 0.9 MB bomb. Now: chunks of 64 KB.
    assert peak < 25 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def test_an_honest_zip_bomb_is_refused_by_its_headers():
    data = zip_bomb(40, claimed=None)
    with pytest.raises(UploadRejected, match="解压后超过20MB"):
        upload_text(name="bomb.docx", data=data)


def test_a_real_docx_still_reads():
    from docx import Document as WordDocument

    document = WordDocument()
    document.add_paragraph("哈达镇全年受理调解案件120件。")
    buffer = io.BytesIO()
    document.save(buffer)
    assert upload_text(name="a.docx", data=buffer.getvalue()) == "哈达镇全年受理调解案件120件。"


# ------------------------------------------------------------------------------- control characters

@pytest.fixture
def assignment(personas):
    report = report_open(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    return section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                          org_unit=personas.town)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1f", "\x0b"])
def test_control_characters_in_section_text_are_refused_naming_the_position(personas, assignment, char):
    with pytest.raises(SectionError) as err:
        section_save(acting_user=personas.town_clerk, assignment=assignment, text=f"第一行\n调解{char}案件")
    assert err.value.code == ReportErrorCode.CONTROL_CHARACTER
    assert "第2行第3个字符" in err.value.message and f"U+{ord(char):04X}" in err.value.message
    assignment.refresh_from_db()
    assert assignment.text == ""


def test_tabs_and_line_breaks_are_kept(personas, assignment):
    section_save(acting_user=personas.town_clerk, assignment=assignment, text="甲\t乙\r\n丙")
    assignment.refresh_from_db()
    assert assignment.text == "甲\t乙\n丙"


def test_the_section_page_shows_the_position_and_report_generation_keeps_working(client, personas, assignment,
                                                                                 mediation):
    mediation(personas.town, dt.date(2024, 3, 4), outcome="success")
    client.force_login(personas.town_clerk)
    response = client.post(reverse("web:section_action", args=[assignment.pk, "save"]), {"text": "调解\x01案件"},
                           follow=True)
    assert response.status_code == 200 and "第1行第3个字符" in response.content.decode()
    run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert run.pk
    client.force_login(personas.district_admin)
    download = client.get(reverse("web:report_download", args=["docx"]) + f"?unit={personas.district.pk}&period=2024")
    assert download.status_code == 200


def test_uploaded_text_has_control_characters_stripped(personas, assignment):
    section_upload(acting_user=personas.town_clerk, assignment=assignment, name="a.txt",
                   data="调解\x01案件\x0c共\x00十件".encode())
    assignment.refresh_from_db()
    assert assignment.text == "调解案件共十件"


def test_control_characters_in_a_record_text_field_are_refused(personas):
    definition = register_definition("people_mediation")
    text_field = next(f for f in definition.fields if f.type == "text")
    with pytest.raises(RecordError) as err:
        create_sample(definition, user=personas.mediator, unit=personas.town, opened_on=dt.date(2024, 3, 4),
                      payload={text_field.code: "双方\x00当事人"})
    assert err.value.code == RecordErrorCode.FIELD_INVALID and err.value.field == text_field.code
    assert "第1行第3个字符" in err.value.message
