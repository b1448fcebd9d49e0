"""PDF from the same .docx, converted by LibreOffice headless, so that Word and PDF cannot disagree.

Two ways, one result: a warm converter (fazhi/reports/pdf_converter.py: one LibreOffice kept running by
unoserver, which `fazhi serve` starts for its web and job workers) when one answers, else a new LibreOffice
process for this one document (about 1.5–2.3 s of start-up on top of the conversion). Both read the same
fonts.conf, so the glyph check holds for either.
"""

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
    """The PDF of ``docx``: from the warm converter when one is running, else from a new LibreOffice."""
    from .pdf_converter import warm_docx_to_pdf

    pdf = warm_docx_to_pdf(docx, timeout=timeout)
    return pdf if pdf is not None else cold_docx_to_pdf(docx, timeout=timeout)


def cold_docx_to_pdf(docx: bytes, *, timeout: int = 120) -> bytes:
    """A new LibreOffice process, with a new private profile, converts this one document."""
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
