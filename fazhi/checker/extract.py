"""Plain text from .txt (UTF-8/GB18030/UTF-16), .docx and .pdf, with limits against hostile files.

Every refusal raises :class:`ReportInputError` with a Chinese message naming the problem.
"""

from __future__ import annotations

import enum
import io
import re
import shutil
import subprocess
import time
import zipfile
import zlib
from pathlib import Path

from fazhi.core.errors import FazhiError

MAX_INPUT_BYTES = 64 * 1024 * 1024  # files larger than this are refused before reading
MAX_TEXT_CHARS = 60 * 1024 * 1024
MAX_LINE_CHARS = 100_000  # a "line" longer than this is not a report paragraph
MIN_TEXT_RATIO = 0.85  # share of characters that must be CJK, ASCII printable, punctuation or spaces
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_TOTAL = 200 * 1024 * 1024  # declared uncompressed size of all members
MAX_ZIP_RATIO = 200  # uncompressed / compressed per member
MAX_PDF_PAGES = 2000
MAX_PDF_OBJECTS = 200_000  # indirect objects, counted in the file before any parsing
MAX_XML_DEPTH = 100  # element nesting in a .docx part (a real report nests tables a few levels deep)
MAX_XML_ELEMENTS = 5_000_000
PDF_TIME_LIMIT = 120.0  # seconds for the text layer of one PDF


class InputProblem(enum.StrEnum):
    """The checker's error codes: why an input was refused."""

    NOT_FOUND = "not_found"
    TOO_LARGE = "too_large"
    EMPTY = "empty"
    ENCODING = "encoding"
    NOT_TEXT = "not_text"
    LONG_LINE = "long_line"
    ZIP_BOMB = "zip_bomb"
    BAD_DOCX = "bad_docx"
    BAD_PDF = "bad_pdf"
    NO_TEXT_LAYER = "no_text_layer"
    UNSUPPORTED = "unsupported"
    XML_NESTING = "xml_nesting"
    PDF_OBJECTS = "pdf_objects"
    CPU_LIMIT = "cpu_limit"
    MEMORY_LIMIT = "memory_limit"
    TIME_LIMIT = "time_limit"
    CHECK_FAILED = "check_failed"


class ReportInputError(FazhiError):
    """An input the checker refuses to read; `code` is an InputProblem, ``str(err)`` a Chinese message."""

    def __init__(self, problem: InputProblem, message: str) -> None:
        super().__init__(problem, message, field="file")


def extract_text(path: str | Path) -> str:
    """Read a report file and return its plain text (paragraphs separated by newlines)."""
    p = Path(path)
    if not p.is_file():
        raise ReportInputError(InputProblem.NOT_FOUND, f"找不到文件：{p}")
    size = p.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise ReportInputError(InputProblem.TOO_LARGE,
                               f"文件过大（{size / 1048576:.1f} MB），超过上限 {MAX_INPUT_BYTES // 1048576} MB")
    if size == 0:
        raise ReportInputError(InputProblem.EMPTY, "文件为空")
    with p.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"PK\x03\x04"):
        text = _docx_text(p)
    elif head.startswith(b"%PDF-"):
        text = _pdf_text(p)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReportInputError(InputProblem.UNSUPPORTED, "不支持旧版 Word（.doc）文件，请另存为 .docx 后再检查")
    elif p.suffix.lower() in (".docx", ".pdf"):
        kind = "Word（.docx）" if p.suffix.lower() == ".docx" else "PDF"
        problem = InputProblem.BAD_DOCX if p.suffix.lower() == ".docx" else InputProblem.BAD_PDF
        raise ReportInputError(problem, f"文件扩展名是{p.suffix}，但内容不是有效的{kind}文件")
    else:
        text = decode_text(p.read_bytes())
    return check_text(text)


