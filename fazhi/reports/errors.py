"""Error codes of the annual report (workflow, writing together, uploads, PDF), and its errors."""

from __future__ import annotations

from enum import StrEnum

from fazhi.core.errors import FazhiError


class ReportErrorCode(StrEnum):
    SECTION_CONFLICT = "section_conflict"  # someone saved the section after this text was read (409)
    # the report workflow
    NO_DEFINITION = "no_definition"  # the report definition does not validate
    GATE_FAILED = "gate_failed"  # rules or the checker found errors
    NOT_ALLOWED = "not_allowed"  # no such step from the current status, or not by this user
    NO_RUN = "no_run"  # nothing generated yet
    PDF_UNAVAILABLE = "pdf_unavailable"  # LibreOffice is not installed here
    RUN_IMMUTABLE = "run_immutable"  # a generated run is kept as it was generated
    APPROVER_IS_DRAFTER = "approver_is_drafter"  # who generated the run or froze its snapshot cannot approve it
    APPROVAL_STALE = "approval_stale"  # the report was regenerated after approval: approve the new run first
    DATASETS_NOT_LOCKED = "datasets_not_locked"  # the year's data set reports must be locked before approval
    REPORT_FROZEN = "report_frozen"  # approved or published: revise (with a reason) before regenerating
    REASON_REQUIRED = "reason_required"  # revising a published report needs a reason
    # writing together (sections)
    UNKNOWN_SECTION = "unknown_section"  # the report definition has no such section
    OUTSIDE_REPORT = "outside_report"  # the unit is not the report's unit nor below it
    DUPLICATE = "duplicate"  # the unit already holds this section of this report
    REPORT_CLOSED = "report_closed"  # the report is approved or published: its text is frozen
    TEXT_TOO_LONG = "text_too_long"  # longer than a section may be
    EMPTY_TEXT = "empty_text"  # nothing to submit
    COMMENT_REQUIRED = "comment_required"  # returning or commenting needs a comment
    UPLOAD_REJECTED = "upload_rejected"  # the uploaded file cannot be used (message names the file)
    CONTROL_CHARACTER = "control_character"  # the text holds U+0000–U+001F (not tab/newline); message says where


class ReportWorkflowError(FazhiError, ValueError):
    """A report step refused; `gate` holds what blocked it when the code is gate_failed."""

    def __init__(self, code: ReportErrorCode, message: str, *, gate: dict | None = None):
        super().__init__(code, message)
        self.gate = gate or {}


class SectionError(FazhiError, ValueError):
    """A step of writing a section together refused."""

    def __init__(self, code: ReportErrorCode, message: str, *, field: str | None = None):
        super().__init__(code, message, field=field)


class UploadRejected(FazhiError, ValueError):
    """The upload cannot be used (code upload_rejected); the message says why, in Chinese, naming the file."""

    code: ReportErrorCode  # always UPLOAD_REJECTED

    def __init__(self, message: str) -> None:
        super().__init__(ReportErrorCode.UPLOAD_REJECTED, message, field="file")


class PdfUnavailable(FazhiError, RuntimeError):
    """LibreOffice is not installed here (code pdf_unavailable); the message says how to get it."""

    http_status = 503

    def __init__(self, message: str) -> None:
        super().__init__(ReportErrorCode.PDF_UNAVAILABLE, message)


class SectionConflict(SectionError):
    """A save read at an older version than the section now has: nothing is written; `current_text` and
    `current_version` let the page show both texts so nothing typed is lost."""

    http_status = 409

    def __init__(self, *, current_text: str, current_version: int):
        super().__init__(ReportErrorCode.SECTION_CONFLICT,
                         "保存未成功：您打开之后，别人已保存了这一章节。请对照当前内容修改后再保存", field="version")
        self.current_text = current_text
        self.current_version = current_version
