"""Check digits and masking of Chinese identity numbers.

身份证号: GB 11643-1999 (ISO 7064 MOD 11-2). 统一社会信用代码: GB 32100-2015 (MOD 31).
Lists, exports and logs show these numbers masked (DESIGN.md §9).
"""

import datetime as dt
import re

from .errors import CoreErrorCode, FazhiError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class IdentityError(FazhiError, ValueError):
    """An identity number that cannot be right (a CoreErrorCode id_number_… or credit_code_…); the message
    says why, in Chinese."""


def id_number_check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_normalize(value: str) -> str:
    """Return the canonical form of a 身份证号 or raise IdentityError."""
    number = (value or "").strip().upper().replace("x", "X")
    if not _ID_RE.match(number):
        raise IdentityError(CoreErrorCode.ID_NUMBER_MALFORMED, "身份证号应为18位：前17位数字，最后一位为数字或X")
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdentityError(CoreErrorCode.ID_NUMBER_BIRTH_DATE_INVALID, "身份证号中的出生日期无效") from exc
    if id_number_check_digit(number[:17]) != number[17]:
        raise IdentityError(CoreErrorCode.ID_NUMBER_CHECK_DIGIT_WRONG, "身份证号校验位错误")
    return number


def id_number_mask(number: str) -> str:
    """Keep the region prefix and the check digit: 210403********123X."""
    if not number:
        return ""
    if len(number) != 18:
        return "*" * len(number)
    return number[:6] + "*" * 8 + number[14:]


def credit_code_check_digit(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def credit_code_normalize(value: str) -> str:
    """Return the canonical 统一社会信用代码 or raise IdentityError."""
    code = (value or "").strip().upper()
    if not _CREDIT_RE.match(code):
        raise IdentityError(CoreErrorCode.CREDIT_CODE_MALFORMED, "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）")
    if credit_code_check_digit(code[:17]) != code[17]:
        raise IdentityError(CoreErrorCode.CREDIT_CODE_CHECK_DIGIT_WRONG, "统一社会信用代码校验位错误")
    return code


def credit_code_mask(code: str) -> str:
    if not code:
        return ""
    return code[:8] + "*" * 6 + code[14:] if len(code) == 18 else "*" * len(code)
