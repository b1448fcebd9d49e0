"""Renderers of the document model: plain text, HTML (figures link to their indicator) and .docx in
党政机关公文格式 (GB/T 9704-2012: A4, 仿宋_GB2312 三号 body, 小标宋 二号 title, 黑体/楷体 headings,
page numbers "— 1 —")."""

from __future__ import annotations

import html
from io import BytesIO

from fazhi.core.textinput import control_characters_strip

from .document import Document, Figure, Heading, Paragraph


def render_text(doc: Document) -> str:
    lines = [doc.title, ""]
    for block in doc.blocks:
        lines.append(block.text if isinstance(block, Heading) else "\u3000\u3000" + block.text)
    return "\n".join(lines) + "\n"


def text_figures(doc: Document) -> list[tuple[int, int, Figure]]:
    """Where each bound figure stands in `render_text(doc)`: (start, end, figure), character offsets."""
    out = []
    position = len(doc.title) + 2  # the title line and the empty line after it
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            position += 2  # the two-character indent
            for run in block.runs:
                if isinstance(run, Figure):
                    out.append((position, position + len(run.text), run))
                    position += len(run.text)
                else:
                    position += len(run)
        else:
            position += len(block.text)
        position += 1  # the newline
    return out


def render_html(doc: Document, *, indicator_url=None) -> str:
    parts = [f"<article class='report'><h1>{html.escape(doc.title)}</h1>"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level + 1}>{html.escape(block.text)}</h{block.level + 1}>")
            continue
        runs = []
        for run in block.runs:
            if isinstance(run, Figure):
                href = indicator_url(run.code) if indicator_url else f"#{run.code}"
                runs.append(f"<a class='figure' data-indicator='{run.code}' href='{html.escape(href)}'>"
                            f"{html.escape(run.text)}</a>")
            else:
                runs.append(html.escape(run))
        parts.append(f"<p>{''.join(runs)}</p>")
    parts.append("</article>")
    return "\n".join(parts)


def _font(run_or_style, name: str, size_pt: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run_or_style.font
    font.name = name
    font.size = Pt(size_pt)
    font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)
    # The default template's Title and Heading styles name theme fonts (Calibri, an empty East Asian
    # font), which take precedence over the named ones: Word and LibreOffice then set those headings in
    # whatever fallback font they find.
    for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _page_number_footer(section) -> None:
    """Footer "— N —" with a PAGE field, centred (GB/T 9704: 页码用4号半角阿拉伯数字，左右各放一条一字线)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    paragraph.add_run(" —")
    for r in paragraph.runs:
        _font(r, "宋体", 14)


def render_docx(doc: Document) -> bytes:
    from docx import Document as DocxDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    out = DocxDocument()
    section = out.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    # GB/T 9704: 天头 37mm, 订口 28mm; text area 156mm × 225mm.
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    styles = out.styles
    _font(styles["Normal"], "仿宋_GB2312", 16)
    normal = styles["Normal"].paragraph_format
    normal.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.line_spacing = Pt(28.9)  # 22 lines on the 225 mm text area
    _font(styles["Title"], "方正小标宋简体", 22)
    _font(styles["Heading 1"], "黑体", 16)
    _font(styles["Heading 2"], "楷体_GB2312", 16)
    for name in ("Title", "Heading 1", "Heading 2"):
        styles[name].font.color.rgb = None
        # The default template underlines the title and spaces headings; 公文 has neither.
        for border in styles[name].element.xpath("./w:pPr/w:pBdr"):
            border.getparent().remove(border)
    # XML 1.0 cannot hold control characters (python-docx raises): the last guard for stored text.
    clean = control_characters_strip
    title = out.add_paragraph(clean(doc.title), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in doc.blocks:
        if isinstance(block, Heading):
            p = out.add_paragraph(clean(block.text), style=f"Heading {min(block.level, 2)}")
            p.paragraph_format.first_line_indent = Pt(32)
        elif isinstance(block, Paragraph):
            p = out.add_paragraph(clean(block.text))
            p.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    _page_number_footer(section)
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()
