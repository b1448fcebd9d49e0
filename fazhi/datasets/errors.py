"""Error codes of the data-set engine, so tests and API clients never depend on translated text."""

from enum import StrEnum

from fazhi.core.errors import FazhiError


class DatasetErrorCode(StrEnum):
    UNKNOWN_DATASET = "unknown_dataset"  # no data set definition has this code
    UNKNOWN_ELEMENT = "unknown_element"  # the data set has no such element
    UNKNOWN_OPTION = "unknown_option"  # a disaggregation or option the element does not have
    VALUE_INVALID = "value_invalid"  # not a number, or not of the element's value type
    VALUE_NEGATIVE = "value_negative"  # counts and amounts cannot be negative
    PARTS_EXCEED_TOTAL = "parts_exceed_total"  # the options of one disaggregation add up to more than the total
    PERIOD_INVALID = "period_invalid"  # the date does not start a period of the data set's type
    UNIT_NOT_REPORTING = "unit_not_reporting"  # this kind of unit does not report the data set
    UNIT_CLOSED = "unit_closed"  # the unit did not exist during the period
    REPORT_LOCKED = "report_locked"  # locked: nothing may change until it is unlocked
    REPORT_NOT_DRAFT = "report_not_draft"  # submitted or approved: values are frozen
    STATUS_NOT_ALLOWED = "status_not_allowed"  # the step is not allowed from the report's status
    REQUIRED_MISSING = "required_missing"  # a required element has no value yet
    REASON_REQUIRED = "reason_required"  # returning a report needs a written reason
    PERIOD_CLOSED = "period_closed"  # the year is closed: only a correction after close, with a reason


class DatasetError(FazhiError, ValueError):
    """A write the data-set engine refuses; `code` is a DatasetErrorCode, `message` is Chinese for people.
    The refused cell is `element` (also the error's `field`) and `disaggregation`."""

    code: DatasetErrorCode  # narrowed from FazhiError's StrEnum: __init__ takes only this app's codes

    def __init__(self, code: DatasetErrorCode, message: str, *, element: str | None = None,
                 disaggregation: str | None = None):
        super().__init__(code, message, field=element)
        self.element = element
        self.disaggregation = disaggregation
