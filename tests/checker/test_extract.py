import time
import zipfile

import docx
import pytest

from fazhi.checker.extract import InputProblem, ReportInputError, extract_text
from fazhi.checker.service import report_check_file

from .pdfmaker import make_pdf

SAMPLE = "一、主要举措和成效\n全年受理纠纷案件120件，调解成功118件，调解成功率98.3%。"


def refused(path) -> ReportInputError:
    with pytest.raises(ReportInputError) as info:
        extract_text(path)
    return info.value


def test_txt_utf8_and_gb18030(tmp_path):
    (tmp_path / "a.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(SAMPLE.encode("gb18030"))
    assert extract_text(tmp_path / "a.txt") == SAMPLE
    assert extract_text(tmp_path / "b.txt") == SAMPLE


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_txt_saved_as_unicode_by_notepad_or_word(tmp_path, encoding):
    """Notepad's and Word's "Unicode" .txt is UTF-16 with a BOM (its ASCII digits carry NUL bytes): read, not
    refused as binary. `utf-16` and `utf-32` write a BOM; the -le/-be forms are BOM-less UTF-16."""
    text = SAMPLE.replace("\n", "\r\n")
    (tmp_path / "u.txt").write_bytes(text.encode(encoding))
    assert extract_text(tmp_path / "u.txt") == SAMPLE


def test_utf16_with_binary_content_is_still_refused(tmp_path):
    (tmp_path / "bin.txt").write_bytes("\ufeff".encode("utf-16-le") + bytes(range(256)) * 40)
    assert refused(tmp_path / "bin.txt").code in (InputProblem.NOT_TEXT, InputProblem.ENCODING)


def test_docx_paragraphs_and_tables(tmp_path):
    d = docx.Document()
    for line in SAMPLE.split("\n"):
        d.add_paragraph(line)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "数量"
    table.cell(1, 0).text, table.cell(1, 1).text = "法律援助", "353"
    path = tmp_path / "r.docx"
    d.save(path)
    text = extract_text(path)
    assert text.startswith(SAMPLE) and "法律援助\t353" in text
    result = report_check_file(path=path)
    assert [c.text for c in result.claims][:3] == ["120件", "118件", "98.3%"]


def test_pdf_text_layer_with_cjk(tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(make_pdf(SAMPLE.split("\n")))
    assert extract_text(path) == SAMPLE


def test_malformed_pdf_is_refused(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n" + bytes(300))
    err = refused(path)
    assert err.code in (InputProblem.BAD_PDF, InputProblem.NO_TEXT_LAYER)


def test_docx_zip_bomb_is_refused_before_decompressing(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    started = time.monotonic()
    err = refused(path)
    assert err.code is InputProblem.ZIP_BOMB
    assert time.monotonic() - started < 2


def test_broken_docx(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"garbage" * 50)
    assert refused(path).code is InputProblem.BAD_DOCX


def test_ten_megabyte_single_line_is_refused(tmp_path):
    path = tmp_path / "line.txt"
    path.write_text("受理案件12件，" * (10 * 1024 * 1024 // 24), encoding="utf-8")
    started = time.monotonic()
    err = refused(path)
    assert err.code is InputProblem.LONG_LINE
    assert time.monotonic() - started < 5


def test_binary_junk_is_refused(tmp_path):
    import random

    rng = random.Random(1)
    (tmp_path / "junk.txt").write_bytes(bytes(rng.randrange(256) for _ in range(50_000)))
    assert refused(tmp_path / "junk.txt").code in (InputProblem.NOT_TEXT, InputProblem.ENCODING)
    # Decodable but meaningless: private-use and control characters.
    (tmp_path / "pua.txt").write_text("".join(chr(0xE000 + i % 4000) for i in range(20_000)), encoding="utf-8")
    assert refused(tmp_path / "pua.txt").code is InputProblem.NOT_TEXT


def test_oversized_and_missing_and_legacy_doc(tmp_path, monkeypatch):
    from fazhi.checker import extract

    (tmp_path / "big.txt").write_text("甲" * 2000, encoding="utf-8")
    monkeypatch.setattr(extract, "MAX_INPUT_BYTES", 1000)
    assert refused(tmp_path / "big.txt").code is InputProblem.TOO_LARGE
    assert refused(tmp_path / "none.txt").code is InputProblem.NOT_FOUND
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    assert refused(tmp_path / "old.doc").code is InputProblem.UNSUPPORTED


def test_pdf_line_wraps_and_page_numbers_are_undone(tmp_path):
    lines = [
        "一、主要举措和成效",
        "全年各级调解组织共受理各类矛盾纠纷12",
        "95件，调解成功1280件，调解成功率98.8%。",
        "（一）化解矛盾纠纷",
        "— 1 —",
    ]
    path = tmp_path / "wrapped.pdf"
    path.write_bytes(make_pdf(lines))
    text = extract_text(path)
    assert "1295件" in text and "— 1 —" not in text
    assert text.splitlines()[0] == "一、主要举措和成效" and text.splitlines()[-1] == "（一）化解矛盾纠纷"
    result = report_check_file(path=path)
    assert [c.text for c in result.claims] == ["1295件", "1280件", "98.8%"]
