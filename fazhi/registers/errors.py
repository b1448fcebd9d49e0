"""Error codes of the register engine, so tests and API clients never depend on translated text."""

from enum import StrEnum
from typing import Any

from fazhi.core.errors import FazhiError


class RecordErrorCode(StrEnum):
    UNKNOWN_REGISTER = "unknown_register"  # no register definition has this code
    IMPORT_REJECTED = "import_rejected"  # a bulk import with bad rows: nothing was written
    DUPLICATE_EXTERNAL_ID = "duplicate_external_id"  # another record of the register has this 编号
    UNKNOWN_FIELD = "unknown_field"  # the definition has no such field
    FIELD_REQUIRED = "field_required"  # a required field is empty
    FIELD_INVALID = "field_invalid"  # a value of the wrong type or outside the choices
    # a person, org unit or entity that does not exist or that the acting user may not name (one answer for
    # both, so the refusal does not reveal what exists outside the user's jurisdiction)
    REFERENCE_OUT_OF_JURISDICTION = "reference_out_of_jurisdiction"
    TRANSITION_UNKNOWN = "transition_unknown"  # the definition has no such transition
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"  # not allowed from the record's status
    OUTCOME_REQUIRED = "outcome_required"  # the transition must record an outcome
    OUTCOME_INVALID = "outcome_invalid"  # not one of the transition's outcomes
    NOTE_REQUIRED = "note_required"  # the transition needs a written reason
    CLOCK_UNKNOWN = "clock_unknown"  # the record has no such running clock
    CLOCK_NOT_RUNNING = "clock_not_running"  # stopped, or not started yet
    EXTENSION_NOT_ALLOWED = "extension_not_allowed"  # the law allows no (further) extension
    EXTENSION_TOO_LONG = "extension_too_long"  # longer than the law allows
    SUSPENSION_NOT_ALLOWED = "suspension_not_allowed"  # this clock cannot be suspended
    ALREADY_SUSPENDED = "already_suspended"
    NOT_SUSPENDED = "not_suspended"
    DATE_INVALID = "date_invalid"  # e.g. before the record was opened
    DATE_IN_FUTURE = "date_in_future"  # a date of something that happened, after today
    MINIMUM_PERIOD_NOT_ELAPSED = "minimum_period_not_elapsed"  # a minimum clock blocks the step until a date
    CALENDAR_YEAR_MISSING = "calendar_year_missing"  # a working-day clock runs into a year the calendar lacks
    PERIOD_CLOSED = "period_closed"  # the year is closed: only a correction after close, with a reason
    RECORD_CONFLICT = "record_conflict"  # someone changed the record after this edit read it (409)


class RecordError(FazhiError, ValueError):
    """A write the register refuses; `code` is a RecordErrorCode, `message` is Chinese for people."""

    def __init__(self, code: RecordErrorCode, message: str, *, field: str | None = None):
        super().__init__(code, message, field=field)


class RecordConflict(RecordError):
    """An edit read at an older `version` than the record now has: nothing is written. `current_version`
    and `current` (the record's state now, as `record_state` gives it) let the page show what is stored
    next to what was typed, so nothing typed is lost."""

    http_status = 409

    def __init__(self, *, current_version: int, current: dict[str, Any]):
        super().__init__(RecordErrorCode.RECORD_CONFLICT,
                         "保存未成功：您打开之后，别人已修改了这条记录。请对照当前内容后再保存", field="version")
        self.current_version = current_version
        self.current = current
