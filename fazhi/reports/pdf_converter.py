"""The warm PDF converter: one LibreOffice kept running by unoserver, so a report's PDF costs its conversion
only, not a LibreOffice start-up (about 1.5–2.3 s, 94 % of a cold conversion).

`fazhi serve` starts it (``pdf_converter_start``) before gunicorn forks its workers and the job worker, and
stops it with them. Its address is in the environment those processes inherit (``FAZHI_PDF_CONVERTER``)
and in ``var/pdf-converter.json`` for other fazhi commands on the same machine (``fazhi report -o X.pdf``).
``warm_docx_to_pdf`` returns ``None`` whenever the converter is not there, not ready yet (LibreOffice
takes several seconds to start), busy past the timeout, or answers with anything but a PDF: the caller
then converts cold (fazhi/reports/pdf.py), so a PDF is never worse than without it.

unoserver's server needs LibreOffice's Python-UNO bridge, which only the system Python has (Debian's
python3-uno): it runs under that Python (``FAZHI_UNO_PYTHON``, default /usr/bin/python3), importing the
unoserver package installed in fazhi's environment. The client side is plain XML-RPC.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

from .pdf import FONTS_CONF, soffice_path

ENV_ADDRESS = "FAZHI_PDF_CONVERTER"  # host:port of the running converter, or "off" for cold conversions only
STATE_NAME = "pdf-converter.json"
UNO_PYTHON_DEFAULT = "/usr/bin/python3"


@dataclass
class PdfConverter:
    """A running converter started by this process."""

    address: str
    process: subprocess.Popen[bytes]
    profile: Path
    state_file: Path | None

    def stop(self, timeout: float = 20) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # unoserver passes the signal on to LibreOffice
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.state_file is not None:
            with contextlib.suppress(OSError):
                if _state_read(self.state_file) == (self.address, self.process.pid):
                    self.state_file.unlink()
        if os.environ.get(ENV_ADDRESS) == self.address:
            del os.environ[ENV_ADDRESS]
        shutil.rmtree(self.profile, ignore_errors=True)


def uno_python() -> str | None:
    """The Python that has LibreOffice's uno module, if there is one."""
    python = os.environ.get("FAZHI_UNO_PYTHON") or UNO_PYTHON_DEFAULT
    return python if shutil.which(python) else None


def _unoserver_path() -> str | None:
    spec = importlib.util.find_spec("unoserver")
    if spec is None or spec.origin is None:
        return None
    return str(Path(spec.origin).resolve().parents[1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    # Linux: the converter gets SIGTERM when the process that started it dies, even by SIGKILL.
    import ctypes

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def pdf_converter_available() -> str | None:
    """Why no warm converter can run here (``None`` when one can)."""
    if soffice_path() is None:
        return "LibreOffice is not installed"
    python = uno_python()
    if python is None:
        return "no system Python for LibreOffice's uno bridge"
    path = _unoserver_path()
    if path is None:
        return "the unoserver package is not installed"
    probe = subprocess.run([python, "-c", "import uno, unoserver.server"], capture_output=True,
                           env={**os.environ, "PYTHONPATH": path}, timeout=60)
    if probe.returncode != 0:
        return "the system Python cannot import uno (Debian package python3-uno) or unoserver"
    return None


def pdf_converter_start(*, state_dir: Path | None = None, conversion_timeout: int = 120) -> PdfConverter | None:
    """Start the converter in the background and return at once (``None`` when it cannot run here).

    Until LibreOffice is up (several seconds) conversions go the cold way. The address is put into this
    process's environment, for the children it starts next, and into ``state_dir/pdf-converter.json``."""
    if pdf_converter_available() is not None:
        return None
    python, path = uno_python(), _unoserver_path()
    assert python is not None and path is not None
    port, uno_port = _free_port(), _free_port()
    while uno_port == port:
        uno_port = _free_port()
    profile = Path(tempfile.mkdtemp(prefix="fazhi-pdf-converter-"))
    env = {**os.environ, "PYTHONPATH": path, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(profile)}
    env.pop(ENV_ADDRESS, None)
    process = subprocess.Popen(
        [python, "-m", "unoserver.server", "--interface", "127.0.0.1", "--port", str(port),
         "--uno-interface", "127.0.0.1", "--uno-port", str(uno_port),
         "--user-installation", str(profile / "profile"), "--conversion-timeout", str(conversion_timeout),
         "--quiet"],
        env=env, cwd=profile, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    address = f"127.0.0.1:{port}"
    os.environ[ENV_ADDRESS] = address
    state_file = None
    if state_dir is not None:
        state_file = Path(state_dir) / STATE_NAME
        with contextlib.suppress(OSError):
            state_file.parent.mkdir(parents=True, exist_ok=True)
            state_file.write_text(json.dumps({"address": address, "pid": process.pid}), encoding="utf-8")
    return PdfConverter(address, process, profile, state_file)


def pdf_converter_wait(converter: PdfConverter, *, timeout: float = 90) -> bool:
    """Wait until the converter answers (for benchmarks and tests); ``False`` if it died or did not."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if converter.process.poll() is not None:
            return False
        try:
            _proxy(converter.address, 5).info()
            return True
        except (OSError, http.client.HTTPException, xmlrpc.client.Error, ExpatError):
            time.sleep(0.2)
    return False


def _state_read(path: Path) -> tuple[str, int] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return str(data["address"]), int(data["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def converter_address() -> str | None:
    """Where a running converter answers: this process's environment, else the state file of `fazhi serve`."""
    address = os.environ.get(ENV_ADDRESS)
    if address:
        return None if address == "off" else address
    try:
        from django.conf import settings

        var_dir = Path(settings.VAR_DIR)
    except Exception:  # settings not configured: no state file to look at
        return None
    state = _state_read(var_dir / STATE_NAME)
    if state is None or not _pid_alive(state[1]):
        return None
    return state[0]


class _Transport(xmlrpc.client.Transport):
    """XML-RPC over HTTP with a socket timeout (xmlrpc.client has none of its own)."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def _proxy(address: str, timeout: float) -> xmlrpc.client.ServerProxy:
    return xmlrpc.client.ServerProxy(f"http://{address}", transport=_Transport(timeout), allow_none=True)


def warm_docx_to_pdf(docx: bytes, *, timeout: float = 120, address: str | None = None) -> bytes | None:
    """The PDF from the running converter, or ``None`` when there is none or it did not give one."""
    address = address or converter_address()
    if address is None:
        return None
    try:
        # unoserver's convert(inpath, indata, outpath, convert_to, filtername, filter_options, update_index,
        # infiltername, password); indexes are left as they are, as `soffice --convert-to` leaves them.
        result = _proxy(address, timeout).convert(None, xmlrpc.client.Binary(docx), None, "pdf", None, [], False,
                                                  None, None)
    except (OSError, http.client.HTTPException, xmlrpc.client.Error, ExpatError, ValueError):
        return None
    data = getattr(result, "data", None)
    return data if isinstance(data, bytes) and data.startswith(b"%PDF") else None
