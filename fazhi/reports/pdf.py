"""PDF from the same .docx, converted by LibreOffice headless, so that Word and PDF cannot disagree."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import PdfUnavailable

FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, *, timeout: int = 120) -> bytes:
    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable("未安装 LibreOffice，无法生成 PDF：请以 root 运行 make setup（安装 libreoffice-writer-nogui）")
    with tempfile.TemporaryDirectory(prefix="fazhi-pdf-") as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(docx)
        env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": tmp}
        # A private profile directory: concurrent conversions must not share LibreOffice's user profile.
        subprocess.run(
            [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", "pdf", "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=timeout, env=env,
        )
        return (Path(tmp) / "report.pdf").read_bytes()
