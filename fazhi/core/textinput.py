"""Control characters in typed or uploaded text (issue 12, item 7).

U+0000–U+001F other than tab, line feed and carriage return cannot be stored in a .docx (XML 1.0 forbids
them), so one of them in a section made report generation and download fail. Typed text holding one is
refused with its position, so the writer can find it; uploaded files have them stripped (Word's own
field and page-break markers come through as such characters).
"""

from __future__ import annotations

import re
from enum import StrEnum

from .errors import FazhiError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class TextInputErrorCode(StrEnum):
    CONTROL_CHARACTER = "control_character"  # U+0000–U+001F other than tab/newline/CR; the message says where


class ControlCharacterError(FazhiError, ValueError):
    def __init__(self, message: str, *, line: int, column: int, codepoint: int):
        super().__init__(TextInputErrorCode.CONTROL_CHARACTER, message)
        self.line, self.column, self.codepoint = line, column, codepoint


def control_characters_strip(text: str) -> str:
    return _CONTROL.sub("", text)


def control_characters_refuse(text: str, *, label: str) -> None:
    """Raise ControlCharacterError naming the line and column (1-based) of the first control character."""
    match = _CONTROL.search(text)
    if match is None:
        return
    before = text[:match.start()]
    line = before.count("\n") + 1
    column = match.start() - (before.rfind("\n") + 1) + 1
    codepoint = ord(match.group())
    raise ControlCharacterError(
        f"“{label}”第{line}行第{column}个字符是不可见的控制字符（U+{codepoint:04X}），请删除后再保存",
        line=line, column=column, codepoint=codepoint)