# Byte-order marks of the Unicode encodings a .txt is saved in: Windows Notepad's and Word's "Unicode" text is
# UTF-16 with a BOM (its ASCII characters carry NUL bytes, which must not be taken for binary content).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a BOM, recognised by its NULs: the high bytes of ASCII characters, all on one side."""
    head = data[:65536]
    if len(head) < 4 or len(data) % 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)  # a CJK character's low byte is rarely 0 (一 is 4E00)
    half = len(head) // 2
    if odd >= half // 8 and even * 4 <= odd:
        return "utf-16-le"
    if even >= half // 8 and odd * 4 <= even:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise ReportInputError(InputProblem.ENCODING, "文件编码有误（UTF-16 文本不完整）") from None
            if "\x00" in text:
                raise ReportInputError(InputProblem.NOT_TEXT, "文件含有二进制内容，不是文本报告")
            return text
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = ""
        if text and "\x00" not in text:
            return text
    if b"\x00" in data[:65536]:
        raise ReportInputError(InputProblem.NOT_TEXT, "文件含有二进制内容，不是文本报告")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReportInputError(InputProblem.ENCODING, "无法识别文件编码（支持 UTF-8、GB18030 和 UTF-16）")


# Characters a Chinese report is made of: ASCII, Latin/Greek/Cyrillic, general and CJK punctuation,
# symbols and enclosed numbers (①), CJK ideographs (incl. extensions), Hangul, full-width forms.
_ORDINARY = re.compile(
    "[\\s!-~\u00a0-\u024f\u0370-\u04ff\u2000-\u2bff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]+"
)


def check_text(text: str) -> str:
    """Refuse text that is too long, has absurdly long lines, or is mostly not text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_TEXT_CHARS:
        raise ReportInputError(InputProblem.TOO_LARGE, f"文本过长（{len(text)} 字），超过上限 {MAX_TEXT_CHARS} 字")
    if not text.strip():
        raise ReportInputError(InputProblem.EMPTY, "没有可检查的文字内容")
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        nl = n if nl < 0 else nl
        if nl - pos > MAX_LINE_CHARS:
            raise ReportInputError(InputProblem.LONG_LINE,
                                   f"有一行长达 {nl - pos} 字，超过上限 {MAX_LINE_CHARS} 字，不像报告正文")
        pos = nl + 1
    # Sample the text for the share of ordinary characters.
    step = max(1, len(text) // 200_000)
    sample = text[::step]
    good = len(sample) - len(_ORDINARY.sub("", sample))
    if good < MIN_TEXT_RATIO * len(sample):
        raise ReportInputError(InputProblem.NOT_TEXT,
                               f"内容大部分不是正常文字（正常字符仅占 {good / len(sample):.0%}），无法作为报告检查")
    return text


# -- .docx ---------------------------------------------------------------------------------------------
def check_zip(zf: zipfile.ZipFile) -> None:
    """Check member count, declared sizes and compression ratios before decompressing anything."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ReportInputError(InputProblem.ZIP_BOMB, f"文档包含 {len(infos)} 个部件，数量异常，已拒绝读取")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1_000_000 and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
            raise ReportInputError(
                InputProblem.ZIP_BOMB,
                f"文档部件 {info.filename} 压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），疑似压缩炸弹，已拒绝读取")
    if total > MAX_ZIP_TOTAL:
        raise ReportInputError(InputProblem.ZIP_BOMB,
                               f"文档解压后总大小 {total / 1048576:.0f} MB 超过上限，疑似压缩炸弹，已拒绝读取")


def read_zip_members(zf: zipfile.ZipFile, limit: int = MAX_ZIP_TOTAL) -> dict[str, bytes]:
    """Decompress every member, counting the real bytes as they come: the size headers can lie."""
    out: dict[str, bytes] = {}
    total = 0
    for info in zf.infolist():
        chunks: list[bytes] = []
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 16):
                total += len(chunk)
                if total > limit:
                    raise ReportInputError(
                        InputProblem.ZIP_BOMB,
                        f"文档解压后超过 {limit // 1048576} MB 上限（部件 {info.filename}），疑似压缩炸弹，已拒绝读取")
                chunks.append(chunk)
        out[info.filename] = b"".join(chunks)
    return out


