"""The annual report: drafted from snapshot values, sentences without data left out, rendered three ways."""

import io
import re
import shutil
from dataclasses import dataclass
from decimal import Decimal

import pytest

from fazhi.core.periods import period_parse
from fazhi.reports.builder import figure_text, report_build
from fazhi.reports.document import Heading
from fazhi.reports.registry import report_outline
from fazhi.reports.render import render_docx, render_html, render_text


@dataclass
class V:
    value: Decimal | None
    unit: str


VALUES = {
    "mediation_cases": V(Decimal("1295.000000"), "件"), "mediation_success": V(Decimal(1295), "件"),
    "mediation_success_rate": V(Decimal("100.000000"), "%"), "mediation_subsidy": V(Decimal("61910.00"), "元"),
    "legal_aid_cases": V(Decimal(270), "件"), "legal_aid_cases_yoy": V(Decimal(12), "%"),
    "legal_aid_administrative": V(Decimal(0), "件"), "study_second_level_sessions": V(Decimal(500), "次"),
    "study_center_group_sessions": V(Decimal(12), "次"), "study_center_group_seminars": V(Decimal(6), "次"),
    "hotline_conclusion_rate": V(Decimal("99.690000"), "%"), "hotline_cases": V(None, "件"),
}


@pytest.fixture
def doc(personas):
    return report_build(definition=report_outline(), unit=personas.district, period=period_parse("2024"), values=VALUES)


@pytest.mark.parametrize(("value", "unit", "style", "text"), [
    (Decimal("1295.000000"), "件", None, "1295件"),
    (Decimal("99.690000"), "%", None, "99.69%"),
    (Decimal("5275.57"), "万元", None, "5275.57万元"),
    (Decimal("500"), "次", "approx", "500余次"),
    (Decimal("12"), "%", "growth", "增长12%"),
    (Decimal("-3.5"), "%", "growth", "下降3.5%"),
    (Decimal("0.000000"), "%", "growth", "持平"),  # comparisons.yoy_words, as the pages say it
    (Decimal("1.500000"), "个百分点", "growth", "提高1.5个百分点"),
    (Decimal("2.55"), "个", "num", "2.55"),
    (Decimal("1.000000"), "位", "rank", "第1位"),
])
def test_figure_text(value, unit, style, text):
    assert figure_text(value, unit, style) == text


def test_five_mandated_parts_in_order(doc):
    parts = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert parts == ["一、主要举措和成效", "二、存在的不足和原因", "三、党政主要负责人履行推进法治建设第一责任人职责情况",
                     "四、下一年度主要安排", "五、其他需要报告的情况"]
    assert doc.title == "2024年东洲区法治政府建设情况报告"


def test_figures_are_printed_and_missing_ones_leave_their_sentence_out(doc):
    text = render_text(doc)
    assert "受理纠纷案件1295件，调解成功1295件，调解成功率100%" in text
    assert "发放人民调解补贴61910元" in text
    assert "办理法律援助案件270件，同比增长12%" in text
    assert "二级理论学习中心组学习500余次" in text
    assert "行政法律援助案件" not in text  # zero: the sentence is left out
    assert "12345" not in text  # the number of work orders is missing: no sentence with None or 0
    assert "None" not in text and "行政法律援助案件0件" not in text


def test_sections_without_any_figure_are_left_out_and_numbering_closes_up(doc):
    seconds = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 2]
    assert seconds[0].startswith("（一）") and seconds[1].startswith("（二）")
    assert all("执法" not in s for s in seconds)  # no enforcement figures in VALUES


def test_html_links_every_figure_to_its_indicator(doc):
    page = render_html(doc, indicator_url=lambda code: f"/indicators/{code}/")
    assert "<a class='figure' data-indicator='mediation_cases' href='/indicators/mediation_cases/'>1295件</a>" in page
    assert page.count("class='figure'") == len(doc.figures())


def test_docx_is_a4_with_heading_styles_and_page_numbers(doc):
    from docx import Document as Docx
    from docx.shared import Mm

    document = Docx(io.BytesIO(render_docx(doc)))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    styles = [p.style.name for p in document.paragraphs]
    assert styles[0] == "Title" and styles.count("Heading 1") == 5 and "Heading 2" in styles
    assert document.styles["Normal"].font.name == "仿宋_GB2312"
    assert document.styles["Heading 1"].font.name == "黑体"
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "— " in section.footer.paragraphs[0].text
    body = "\n".join(p.text for p in document.paragraphs)
    assert "受理纠纷案件1295件" in body


