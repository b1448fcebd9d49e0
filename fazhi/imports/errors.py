"""Error codes of imports and exports, so tests and API clients never depend on translated text.

Kept as plain classes (a StrEnum and one ValueError) so they can later derive from a shared error base.
"""

from enum import StrEnum


class ImportErrorCode(StrEnum):
    # the file as a whole
    FILE_UNREADABLE = "file_unreadable"  # not a readable .xlsx/.xls/.csv (truncated, corrupt, other format)
    ENCODING_UNKNOWN = "encoding_unknown"  # a .csv that decodes as none of UTF-8, UTF-8-BOM, GB18030
    FORMAT_UNSUPPORTED = "format_unsupported"  # not .xlsx/.xls/.csv
    NO_DATA = "no_data"  # no visible sheet with a header row
    WRONG_REGISTER = "wrong_register"  # the headers are another register's
    COLUMNS_MISSING = "columns_missing"  # a required column is not in the file
    COLUMN_DUPLICATE = "column_duplicate"  # two columns map to the same field
    UNIT_REQUIRED = "unit_required"  # no 承办单位 column and no --unit
    MAPPING_UNKNOWN = "mapping_unknown"
    # one cell or row
    VALUE_INVALID = "value_invalid"  # a value of the wrong type or outside the choices
    VALUE_REQUIRED = "value_required"
    DATE_INVALID = "date_invalid"
    FORMULA_UNCOMPUTED = "formula_uncomputed"  # a formula saved without its value (never recalculated)
    IDENTITY_AS_NUMBER = "identity_as_number"  # an 18-digit number read as a float: digits are lost
    IDENTITY_INVALID = "identity_invalid"  # 身份证号 / 统一社会信用代码 fails its check
    IDENTITY_MASKED = "identity_masked"  # a masked number that is not the one the record holds
    UNIT_UNKNOWN = "unit_unknown"  # no such unit, or outside the jurisdiction (one answer for both)
    UNIT_AMBIGUOUS = "unit_ambiguous"  # a unit name that matches two units
    REFERENCE_UNKNOWN = "reference_unknown"  # no such person/entity the user may name
    DUPLICATE_IN_FILE = "duplicate_in_file"  # the same 编号 twice in one file
    UNIT_CHANGED = "unit_changed"  # an existing record's unit or 受理日期 differs: not changed by an import
    STATE_UNREACHABLE = "state_unreachable"  # a status the register's procedure cannot reach from the record's
    BATCH_REJECTED = "batch_rejected"  # a good row of an all-or-nothing batch that had bad rows
    REGISTER_REFUSED = "register_refused"  # refused by the register service (code of the service in message)
    BATCH_NOT_DRY_RUN = "batch_not_dry_run"  # only a dry run's batch can be committed
    # exports
    EXPORT_TOO_LARGE = "export_too_large"  # more rows than FAZHI_EXPORT_MAX_ROWS: narrow the filters


class ImportFileError(ValueError):
    """A file the importer refuses as a whole; `code` is stable, `message` is Chinese for people."""

    def __init__(self, code: ImportErrorCode, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