def check_xml_nesting(data: bytes, part: str) -> None:
    """Refuse an XML part nested deeper than MAX_XML_DEPTH or with absurdly many elements."""
    from lxml import etree

    depth = elements = 0
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, no_network=True)
    try:
        for offset in range(0, len(data), 1 << 16):
            parser.feed(data[offset:offset + (1 << 16)])
            for event, _el in parser.read_events():
                if event == "start":
                    depth += 1
                    elements += 1
                    if depth > MAX_XML_DEPTH:
                        raise ReportInputError(
                            InputProblem.XML_NESTING,
                            f"文档部件 {part} 的嵌套层级超过 {MAX_XML_DEPTH} 层，结构异常，已拒绝读取")
                    if elements > MAX_XML_ELEMENTS:
                        raise ReportInputError(
                            InputProblem.XML_NESTING, f"文档部件 {part} 的元素超过 {MAX_XML_ELEMENTS} 个，已拒绝读取")
                else:
                    depth -= 1
                    _el.clear()  # keep memory flat while counting
        parser.close()
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():  # libxml2's own limit (256) can come first within one fed chunk
            raise ReportInputError(
                InputProblem.XML_NESTING,
                f"文档部件 {part} 的嵌套层级超过 {MAX_XML_DEPTH} 层，结构异常，已拒绝读取") from exc
        raise ReportInputError(InputProblem.BAD_DOCX, f"Word（.docx）文件的 {part} 不是有效的 XML，无法读取") from exc


def _docx_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            check_zip(zf)
            if "word/document.xml" not in zf.namelist():
                raise ReportInputError(InputProblem.BAD_DOCX, "不是有效的 Word（.docx）文件：缺少正文部件")
            members = read_zip_members(zf)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ReportInputError(InputProblem.BAD_DOCX, f"Word（.docx）文件已损坏，无法读取：{type(exc).__name__}") from exc
    for name, data in members.items():
        if name.endswith((".xml", ".rels")):
            check_xml_nesting(data, name)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(str(path))
    except ReportInputError:
        raise
    except Exception as exc:  # python-docx raises many kinds on malformed packages
        raise ReportInputError(InputProblem.BAD_DOCX, f"Word（.docx）文件无法解析：{type(exc).__name__}") from exc
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                cells = []
                prev = None
                for cell in row.cells:
                    # a merged cell is the same <w:tc> repeated; equal neighbouring values are not merged
                    if cell._tc is not prev:
                        cells.append(re.sub(r"[\t\n]+", " ", cell.text).strip())
                    prev = cell._tc
                lines.append("\t".join(cells))
    return "\n".join(lines)


# -- .pdf ---------------------------------------------------------------------------------------------
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|"
                          r"\d{1,4}\s*/\s*\d{1,4})\s*$")
_TERMINAL = "。！？；：!?;:”」』）)"
_HEADING_START = re.compile(r"\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、])")


def unwrap_pdf_lines(page_text: str) -> str:
    """Undo the line wrapping of a PDF page: drop page numbers (— 3 —, 第3页) and join a line that fills
    the text width and does not end a sentence with the next line, so that "12\n95件" is one figure."""
    lines = [ln for ln in page_text.split("\n") if not _PAGE_NUMBER.match(ln)]
    widths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    if not widths:
        return ""
    full = widths[int(0.8 * (len(widths) - 1))]
    out: list[str] = []
    for ln in lines:
        if out and out[-1].strip() and ln.strip() and len(out[-1].strip()) >= 0.85 * full >= 10 \
                and out[-1].rstrip()[-1] not in _TERMINAL and not _HEADING_START.match(ln):
            out[-1] = out[-1].rstrip() + ln.strip()
        else:
            out.append(ln)
    return "\n".join(out)


