"""Hostile uploads: each limit hit is a coded refusal from the child process, never a crash or a hang."""

from __future__ import annotations

import io
import struct
import zipfile

import docx
import pytest

from fazhi.checker.bounded import Limits, check_text_bounded, check_upload_bounded
from fazhi.checker.extract import InputProblem, ReportInputError, read_zip_members
from fazhi.checker.findings import FindingKind

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                 b'2006/content-types"/>')


def _docx(document_xml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def _code(exc: pytest.ExceptionInfo[ReportInputError]) -> InputProblem:
    return InputProblem(exc.value.code)


def test_real_docx_is_checked_in_the_child(seed_2024: str) -> None:
    d = docx.Document()
    for line in seed_2024.split("\n"):
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    result = check_upload_bounded(buf.getvalue(), "报告.docx")
    assert [f for f in result.findings if f.kind is FindingKind.CONTRADICTION]


def test_zip_bomb_docx_is_refused() -> None:
    bomb = _docx(b"<w:document>" + b" " * (50 * 1024 * 1024) + b"</w:document>")
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ReportInputError) as exc:
        check_upload_bounded(bomb, "bomb.docx")
    assert _code(exc) is InputProblem.ZIP_BOMB


def test_lying_size_headers_count_real_bytes() -> None:
    data = bytearray(_docx(b"<w:document>" + b" " * (5 * 1024 * 1024) + b"</w:document>"))
    # the central directory says every member is 10 bytes; the running total counts what comes out
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) >= 0:
        data[pos + 24:pos + 28] = struct.pack("<I", 10)
        pos += 4
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        assert all(i.file_size == 10 for i in zf.infolist())
        with pytest.raises((ReportInputError, zipfile.BadZipFile)):
            read_zip_members(zf, limit=1024 * 1024)
    with pytest.raises(ReportInputError) as exc:
        check_upload_bounded(bytes(data), "lying.docx")
    assert _code(exc) in (InputProblem.ZIP_BOMB, InputProblem.BAD_DOCX)


def test_real_decompressed_total_is_capped() -> None:
    data = _docx(b"<w:document>" + b" " * (3 * 1024 * 1024) + b"</w:document>")
    with zipfile.ZipFile(io.BytesIO(data)) as zf, pytest.raises(ReportInputError) as exc:
        read_zip_members(zf, limit=1024 * 1024)
    assert _code(exc) is InputProblem.ZIP_BOMB


def test_nesting_past_the_limit_but_under_libxml2s_is_refused() -> None:
    nested = b"<document>" + b"<a>" * 150 + b"</a>" * 150 + b"</document>"
    with pytest.raises(ReportInputError) as exc:
        check_upload_bounded(_docx(nested), "nested.docx")
    assert _code(exc) is InputProblem.XML_NESTING


def test_deeply_nested_xml_is_refused() -> None:
    nested = b"<document>" + b"<a>" * 50_000 + b"</a>" * 50_000 + b"</document>"
    with pytest.raises(ReportInputError) as exc:
        check_upload_bounded(_docx(nested), "nested.docx")
    assert _code(exc) is InputProblem.XML_NESTING


def test_broken_docx_is_a_clear_error() -> None:
    with pytest.raises(ReportInputError) as exc:
        check_upload_bounded(b"PK\x03\x04" + b"\x00" * 200, "broken.docx")
    assert _code(exc) is InputProblem.BAD_DOCX
    assert "Word" in exc.value.message


def test_huge_pdf_page_count_is_refused() -> None:
    pdf = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
           b"2 0 obj << /Type /Pages /Count 1000000 /Kids [3 0 R] >> endobj\n"
           b"3 0 obj << /Type /Page /Parent 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    with pytest.raises(ReportInputError) as exc:
        check_upload_bounded(pdf, "pages.pdf")
    assert _code(exc) is InputProblem.TOO_LARGE


def test_pdf_with_too_many_objects_is_refused() -> None:
    body = b"".join(b"%d 0 obj null endobj\n" % i for i in range(4, 250_004))
    pdf = b"%PDF-1.4\n" + body + b"trailer << >>\n%%EOF\n"
    with pytest.raises(ReportInputError) as exc:
        check_upload_bounded(pdf, "objects.pdf")
    assert _code(exc) is InputProblem.PDF_OBJECTS


def test_cpu_limit(seed_2024: str) -> None:
    with pytest.raises(ReportInputError) as exc:
        check_text_bounded(seed_2024 * 200, Limits(cpu_seconds=1, max_text_chars=10**8))
    assert _code(exc) is InputProblem.CPU_LIMIT


def test_memory_limit(seed_2024: str) -> None:
    with pytest.raises(ReportInputError) as exc:
        check_text_bounded(seed_2024 * 600, Limits(memory_bytes=64 * 1024 * 1024, max_text_chars=10**8))
    assert _code(exc) is InputProblem.MEMORY_LIMIT


def test_wall_clock_limit(seed_2024: str) -> None:
    with pytest.raises(ReportInputError) as exc:
        check_text_bounded(seed_2024 * 200, Limits(wall_seconds=0.05, max_text_chars=10**8))
    assert _code(exc) is InputProblem.TIME_LIMIT


def test_text_length_limit() -> None:
    with pytest.raises(ReportInputError) as exc:
        check_text_bounded("一" * 101, Limits(max_text_chars=100))
    assert _code(exc) is InputProblem.TOO_LARGE
