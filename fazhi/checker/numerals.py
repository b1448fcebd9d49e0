"""Parsing of numbers written in Arabic, full-width or Chinese numerals, with exact Decimal values.

``parse_number("1.5万") == Decimal("15000")``; ``parse_number("一千二百九十五") == 1295``;
``parse_number("二〇二四") == 2024`` (digit-by-digit form). Percent, 成 and 分之 forms are parsed by
:func:`parse_quantity`, which returns the value as shown plus the unit it implies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5,
             "陆": 6, "柒": 7, "捌": 8, "玖": 9}
CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}

# Same-length mapping (offsets are preserved). The full-width comma is left alone: it separates clauses.
# Traditional forms of the characters figures, units, qualifiers and totals are read from, so that a
# report copied from a traditional-character page reads the same (one character for one: offsets hold).
TRADITIONAL = "萬億個項戶過約餘總計數單類種場點條張間輛畝噸棟輪處門員級頁組團屆兩達於佔並與為來實際"
SIMPLIFIED = "万亿个项户过约余总计数单类种场点条张间辆亩吨栋轮处门员级页组团届两达于占并与为来实际"
FULLWIDTH = str.maketrans("０１２３４５６７８９．％" + TRADITIONAL, "0123456789.%" + SIMPLIFIED)
_PARSE_MAP = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|.")


def normalize_digits(s: str) -> str:
    """Full-width digits, point, comma and percent to ASCII."""
    return s.translate(_PARSE_MAP)


def parse_number(s: str) -> Decimal | None:
    """Parse a plain number (no percent/成/分之): Arabic, Chinese or mixed like ``5275.57万``."""
    if not s.isascii():
        s = normalize_digits(s)
    s = s.strip()
    if not s:
        return None
    if _ARABIC.fullmatch(s):
        return Decimal(s.replace(",", ""))
    if "点" in s:
        # Chinese decimal: 九十九点一 = 99.1 (the fraction is read digit by digit).
        whole, _, frac = s.partition("点")
        w = parse_number(whole) if whole else Decimal(0)
        if w is None or not frac or any(ch not in CN_DIGITS for ch in frac):
            return None
        return w + Decimal("0." + "".join(str(CN_DIGITS[ch]) for ch in frac))
    tokens = _TOKEN.findall(s)
    # Digit-by-digit form such as 二〇二四 or 一二三.
    if len(tokens) > 1 and all(t in CN_DIGITS for t in tokens):
        return Decimal("".join(str(CN_DIGITS[t]) for t in tokens))
    total = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None
    seen_any = False
    for tok in tokens:
        if tok in CN_DIGITS:
            number = Decimal(CN_DIGITS[tok])
        elif tok[0].isdigit():
            try:
                number = Decimal(tok.replace(",", ""))
            except InvalidOperation:
                return None
        elif tok in CN_SMALL_UNITS:
            section += (number if number is not None else Decimal(1)) * CN_SMALL_UNITS[tok]
            number = None
        elif tok == "万":
            base = section + (number or 0)
            if base == 0 and not seen_any:
                base = Decimal(1)
            total += base * CN_BIG_UNITS[tok]
            section, number = Decimal(0), None
        elif tok == "亿":
            base = total + section + (number or 0)
            if base == 0 and not seen_any:
                base = Decimal(1)
            total = base * CN_BIG_UNITS[tok]
            section, number = Decimal(0), None
        else:
            return None
        seen_any = True
    return total + section + (number or 0)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed number as shown in the text: ``value`` plus the unit implied by its form."""

    value: Decimal
    unit: str | None = None  # "%" for percent and 百分之, "成" for 成, "分之" for fractions


_FRACTION = re.compile(r"^(?P<den>.+?)分之(?P<num>.+)$")


def parse_quantity(s: str) -> Quantity | None:
    """Parse numbers with their form: ``99.69%``, ``百分之三十``, ``八成``, ``三分之一``, ``1.5万``."""
    s = normalize_digits(s).strip()
    if s.endswith("%"):
        v = parse_number(s[:-1])
        return None if v is None else Quantity(v, "%")
    if s.endswith("成") and len(s) > 1:
        v = parse_number(s[:-1])
        return None if v is None else Quantity(v, "成")
    m = _FRACTION.match(s)
    if m:
        num = parse_number(m["num"])
        den = parse_number(m["den"])
        if num is None or not den:
            return None
        if den == 100:
            return Quantity(num, "%")
        if den == 1000:
            return Quantity(num, "‰")
        return Quantity(num / den, "分之")
    v = parse_number(s)
    return None if v is None else Quantity(v)
