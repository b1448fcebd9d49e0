"""Reads a department's uploaded contribution (.docx or .txt) into plain text, refusing hostile files.

Limits: 2 MB uploaded, 20 MB uncompressed inside a .docx, 30,000 characters of text. Every refusal is an
UploadRejected whose message names the file.

A .docx is a zip, and a zip's size headers are written by whoever made the file: a 0.9 MB "zip bomb"
whose headers claim a few bytes inflated to ~1.8 GB of memory when python-docx opened it. So before
python-docx sees the file, every member is decompressed as a stream, 64 KB at a time, counting the bytes
that really come out; past the cap the upload is refused, having cost one chunk of memory.
Control characters (U+0000–U+001F but tab and line breaks) are dropped from the text: a .docx cannot
hold them, and Word writes some for its own markers.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document as WordDocument

from fazhi.core.textinput import control_characters_strip

from .errors import UploadRejected

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 30_000
MAX_MEMBERS = 2_000  # a real .docx has a few dozen parts
_CHUNK = 64 * 1024


def _unzipped_bytes_check(name: str, archive: zipfile.ZipFile) -> None:
    """Decompress every member as a stream with a running total of the real bytes; refuse past the cap."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UploadRejected(f"“{name}”包含{len(members)}个部件，疑似异常文件，未读取")
    too_big = UploadRejected(f"“{name}”解压后超过{MAX_UNZIPPED_BYTES // (1024 * 1024)}MB，疑似异常文件，未读取")
    if sum(info.file_size for info in members) > MAX_UNZIPPED_BYTES:  # honest headers: refuse at once
        raise too_big
    total = 0
    for info in members:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                if total > MAX_UNZIPPED_BYTES:
                    raise too_big


def _docx_text(name: str, data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise UploadRejected(f"“{name}”不是Word（.docx）文档：缺少正文部分")
            _unzipped_bytes_check(name, archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        # Bad CRC (sizes that lie), an unsupported compression method, a truncated member …
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
    text = control_characters_strip(text)
    text = "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip())
    if not text:
        raise UploadRejected(f"“{name}”中没有文字")
    if len(text) > MAX_TEXT_CHARS:
        raise UploadRejected(f"“{name}”的文字超过{MAX_TEXT_CHARS}字，请精简后再上传")
    return text
