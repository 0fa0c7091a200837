from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import parse_period


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("As of 2015", date(2015, 12, 31), date(2015, 12, 31)),
        ("In December 2019", date(2019, 12, 1), date(2019, 12, 31)),
        ("end of June 2017", date(2017, 6, 30), date(2017, 6, 30)),
        ("at the end of February 2020", date(2020, 2, 29), date(2020, 2, 29)),
        ("as of the end of 2015", date(2015, 12, 31), date(2015, 12, 31)),
        ("in 2019", date(2019, 1, 1), date(2019, 12, 31)),
        ("July 2010", date(2010, 7, 1), date(2010, 7, 31)),
        ("5 April 1993", date(1993, 4, 5), date(1993, 4, 5)),
        ("April 5, 1993", date(1993, 4, 5), date(1993, 4, 5)),
        ("2019-06-30", date(2019, 6, 30), date(2019, 6, 30)),
        ("between 2012 and 2017", date(2012, 1, 1), date(2017, 12, 31)),
        ("from March 2019 to FY2019", date(2019, 3, 1), date(2020, 3, 31)),
        ("2012-2017", date(2012, 1, 1), date(2017, 12, 31)),
        ("FY2019", date(2019, 4, 1), date(2020, 3, 31)),
        ("fiscal year 2016", date(2016, 4, 1), date(2017, 3, 31)),
        ("as of FY2019", date(2020, 3, 31), date(2020, 3, 31)),
    ],
)
def test_known_answers(text, start, end):
    p = parse_period(text)
    assert (p.start, p.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["", "soon", "2019-13-01", "31 February 2019", "between 2017 and 2012", "Decembr 2019", "as of", "20199"]
)
def test_unreadable_text_raises_naming_it(text):
    with pytest.raises(ValueError, match="cannot read a period") as err:
        parse_period(text)
    assert repr(text) in str(err.value)


years = st.integers(min_value=1950, max_value=2100)
months = st.sampled_from(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)


@given(years, months, st.sampled_from(["as of", "end of", "at the end of", "as of the end of"]))
def test_points_in_time_are_the_last_day_of_the_period(year, month, prefix):
    p = parse_period(f"{prefix} {month} {year}")
    assert p.start == p.end
    assert (p.end + timedelta(days=1)).day == 1


@given(years, months)
def test_a_month_covers_the_whole_month(year, month):
    p = parse_period(f"In {month} {year}")
    assert p.start.day == 1 and (p.end + timedelta(days=1)).day == 1
    assert p.start.month == p.end.month


@given(years, years)
def test_ranges_are_ordered_or_refused(a, b):
    if a <= b:
        p = parse_period(f"between {a} and {b}")
        assert p.start <= p.end
        assert (p.start.year, p.end.year) == (a, b)
    else:
        with pytest.raises(ValueError):
            parse_period(f"between {a} and {b}")


@given(years)
def test_fiscal_year_runs_april_to_march(year):
    p = parse_period(f"FY{year}")
    assert p.start == date(year, 4, 1) and p.end == date(year + 1, 3, 31)
