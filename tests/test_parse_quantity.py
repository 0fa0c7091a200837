import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import parse_quantity
from analysis.parse.quantity import APPROXIMATE, HEDGES, NEAR
from analysis.vocabulary import QUALIFIERS


@pytest.mark.parametrize(
    "text, value, low, high, unit, qualifier",
    [
        ("192,655", 192655, 192655, 192655, "count", "none"),
        ("328,360", 328360, 328360, 328360, "count", "none"),
        ("410,000", 410000, 405000, 415000, "count", "none"),
        ("46.2%", 46.2, 46.15, 46.25, "percent", "none"),
        ("42 per cent", 42, 41.5, 42.5, "percent", "none"),
        ("9.2 percent", 9.2, 9.15, 9.25, "percent", "none"),
        ("about 15%", 15, 14.25, 15.75, "percent", "approximate"),
        ("approx. 171", 171, 162.45, 179.55, "count", "approximate"),
        ("around 1.5 million", 1.5e6, 1.425e6, 1.575e6, "count", "approximate"),
        ("nearly 2,000", 2000, 1800, 2000, "count", "near_upper"),
        ("just under a third", 100 / 3, 30, 100 / 3, "percent", "near_upper"),
        ("less than a quarter", 25, 0, 25, "percent", "upper"),
        ("just over 5,000", 5000, 5000, 5500, "count", "near_lower"),
        ("over 300", 300, 300, math.inf, "count", "lower"),
        ("one in 5", 20, 20, 20, "percent", "none"),
        ("almost half of 410,000", 205000, 182250, 207500, "count", "near_upper"),
        ("46.2% of 192,655", 0.462 * 192655, 0.4615 * 192655, 0.4625 * 192655, "count", "none"),
        ("every 3 years", 3, 3, 3, "years", "none"),
        ("up to five years", 5, 0, 5, "years", "upper"),
    ],
)
def test_known_answers(text, value, low, high, unit, qualifier):
    q = parse_quantity(text)
    assert (q.unit, q.qualifier) == (unit, qualifier)
    assert q.value == pytest.approx(value)
    assert q.low == pytest.approx(low)
    assert q.high == pytest.approx(high)


@pytest.mark.parametrize(
    "text",
    ["4O%", "12,34,5", "", "   ", "1,2345", "about", "half of", "lots", "15%%", "12.3.4", "one in 0", "40% of 12%"],
)
def test_unreadable_text_raises_naming_it(text):
    with pytest.raises(ValueError, match="cannot read a quantity") as err:
        parse_quantity(text)
    assert repr(text) in str(err.value)


counts = st.integers(min_value=1, max_value=10**9)
hedges = st.sampled_from([words for words, _ in HEDGES] + [""])


@given(counts, hedges)
def test_interval_always_holds_the_value(n, hedge):
    q = parse_quantity(f"{hedge} {n:,}".strip())
    assert q.low <= q.value <= q.high
    assert q.value == n
    assert q.qualifier in QUALIFIERS


@given(counts)
def test_thousands_separators_do_not_change_the_figure(n):
    assert parse_quantity(f"{n:,}") == parse_quantity(str(n)).__class__(
        **{**parse_quantity(str(n)).__dict__, "text": f"{n:,}"}
    )


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=1, max_value=3))
def test_decimal_percent_interval_is_half_the_last_digit(units, decimals):
    value = units / 10**decimals
    q = parse_quantity(f"{value:.{decimals}f}%")
    assert q.high - q.low == pytest.approx(10.0**-decimals)
    assert q.unit == "percent"


@given(counts)
def test_hedges_widen_in_the_direction_the_words_say(n):
    plain = parse_quantity(f"{n:,}")
    assert parse_quantity(f"about {n:,}").low <= plain.low
    assert parse_quantity(f"about {n:,}").high >= plain.high
    assert parse_quantity(f"almost {n:,}").high == n
    assert parse_quantity(f"just over {n:,}").low == n
    assert parse_quantity(f"almost {n:,}").low == pytest.approx(n * (1 - NEAR))
    assert parse_quantity(f"more than {n:,}").high == math.inf
    assert parse_quantity(f"fewer than {n:,}").low == 0
    assert parse_quantity(f"approximately {n:,}").high >= n * (1 + APPROXIMATE) - 1e-6


@given(st.sampled_from(["half", "a third", "a quarter", "one in 4", "12.5%"]), counts)
def test_compound_lies_within_the_product_of_its_parts(share, n):
    s, c = parse_quantity(share), parse_quantity(f"{n:,}")
    q = parse_quantity(f"{share} of {n:,}")
    assert q.unit == "count"
    assert q.low == pytest.approx(s.low / 100 * c.low)
    assert q.high == pytest.approx(s.high / 100 * c.high)
    assert q.low <= q.value <= q.high


@given(st.text(alphabet="abcxyz!?#", min_size=1, max_size=12))
def test_words_that_are_not_figures_raise(text):
    with pytest.raises(ValueError):
        parse_quantity(text)
