from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.checker.claims import find_claims_in_block, normalize
from fazhi.checker.numerals import parse_number, parse_quantity

CN_DIGITS = "零一二三四五六七八九"
FULLWIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")


def _cn4(n: int, liang: bool) -> str:
    out, pending_zero = "", False
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // place % 10
        if d == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        ch = "两" if liang and d == 2 and place in (1000, 100) else CN_DIGITS[d]
        out += ch + unit
    return out


def to_chinese(n: int, liang: bool = False, short_ten: bool = True) -> str:
    """Write n (< 10^12) in Chinese numerals, the way reports do."""
    if n == 0:
        return "零"
    yi, wan, rest = n // 10**8, n // 10**4 % 10**4, n % 10**4
    out = ""
    if yi:
        out += _cn4(yi, liang) + "亿"
    if wan:
        if out and wan < 1000:
            out += "零"
        out += _cn4(wan, liang) + "万"
    if rest:
        if out and rest < 1000:
            out += "零"
        out += _cn4(rest, liang)
    if short_ten and out.startswith("一十"):
        out = out[1:]
    return out


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一千二百九十五", 1295), ("两", 2), ("〇", 0), ("零", 0), ("二〇二四", 2024), ("十五", 15),
        ("一百零五", 105), ("两千零五", 2005), ("一亿二千万", 120000000), ("十二万", 120000),
        ("1.5万", 15000), ("5275.57万", Decimal("52755700")), ("1,234.5", Decimal("1234.5")),
        ("１２９５", 1295), ("３.６万", 36000), ("千", 1000), ("一亿零五", 100000005),
    ],
)
def test_parse_number_examples(text, value):
    assert parse_number(text) == Decimal(value)


def test_wan_decimals_are_exact():
    # cn2an-style float handling truncates this; Decimal keeps every digit.
    assert parse_number("1.23456万") == Decimal("12345.6")
    assert parse_number("0.000123亿") == Decimal("12300")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("99.69%", "99.69", "%"), ("３５.９％", "35.9", "%"), ("百分之三十", "30", "%"), ("八成", "8", "成"),
        ("4成", "4", "成"), ("千分之五", "5", "‰"),
    ],
)
def test_parse_quantity_forms(text, value, unit):
    q = parse_quantity(text)
    assert q is not None and q.value == Decimal(value) and q.unit == unit


def test_fraction():
    q = parse_quantity("三分之一")
    assert q is not None and q.unit == "分之" and q.value == Decimal(1) / Decimal(3)


integers = st.integers(min_value=0, max_value=999_999_999_999)


@given(integers)
def test_roundtrip_arabic_and_fullwidth(n):
    assert parse_number(str(n)) == n
    assert parse_number(str(n).translate(FULLWIDTH)) == n
    assert parse_number(f"{n:,}") == n


@given(integers, st.booleans(), st.booleans())
def test_roundtrip_chinese(n, liang, short_ten):
    assert parse_number(to_chinese(n, liang, short_ten)) == n


@given(st.integers(min_value=10, max_value=10**9))
def test_roundtrip_digit_by_digit(n):
    assert parse_number("".join("〇一二三四五六七八九"[int(c)] for c in str(n))) == n


decimals = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999"), places=4, allow_nan=False)


@given(decimals, st.sampled_from(["万", "亿"]), st.booleans())
def test_roundtrip_wan_yi_decimals(d, mult, fullwidth):
    text = f"{d}{mult}"
    if fullwidth:
        text = text.translate(FULLWIDTH)
    assert parse_number(text) == d * (10**4 if mult == "万" else 10**8)


@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False), st.booleans())
def test_roundtrip_percent(d, fullwidth):
    text = f"{d}%"
    if fullwidth:
        text = text.translate(FULLWIDTH)
    q = parse_quantity(text)
    assert q is not None and q.unit == "%" and q.value == d


@given(st.integers(min_value=0, max_value=100))
def test_roundtrip_baifenzhi(n):
    q = parse_quantity("百分之" + to_chinese(n))
    assert q is not None and q.unit == "%" and q.value == n


@given(st.integers(min_value=1, max_value=10))
def test_roundtrip_cheng(n):
    q = parse_quantity(to_chinese(n) + "成")
    assert q is not None and q.unit == "成" and q.value == n


@given(st.integers(min_value=2, max_value=1000), st.integers(min_value=1, max_value=1000))
def test_roundtrip_fenzhi(den, num):
    q = parse_quantity(f"{to_chinese(den)}分之{to_chinese(num)}")
    assert q is not None
    if den == 100:
        assert q.unit == "%" and q.value == num
    elif den == 1000:
        assert q.unit == "‰" and q.value == num
    else:
        assert q.unit == "分之" and q.value == Decimal(num) / Decimal(den)


@given(
    st.one_of(
        integers.filter(lambda n: n > 1).map(lambda n: (str(n), n)),
        integers.filter(lambda n: n > 1).map(lambda n: (str(n).translate(FULLWIDTH), n)),
        st.integers(min_value=2, max_value=10**11).map(lambda n: (to_chinese(n, liang=True), n)),
        decimals.map(lambda d: (f"{d}万", d * 10**4)),
    )
)
def test_claims_roundtrip_in_a_sentence(pair):
    written, value = pair
    text = f"全年受理各类案件{written}件，办结率百分之九十八。"
    norm = normalize(text)
    claims = find_claims_in_block(text, norm, 0, 0, len(text), [(0, len(text))], 0, None, 1)
    assert [c.value for c in claims] == [value, Decimal(98)]
    assert claims[0].text == f"{written}件" and claims[0].unit == "件"
