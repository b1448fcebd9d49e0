import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.core.errors import CoreErrorCode
from fazhi.core.identity import (
    IdentityError,
    credit_code_check_digit,
    credit_code_mask,
    credit_code_normalize,
    id_number_check_digit,
    id_number_mask,
    id_number_normalize,
)

# A published GB 11643 example number and well-known valid 统一社会信用代码 structure.
VALID_ID = "11010519491231002X"


def test_valid_id_number_with_x_check_digit():
    assert id_number_normalize(VALID_ID.lower()) == VALID_ID


def test_wrong_check_digit_is_refused_with_reason():
    with pytest.raises(IdentityError) as err:
        id_number_normalize("110105194912310021")
    assert err.value.code == CoreErrorCode.ID_NUMBER_CHECK_DIGIT_WRONG


@pytest.mark.parametrize("bad", ["", "12345", "1101051949123100XX", "110105194913310028"])
def test_malformed_id_numbers(bad):
    with pytest.raises(IdentityError):
        id_number_normalize(bad)


def test_impossible_birth_date_is_refused():
    first17 = "11010519490230002"  # 30 February
    with pytest.raises(IdentityError) as err:
        id_number_normalize(first17 + id_number_check_digit(first17))
    assert err.value.code == CoreErrorCode.ID_NUMBER_BIRTH_DATE_INVALID


@given(st.integers(min_value=0, max_value=10**8 - 1), st.dates())
def test_generated_numbers_validate_and_any_single_digit_change_fails(serial, born):
    first17 = f"2104{serial % 100:02d}{born:%Y%m%d}{serial % 1000:03d}"
    if born.year < 1000:
        return
    number = first17 + id_number_check_digit(first17)
    assert id_number_normalize(number) == number
    changed = str((int(number[14]) + 1) % 10)
    mutated = number[:14] + changed + number[15:]
    with pytest.raises(IdentityError):
        id_number_normalize(mutated)


def test_id_number_mask_keeps_region_and_tail_only():
    assert id_number_mask(VALID_ID) == "110105********002X"
    assert "19491231" not in id_number_mask(VALID_ID)


def test_credit_code_check_digit_round_trip():
    first17 = "91210400MA0QC1234"
    code = first17 + credit_code_check_digit(first17)
    assert credit_code_normalize(code.lower()) == code
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(IdentityError) as err:
        credit_code_normalize(wrong)
    assert err.value.code == CoreErrorCode.CREDIT_CODE_CHECK_DIGIT_WRONG
    assert credit_code_mask(code) == code[:8] + "******" + code[14:]


def test_known_credit_code():
    # A real published code (华为技术有限公司) must validate.
    assert credit_code_normalize("914403001922038216") == "914403001922038216"


def test_credit_code_refuses_forbidden_letters():
    with pytest.raises(IdentityError):
        credit_code_normalize("9144030019220382IO")
