"""The warm PDF converter is used when it answers and never needed: without it, or when it fails, a PDF
is still made the cold way. (The glyph checks of both ways are in test_report.py.)"""

import json
import os
import shutil
import socket
import subprocess
import sys

import pytest

from fazhi.reports import pdf_converter
from fazhi.reports.pdf_converter import ENV_ADDRESS, STATE_NAME, converter_address, warm_docx_to_pdf


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


def test_no_converter_means_no_warm_pdf(monkeypatch, settings, tmp_path):
    monkeypatch.delenv(ENV_ADDRESS, raising=False)
    settings.VAR_DIR = tmp_path
    assert converter_address() is None
    assert warm_docx_to_pdf(b"PK not a docx") is None


def test_a_converter_that_does_not_answer_gives_no_pdf(monkeypatch):
    monkeypatch.setenv(ENV_ADDRESS, f"127.0.0.1:{_closed_port()}")
    assert warm_docx_to_pdf(b"PK not a docx", timeout=5) is None


def test_off_turns_the_warm_converter_off(monkeypatch, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    (tmp_path / STATE_NAME).write_text(json.dumps({"address": "127.0.0.1:1", "pid": 1}), encoding="utf-8")
    monkeypatch.setenv(ENV_ADDRESS, "off")
    assert converter_address() is None


def test_the_state_file_of_a_running_server_is_read_and_a_stale_one_ignored(monkeypatch, settings, tmp_path):
    monkeypatch.delenv(ENV_ADDRESS, raising=False)
    settings.VAR_DIR = tmp_path
    state = tmp_path / STATE_NAME
    state.write_text(json.dumps({"address": "127.0.0.1:4711", "pid": os.getpid()}), encoding="utf-8")
    assert converter_address() == "127.0.0.1:4711"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    state.write_text(json.dumps({"address": "127.0.0.1:4711", "pid": int(gone.stdout)}), encoding="utf-8")
    assert converter_address() is None  # `fazhi serve` was killed without removing its file
    state.write_text("not json", encoding="utf-8")
    assert converter_address() is None


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is installed by make setup as root")
def test_docx_to_pdf_falls_back_to_a_cold_conversion(monkeypatch):
    from fazhi.reports.document import Document, Heading, Paragraph
    from fazhi.reports.pdf import docx_to_pdf
    from fazhi.reports.render import render_docx

    calls = []
    real = pdf_converter.warm_docx_to_pdf

    def spy(docx, **kwargs):
        calls.append(kwargs)
        return real(docx, **kwargs)

    monkeypatch.setattr(pdf_converter, "warm_docx_to_pdf", spy)
    monkeypatch.setenv(ENV_ADDRESS, f"127.0.0.1:{_closed_port()}")
    pdf = docx_to_pdf(render_docx(Document(title="测试", blocks=[Heading(1, "一、测试"), Paragraph(("正文。",))])))
    assert calls and pdf.startswith(b"%PDF")


def test_serve_starts_the_converter_before_its_workers_and_stops_it(monkeypatch, settings, tmp_path):
    """`fazhi serve` hands the converter's address to the processes it starts next, and stops it after."""
    from fazhi.core.management.commands import serve

    events: list[str] = []

    class Converter:
        address = "127.0.0.1:4711"

        def stop(self):
            events.append("stop")

    def start(*, state_dir):
        events.append(f"converter in {state_dir}")
        monkeypatch.setenv(ENV_ADDRESS, Converter.address)
        return Converter()

    monkeypatch.setattr(pdf_converter, "pdf_converter_start", start)
    monkeypatch.setattr(serve, "_serve", lambda port, workers: events.append(f"serve {os.environ[ENV_ADDRESS]}"))
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)
    settings.VAR_DIR = tmp_path
    serve.Command().handle(port=1, workers=1, no_jobs=True)
    assert events == [f"converter in {tmp_path}", "serve 127.0.0.1:4711", "stop"]
    events.clear()
    monkeypatch.setenv(ENV_ADDRESS, "off")
    serve.Command().handle(port=1, workers=1, no_jobs=True, no_pdf_converter=True)
    assert events == ["serve off"]
