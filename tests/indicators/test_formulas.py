from decimal import Decimal

import pytest

from fazhi.indicators.errors import IndicatorErrorCode
from fazhi.indicators.formulas import (
    BinOp,
    FormulaError,
    Num,
    Term,
    formula_parse,
    formula_refs,
    formula_shifted_refs,
    formula_terms,
)


def test_parse_count_with_filters():
    node = formula_parse("count(people_mediation, basis=closed, outcome=[success, failure], status__not=x)")
    assert node == Term("count", "people_mediation", "", "closed",
                        (("outcome", ("success", "failure"), False), ("status", ("x",), True)))


def test_parse_arithmetic_refs_and_numbers():
    node = formula_parse("(a - prev(a)) / prev(a) * 100")
    assert isinstance(node, BinOp) and node.op == "*" and node.right == Num(Decimal("100"))
    assert formula_refs(node) == {"a"}
    assert sorted(formula_shifted_refs(node)) == [("a", -1), ("a", -1), ("a", 0)]


def test_value_term_and_bool_filter():
    node = formula_parse("value(legal_publicity.events, venue=school) + count(legal_aid, plea_leniency=True)")
    terms = [t for t, _ in formula_terms(node)]
    assert terms[0] == Term("value", "legal_publicity", "events", "opened", (("venue", ("school",), False),))
    assert terms[1].filters == (("plea_leniency", ("true",), False),)


def test_prev_shifts_terms_by_one_year_and_nests():
    node = formula_parse("prev(prev(count(x))) + count(x)")
    assert [years for _, years in formula_terms(node)] == [-2, 0]


@pytest.mark.parametrize(("text", "offset", "code"), [
    ("count(people_mediation", 5, IndicatorErrorCode.FORMULA_SYNTAX),  # points at the unclosed bracket
    ("average(x)", 0, IndicatorErrorCode.FORMULA_UNKNOWN_FUNCTION),
    ("count(x) ** 2", 0, IndicatorErrorCode.FORMULA_UNSUPPORTED),
    ("value(events)", 6, IndicatorErrorCode.FORMULA_ARGUMENT_INVALID),
    ("count(x, basis=sideways)", 15, IndicatorErrorCode.FORMULA_BASIS_INVALID),
    ("stock(x, basis=closed)", 15, IndicatorErrorCode.FORMULA_BASIS_INVALID),
    ("a if b else c", 0, IndicatorErrorCode.FORMULA_UNSUPPORTED),
    ("prev(a, b)", 0, IndicatorErrorCode.FORMULA_ARGUMENT_INVALID),
    ("'text'", 0, IndicatorErrorCode.FORMULA_UNSUPPORTED),
])
def test_errors_have_codes_and_offsets(text, offset, code):
    with pytest.raises(FormulaError) as err:
        formula_parse(text)
    assert (err.value.code, err.value.offset) == (code, offset)
    assert err.value.message  # a Chinese message for the definition's author


def test_python_is_never_evaluated():
    # A formula that would do something if Python evaluated it is just refused.
    with pytest.raises(FormulaError):
        formula_parse("__import__('os').system('true')")
