"""Query-parameter validation shared by every web page and API view (issue 12, item 5).

A malformed parameter is a `ParamError`: a coded 400 that names the parameter, never a 500. The API's
exception handler renders it as `{"code", "message", "field"}`; web pages get the Chinese 400 page
(`fazhi.web.middleware.ParamErrorMiddleware`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum

from fazhi.core.errors import FazhiError
from fazhi.core.periods import Period, PeriodError, period_parse

# Larger than any primary key or page number fazhi will have, and small enough for every database's
# integer columns (a 40-digit number would overflow PostgreSQL's bigint and SQLite's integer).
INT_MAX = 2**31 - 1
TEXT_MAX = 200  # a search box: longer input is refused rather than sent to a LIKE query


class ParamErrorCode(StrEnum):
    PARAM_INVALID = "param_invalid"  # a query parameter of the wrong form or out of range
    PERSONAL_DATA_IN_URL = "personal_data_in_url"  # a 身份证号 in a query parameter (it would stay in logs)


class ParamError(FazhiError):
    def __init__(self, name: str, message: str, *, code: StrEnum = ParamErrorCode.PARAM_INVALID) -> None:
        super().__init__(code, f"参数“{name}”无效：{message}", field=name)


def param_int(query: Mapping[str, str], name: str, *, default: int | None = None, minimum: int = 0,
              maximum: int = INT_MAX) -> int | None:
    """An integer in [minimum, maximum], or `default` when the parameter is absent or empty."""
    raw = (query.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise ParamError(name, f"应为整数（{minimum}–{maximum}）")
    if len(raw) > len(str(maximum)) or not minimum <= int(raw) <= maximum:
        raise ParamError(name, f"应在 {minimum}–{maximum} 之间")
    return int(raw)


def param_choice(query: Mapping[str, str], name: str, choices: Iterable[str], *, default: str = "") -> str:
    """One of `choices`, or `default` when absent or empty."""
    raw = (query.get(name) or "").strip()
    if not raw:
        return default
    allowed = list(choices)
    if raw not in allowed:
        raise ParamError(name, "应为 " + "、".join(allowed[:12]) + (" 等" if len(allowed) > 12 else "") + " 之一")
    return raw


def param_text(query: Mapping[str, str], name: str, *, max_length: int = TEXT_MAX) -> str:
    """Free text (a search box), stripped; refused when longer than `max_length` or with control characters."""
    raw = (query.get(name) or "").strip()
    if len(raw) > max_length:
        raise ParamError(name, f"不得超过 {max_length} 个字符")
    if any(ord(c) < 32 or ord(c) == 127 for c in raw):
        raise ParamError(name, "含有控制字符")
    return raw


def param_period(query: Mapping[str, str], name: str, *, default: Period | None = None) -> Period | None:
    """A reporting period (2024, 2024Q1, 2024-03, 2024YTD09), or `default` when absent or empty."""
    raw = (query.get(name) or "").strip()
    if not raw:
        return default
    try:
        return period_parse(raw)
    except PeriodError as exc:
        raise ParamError(name, exc.message, code=exc.code) from None  # keeps period_invalid


def param_date(query: Mapping[str, str], name: str) -> dt.date | None:
    """An ISO date (2024-03-05, what <input type=date> sends), or None when absent or empty."""
    raw = (query.get(name) or "").strip()
    if not raw:
        return None
    try:
        if len(raw) != 10 or not raw.isascii():
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ParamError(name, "应为日期，如 2024-03-05") from None


def param_date_range(query: Mapping[str, str], start: str, end: str) -> tuple[dt.date | None, dt.date | None]:
    """Two dates bounding a range; refused (naming `end`) when the end is before the start."""
    low, high = param_date(query, start), param_date(query, end)
    if low and high and high < low:
        raise ParamError(end, "结束日期早于开始日期")
    return low, high


def params_refuse_personal_data(query: Mapping[str, str]) -> None:
    """Refuse a query string carrying a 身份证号 in any parameter: a URL stays in access logs, proxies and the
    browser's history. The error names the parameter and never echoes the value."""
    from fazhi.core.personaldata import id_number_like  # imported here: personaldata imports core.errors

    for name in query:
        values = query.getlist(name) if hasattr(query, "getlist") else [query[name]]
        if id_number_like(name) or any(id_number_like(v) for v in values):
            raise ParamError(name if not id_number_like(name) else "?", "网址中不能含有身份证号；请用页面上的“按身份证号查找”，"
                             "号码只在服务器端保存", code=ParamErrorCode.PERSONAL_DATA_IN_URL)
