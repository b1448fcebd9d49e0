"""The one base of every error fazhi refuses a request with, and the error codes of core.

An error carries a stable `code` (a member of its app's StrEnum: `CoreErrorCode` here,
`RecordErrorCode` in registers, `DatasetErrorCode`, `IndicatorErrorCode`, `ReportErrorCode`,
`InputProblem` in the checker), a Chinese `message` for people, and optionally the `field` it is
about. Tests and API clients use the code, never the text; the API renders every error as
`{"code", "message", "field"}` (`fazhi.api.errors.api_exception_handler`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


class FazhiError(Exception):
    """A refusal: `code` is stable, `message` is Chinese for people, `field` names the input it is about."""

    # The HTTP status the API answers with; subclasses whose refusals are not bad input override it.
    http_status: ClassVar[int] = 400

    def __init__(self, code: StrEnum, message: str, *, field: str | None = None) -> None:
        # A refusal may quote what was typed; a personal number in it is never shown back in clear (DESIGN §9).
        from .personaldata import personal_data_mask  # imported here: personaldata needs this module

        message = personal_data_mask(message)
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, str | None]:
        return {"code": str(self.code), "message": self.message, "field": self.field}


class CoreErrorCode(StrEnum):
    FORBIDDEN = "forbidden"  # the acting user may not do this here
    NOT_FOUND = "not_found"  # no such object, or outside the user's jurisdiction (the same answer)
    FIELD_REQUIRED = "field_required"  # a required value is empty
    FIELD_NOT_EDITABLE = "field_not_editable"  # the service does not change this field
    UNIT_MOVE_INVALID = "unit_move_invalid"  # a unit cannot move below itself
    ID_NUMBER_MALFORMED = "id_number_malformed"  # 身份证号 not 17 digits and a digit or X
    ID_NUMBER_BIRTH_DATE_INVALID = "id_number_birth_date_invalid"  # its birth date does not exist
    ID_NUMBER_CHECK_DIGIT_WRONG = "id_number_check_digit_wrong"  # GB 11643 check digit
    CREDIT_CODE_MALFORMED = "credit_code_malformed"  # 统一社会信用代码 not 18 allowed characters
    CREDIT_CODE_CHECK_DIGIT_WRONG = "credit_code_check_digit_wrong"  # GB 32100 check digit
    CREDIT_CODE_DUPLICATE = "credit_code_duplicate"  # already registered, or twice in one batch
    CREDIT_CODE_UNKNOWN = "credit_code_unknown"  # not registered and no name given to register it
    USERNAME_TAKEN = "username_taken"
    UNIT_NAME_TAKEN = "unit_name_taken"  # the parent already has a unit of that name
    PASSWORD_TOO_WEAK = "password_too_weak"  # fails AUTH_PASSWORD_VALIDATORS (ASVS 2.1)
    PERIOD_INVALID = "period_invalid"  # a text or date that does not name a reporting period
    AUDIT_IMMUTABLE = "audit_immutable"  # audit rows are append-only
