"""Personal numbers in free text: find them (with their spans) and mask them.

One detector for the whole platform (DESIGN §9): the report gate (reports/privacy.py), the timeline and audit
writers (a masked copy, never the clear number), the record and section pages (masked unless an entitled
reader asks to reveal), and the log filter (fazhi.core.logfilter). It finds
- 身份证号: 18 digits with a valid GB 11643-1999 check digit and birth date, and the old 15-digit form
  (6-digit region, 6-digit birth date YYMMDD, 3-digit sequence) with a valid birth date;
- mainland mobile numbers: 1[3-9] and 9 more digits, not inside a longer digit run;
- landlines with an area code: 0AA-NNNNNNNN or 0AAA-NNNNNNN (the hyphen or a space required, so that plain
  digit runs are not taken for them);
- bank card numbers: 16 to 19 digits passing the Luhn check.
Each is matched only where it is not part of a longer run of digits (amounts, serial numbers).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .identity import IdentityError, id_number_normalize


class PersonalDataKind(StrEnum):
    ID_NUMBER = "id_number"
    MOBILE = "mobile"
    LANDLINE = "landline"
    BANK_CARD = "bank_card"


KIND_NAMES = {PersonalDataKind.ID_NUMBER: "身份证号", PersonalDataKind.MOBILE: "手机号码",
              PersonalDataKind.LANDLINE: "固定电话", PersonalDataKind.BANK_CARD: "银行卡号"}


@dataclass(frozen=True)
class PersonalDataMatch:
    kind: PersonalDataKind
    start: int
    end: int
    value: str

    @property
    def masked(self) -> str:
        return personal_number_mask(self.kind, self.value)


# A run of digits (an 18-digit 身份证号 may end in X); classified below by its length and checks.
_DIGIT_RUN = re.compile(r"(?<![0-9])\d{11,19}(?:[Xx](?![0-9A-Za-z]))?(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(0\d{2}[- ]\d{8}|0\d{3}[- ]\d{7,8})(?![0-9])")
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")


def _id18(run: str) -> bool:
    if len(run) != 18:
        return False
    try:
        id_number_normalize(run)
    except IdentityError:
        return False
    return True


def _id15(run: str) -> bool:
    if len(run) != 15 or not run.isdigit() or run[0] == "0":
        return False
    try:
        dt.date(1900 + int(run[6:8]), int(run[8:10]), int(run[10:12]))
    except ValueError:
        return False
    return True


def _luhn(run: str) -> bool:
    if not run.isdigit() or not 16 <= len(run) <= 19:
        return False
    total = 0
    for i, c in enumerate(reversed(run)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def personal_data_spans(text: str) -> list[PersonalDataMatch]:
    """Every personal number in `text`, in order of position."""
    if not text:
        return []
    found: list[PersonalDataMatch] = []
    for m in _DIGIT_RUN.finditer(text):
        run = m.group(0)
        if _id18(run) or _id15(run):
            kind = PersonalDataKind.ID_NUMBER
        elif len(run) == 11 and _MOBILE_RE.fullmatch(run):
            kind = PersonalDataKind.MOBILE
        elif _luhn(run):
            kind = PersonalDataKind.BANK_CARD
        else:
            continue
        found.append(PersonalDataMatch(kind, m.start(), m.end(), run))
    for m in _LANDLINE.finditer(text):
        found.append(PersonalDataMatch(PersonalDataKind.LANDLINE, m.start(), m.end(), m.group(0)))
    return sorted(found, key=lambda f: f.start)


def personal_number_mask(kind: PersonalDataKind, value: str) -> str:
    """110101********4514, 138****5678, 010-****5678, 6222********1234 (first and last digits kept, so a
    reader can tell numbers apart without learning them)."""
    if kind == PersonalDataKind.ID_NUMBER:
        keep_end = 4 if len(value) == 18 else 3
        return value[:6] + "*" * (len(value) - 6 - keep_end) + value[-keep_end:]
    if kind == PersonalDataKind.MOBILE:
        return value[:3] + "****" + value[7:]
    if kind == PersonalDataKind.LANDLINE:
        area, sep, number = value.partition("-") if "-" in value else value.partition(" ")
        return area + sep + "*" * (len(number) - 4) + number[-4:]
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def personal_data_mask(text: str) -> str:
    """`text` with every personal number masked; other characters unchanged."""
    if not text or not isinstance(text, str):
        return text
    spans = personal_data_spans(text)
    if not spans:
        return text
    out, pos = [], 0
    for s in spans:
        if s.start < pos:  # overlapping (a landline inside a longer match): already masked
            continue
        out.append(text[pos:s.start])
        out.append(s.masked)
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def personal_data_mask_value(value: Any) -> Any:
    """A JSON-like value (a timeline payload, an audit diff) with every string in it masked."""
    if isinstance(value, str):
        return personal_data_mask(value)
    if isinstance(value, dict):
        return {k: personal_data_mask_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [personal_data_mask_value(v) for v in value]
    return value


# What looks like a 身份证号 even with a mistyped check digit: 17 digits and a digit or X, the birth date real.
_ID_LIKE = re.compile(r"(?<![0-9])\d{17}[\dXx](?![0-9A-Za-z])")


def id_number_like(text: str) -> bool:
    """True when `text` holds something a person would take for a 身份证号 (valid or with a wrong check
    digit), or the old 15-digit form: what may never travel in a URL."""
    if not isinstance(text, str) or len(text) < 15:
        return False
    for m in _ID_LIKE.finditer(text):
        run = m.group(0)
        try:
            dt.date(int(run[6:10]), int(run[10:12]), int(run[12:14]))
        except ValueError:
            continue
        return True
    return any(s.kind == PersonalDataKind.ID_NUMBER for s in personal_data_spans(text))


def personal_data_present(text: str) -> bool:
    return bool(personal_data_spans(text)) if isinstance(text, str) else False