def test_docx_styles_name_their_fonts_without_theme_fonts_overriding_them(doc):
    """A theme font (the template's Calibri / empty East Asian font) would take precedence over 黑体 or
    楷体 in Word and LibreOffice alike, and the heading would be set in a fallback font."""
    from docx import Document as Docx
    from docx.oxml.ns import qn

    document = Docx(io.BytesIO(render_docx(doc)))
    for name, font in (("Normal", "仿宋_GB2312"), ("Title", "方正小标宋简体"), ("Heading 1", "黑体"),
                       ("Heading 2", "楷体_GB2312")):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia")} == {font}, name
        assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")], (name, fonts.attrib)


def _squeeze(text: str) -> str:
    """Text without whitespace or page footers, to compare a PDF's text layer with the plain text."""
    return re.sub(r"—\d+—", "", re.sub(r"\s+", "", text))


needs_pdf = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("soffice", "pdffonts", "fc-list", "fc-match")),
    reason="LibreOffice, poppler-utils and fontconfig are installed by make setup as root")


@pytest.fixture(scope="module")
def warm_converter():
    """One warm converter (unoserver over LibreOffice) for the module's PDF tests."""
    from fazhi.reports.pdf_converter import pdf_converter_available, pdf_converter_start, pdf_converter_wait

    why = pdf_converter_available()
    if why is not None:
        pytest.skip(f"no warm PDF converter here: {why} (make setup as root installs python3-uno)")
    converter = pdf_converter_start()
    assert converter is not None
    try:
        assert pdf_converter_wait(converter), "the warm converter did not answer"
        yield converter
    finally:
        converter.stop()


@pytest.fixture(params=["cold", "warm"])
def to_pdf(request):
    """A .docx to PDF, by a new LibreOffice (cold) or by the warm converter — the same checks hold for both."""
    from fazhi.reports.pdf import cold_docx_to_pdf
    from fazhi.reports.pdf_converter import warm_docx_to_pdf

    if request.param == "cold":
        return cold_docx_to_pdf
    converter = request.getfixturevalue("warm_converter")

    def warm(docx: bytes) -> bytes:
        pdf = warm_docx_to_pdf(docx, address=converter.address)
        assert pdf is not None, "the warm converter gave no PDF"
        return pdf
    return warm


@needs_pdf
def test_pdf_from_the_docx_has_embedded_fonts_and_the_same_text(doc, to_pdf):
    import subprocess
    import tempfile

    import pdfplumber

    pdf = to_pdf(render_docx(doc))
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        text = "\n".join(page.extract_text() or "" for page in opened.pages)
        assert opened.pages[0].width == pytest.approx(595, abs=2)  # A4 in points
    assert _squeeze(text) == _squeeze(render_text(doc))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        fonts = subprocess.run(["pdffonts", f.name], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts  # every font embedded
    assert any("CJK" in row or "WenQuanYi" in row or "UKai" in row for row in rows), fonts


@needs_pdf
def test_pdf_draws_every_character_in_a_font_the_docx_names(doc, to_pdf):
    """Glyph by glyph: each character is drawn by a face fontconfig (fonts.conf) resolves for one of the
    fonts the .docx names, and that face has the character; no fallback font, no tofu."""
    from fazhi.reports.glyphs import docx_font_names, font_names_unresolved, pdf_glyph_check

    docx = render_docx(doc)
    fonts = docx_font_names(docx)
    assert {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312", "宋体"} <= fonts
    assert font_names_unresolved(fonts) == []  # each is installed or mapped in fonts.conf
    check = pdf_glyph_check(to_pdf(docx), fonts=fonts)
    assert check.chars >= len(_squeeze(render_text(doc))), check.fonts  # the whole text was looked at
    assert [str(p) for p in check.problems] == []


@needs_pdf
def test_glyph_check_finds_missing_and_fallback_glyphs(to_pdf):
    """The check cannot pass vacuously: a Private Use Area character no installed font has is drawn as
    .notdef (tofu); Georgian and a CJK Extension B character are in none of the mapped fonts, so
    LibreOffice borrows them from another installed font (or draws tofu where none has them)."""
    from fazhi.reports.document import Document, Heading, Paragraph
    from fazhi.reports.glyphs import GlyphFault, docx_font_names, pdf_glyph_check

    strangers = ["\U0010fffd", "\u10d0", "\U00020000"]
    doc = Document(title="测试", blocks=[Heading(1, "一、测试"), Paragraph(("正文" + "字".join(strangers) + "。",))])
    docx = render_docx(doc)
    check = pdf_glyph_check(to_pdf(docx), fonts=docx_font_names(docx))
    faults = {p.fault for p in check.problems}
    # Which text LibreOffice gives a .notdef glyph is its own business: one of the strangers.
    assert GlyphFault.MISSING in faults, check.problems
    assert GlyphFault.FALLBACK in faults, check.fonts  # DejaVu Sans (fontconfig depends on it) has Georgian
    assert {p.text for p in check.problems} <= set(strangers), check.problems  # the ordinary text passes
