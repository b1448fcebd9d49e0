"""Reads a department's uploaded contribution (.docx or .txt) into plain text, refusing hostile files.

Limits: 2 MB uploaded, 20 MB uncompressed inside a .docx (a zip: a "zip bomb" is refused before it is
opened), 30,000 characters of text. Every refusal is an UploadRejected whose message names the file.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document as WordDocument

from .errors import UploadRejected

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 30_000


def _docx_text(name: str, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED_BYTES:
                raise UploadRejected(f"“{name}”解压后超过20MB，疑似异常文件，未读取")
            if "word/document.xml" not in archive.namelist():
                raise UploadRejected(f"“{name}”不是Word（.docx）文档：缺少正文部分")
    except zipfile.BadZipFile as exc:
        raise UploadRejected(f"“{name}”无法打开：不是有效的Word（.docx）文档（旧版.doc请另存为.docx）") from exc
    try:
        document = WordDocument(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on malformed parts  # noqa: BLE001
        raise UploadRejected(f"“{name}”无法读取：Word文档内容损坏（{type(exc).__name__}）") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:  # departments often put figures in a table; keep them as lines
        for row in table.rows:
            lines.append("　".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


def _txt_text(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Windows Notepad in China saves GBK unless told otherwise
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UploadRejected(f"“{name}”不是UTF-8或GBK编码的文本文件")


def upload_text(*, name: str, data: bytes) -> str:
    """The text of an uploaded .docx or .txt, one paragraph per line."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected(f"“{name}”超过2MB，请删去图片后再上传")
    lower = name.lower()
    if lower.endswith(".docx"):
        text = _docx_text(name, data)
    elif lower.endswith(".txt"):
        text = _txt_text(name, data)
    else:
        raise UploadRejected(f"“{name}”的格式不支持：请上传.docx或.txt文件")
    text = "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())
    if not text:
        raise UploadRejected(f"“{name}”中没有文字")
    if len(text) > MAX_TEXT_CHARS:
        raise UploadRejected(f"“{name}”的文字超过{MAX_TEXT_CHARS}字，请精简后再上传")
    return text
