"""Error codes of the indicator engine (formulas, the registry), so tests never match Chinese text."""

from __future__ import annotations

from enum import StrEnum


class IndicatorErrorCode(StrEnum):
    UNKNOWN_INDICATOR = "unknown_indicator"  # no indicator definition has this code
    FORMULA_SYNTAX = "formula_syntax"  # not an expression at all (unclosed bracket …)
    FORMULA_UNSUPPORTED = "formula_unsupported"  # Python that is not part of the formula language
    FORMULA_UNKNOWN_FUNCTION = "formula_unknown_function"  # a function other than count/sum/stock/distinct/value/prev
    FORMULA_ARGUMENT_INVALID = "formula_argument_invalid"  # a function given the wrong arguments
    FORMULA_BASIS_INVALID = "formula_basis_invalid"  # basis= not allowed for this function
    FORMULA_FIELD_REQUIRED = "formula_field_required"  # distinct() without field=