_PDF_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_PDF_OBJSTM_N = re.compile(rb"/Type\s*/ObjStm\b[^>]*?/N\s+(\d+)|/N\s+(\d+)[^>]*?/Type\s*/ObjStm\b")
_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")
_PDF_COUNT = re.compile(rb"/Count\s+(\d{1,12})")


def check_pdf_size(data: bytes) -> None:
    """Count pages and objects in the raw file before a parser builds any of them."""
    objects = len(_PDF_OBJ.findall(data)) + sum(int(a or b) for a, b in _PDF_OBJSTM_N.findall(data))
    if objects > MAX_PDF_OBJECTS:
        raise ReportInputError(InputProblem.PDF_OBJECTS, f"PDF 含有 {objects} 个对象，超过上限 {MAX_PDF_OBJECTS} 个，已拒绝读取")
    pages = max([len(_PDF_PAGE.findall(data))] + [int(n) for n in _PDF_COUNT.findall(data)])
    if pages > MAX_PDF_PAGES:
        raise ReportInputError(InputProblem.TOO_LARGE, f"PDF 共 {pages} 页，超过上限 {MAX_PDF_PAGES} 页")


def _pdf_text(path: Path) -> str:
    check_pdf_size(path.read_bytes())
    error: str | None = None
    try:
        text = _pdfplumber_text(path)
        if text.strip():
            return text
        error = "没有文字层"
    except ReportInputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on malformed files
        error = type(exc).__name__
    fallback = _pdftotext(path)
    if fallback is not None and fallback.strip():
        return fallback
    if error == "没有文字层":
        raise ReportInputError(InputProblem.NO_TEXT_LAYER, "PDF 没有文字层（可能是扫描件），请提供 Word 或文本版本")
    raise ReportInputError(InputProblem.BAD_PDF, f"PDF 文件已损坏或格式异常，无法读取（{error}）")


def _pdfplumber_text(path: Path) -> str:
    import pdfplumber

    started = time.monotonic()
    pages: list[str] = []
    with pdfplumber.open(str(path)) as pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise ReportInputError(InputProblem.TOO_LARGE, f"PDF 共 {len(pdf.pages)} 页，超过上限 {MAX_PDF_PAGES} 页")
        for page in pdf.pages:
            pages.append(_pdf_page_text(page))
            page.flush_cache()
            if time.monotonic() - started > PDF_TIME_LIMIT:
                raise ReportInputError(InputProblem.BAD_PDF, f"PDF 文字提取超过 {PDF_TIME_LIMIT:.0f} 秒，已停止")
    return "\n".join(pages)


def _pdf_page_text(page) -> str:
    """The page's text with each ruled table (pdfplumber ``find_tables``) written as tab-separated rows
    in its place, so that every cell keeps its row and column."""
    try:
        tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
    except Exception:  # table finding is a refinement; the plain text layer is still good
        tables = []
    if not tables:
        return unwrap_pdf_lines(page.extract_text() or "")
    parts: list[str] = []
    top = page.bbox[1]
    x0, _, x1, bottom = page.bbox
    for table in tables:
        tx0, ttop, tx1, tbottom = table.bbox
        if ttop > top:
            parts.append(unwrap_pdf_lines(page.crop((x0, top, x1, ttop)).extract_text() or ""))
        for row in table.extract():
            parts.append("\t".join(re.sub(r"\s+", "", cell or "") for cell in row))
        top = max(top, tbottom)
    if top < bottom:
        parts.append(unwrap_pdf_lines(page.crop((x0, top, x1, bottom)).extract_text() or ""))
    return "\n".join(p for p in parts if p)


def _pdftotext(path: Path) -> str | None:
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "-enc", "UTF-8", "-l", str(MAX_PDF_PAGES), str(path), "-"],
                             capture_output=True, timeout=PDF_TIME_LIMIT, check=False)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if out.returncode != 0:
        return None
    text = io.TextIOWrapper(io.BytesIO(out.stdout), encoding="utf-8", errors="replace").read()
    return "\n".join(unwrap_pdf_lines(page) for page in text.split("\f"))
