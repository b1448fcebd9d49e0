"""A check of an uploaded file in a child process with CPU-time, memory, wall-clock and text limits.

The web page hands every upload to :func:`check_upload_bounded`: the file is read and checked in a forked
child with ``RLIMIT_CPU`` and ``RLIMIT_AS`` set, the parent waits at most ``wall_seconds`` and kills the
child past that. Whatever the file does — a zip bomb, a PDF of a million pages, a parser that loops — the
worker gets back a result or a :class:`ReportInputError` with a code, never a crash or a hang.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import tempfile
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .compare import IndicatorSource
from .extract import InputProblem, ReportInputError, extract_text
from .service import CheckResult, report_check


@dataclass(frozen=True, slots=True)
class Comparison:
    """What the check compares the report's figures with: a unit's figures of a year (read before the fork)."""

    unit: str
    year: int
    source: IndicatorSource


@dataclass(frozen=True, slots=True)
class Limits:
    cpu_seconds: int = 60
    memory_bytes: int = 1024 * 1024 * 1024  # address space the check may add to the forked child's (RLIMIT_AS)
    wall_seconds: float = 90.0
    max_text_chars: int = 5 * 1024 * 1024  # an uploaded report; the CLI allows more
    max_upload_bytes: int = 8 * 1024 * 1024  # under the request cap (FAZHI_MAX_REQUEST_BYTES, 10 MB)


DEFAULT_LIMITS = Limits()


def _address_space() -> int:
    """The process's current virtual size: a forked worker starts with all of its parent's."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _child(conn: Connection, path: str | None, text: str | None, limits: Limits,
           comparison: Comparison | None = None) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    cap = _address_space() + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        if path is not None:
            text = extract_text(path)
        assert text is not None
        if len(text) > limits.max_text_chars:
            raise ReportInputError(InputProblem.TOO_LARGE,
                                   f"文本过长（{len(text)} 字），网页检查上限 {limits.max_text_chars} 字")
        if comparison is None:
            conn.send(("ok", report_check(text=text)))
        else:
            conn.send(("ok", report_check(text=text, unit=comparison.unit, year=comparison.year,
                                          indicator_source=comparison.source)))
    except ReportInputError as exc:
        conn.send(("refused", (str(exc.code), exc.message)))
    except MemoryError:
        conn.send(("refused", (InputProblem.MEMORY_LIMIT.value, "")))
    except Exception as exc:  # a parser's own failure on a hostile file: reported by kind, not as a 500
        conn.send(("refused", (InputProblem.CHECK_FAILED.value, type(exc).__name__)))
    finally:
        conn.close()


def _error(code: str, detail: str, limits: Limits) -> ReportInputError:
    problem = InputProblem(code)
    messages = {
        InputProblem.CPU_LIMIT: f"检查用时超过 {limits.cpu_seconds} 秒 CPU 时间上限，已停止；请拆分文件后再试",
        InputProblem.MEMORY_LIMIT: f"检查所需内存超过 {limits.memory_bytes // 1048576} MB 上限，已停止；请拆分文件后再试",
        InputProblem.TIME_LIMIT: f"检查超过 {limits.wall_seconds:.0f} 秒仍未完成，已停止；请拆分文件后再试",
        InputProblem.CHECK_FAILED: f"文件无法检查（{detail}），请另存为 .docx 或 .txt 后再试",
    }
    return ReportInputError(problem, messages.get(problem, detail))


def _run(path: str | None, text: str | None, limits: Limits, comparison: Comparison | None = None) -> CheckResult:
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, path, text, limits, comparison), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(limits.wall_seconds):
            raise _error(InputProblem.TIME_LIMIT.value, "", limits)
        try:
            status, payload = parent.recv()
        except EOFError:
            # the child died without answering: killed by the kernel at a limit
            proc.join(5)
            if proc.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
                raise _error(InputProblem.CPU_LIMIT.value, "", limits) from None
            raise _error(InputProblem.MEMORY_LIMIT.value, "", limits) from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if status == "ok":
        return payload
    code, message = payload
    raise _error(code, message, limits)


def check_upload_bounded(data: bytes, filename: str, limits: Limits = DEFAULT_LIMITS, *,
                         comparison: Comparison | None = None) -> CheckResult:
    """Check an uploaded file (.txt, .docx, .pdf) within ``limits`` (and against ``comparison``'s figures);
    raises ``ReportInputError``."""
    if len(data) > limits.max_upload_bytes:
        raise ReportInputError(InputProblem.TOO_LARGE,
                               f"文件过大（{len(data) / 1048576:.1f} MB），上限 {limits.max_upload_bytes // 1048576} MB")
    suffix = Path(filename).suffix.lower()
    if suffix not in (".txt", ".docx", ".pdf"):
        raise ReportInputError(InputProblem.UNSUPPORTED, "只能检查 .docx、.pdf 或 .txt 文件")
    with tempfile.TemporaryDirectory(prefix="fazhi-check-") as folder:
        path = os.path.join(folder, "upload" + suffix)
        with open(path, "wb") as fh:
            fh.write(data)
        return _run(path, None, limits, comparison)


def check_text_bounded(text: str, limits: Limits = DEFAULT_LIMITS, *,
                       comparison: Comparison | None = None) -> CheckResult:
    """Check pasted text within ``limits``; raises ``ReportInputError``."""
    if len(text) > limits.max_text_chars:
        raise ReportInputError(InputProblem.TOO_LARGE,
                               f"文本过长（{len(text)} 字），网页检查上限 {limits.max_text_chars} 字")
    return _run(None, text, limits, comparison)
