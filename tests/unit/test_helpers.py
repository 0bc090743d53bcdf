"""The one-of-each helpers of the ground floor and the numerals module (issue 10, item 5)."""
from __future__ import annotations

import datetime

import pytest

from loaders.extract.numerals import cn_int, cn_number
from policykg.dates import ALL_TIME, EARLIEST, LATEST, iso_or_none, to_date
from policykg.errors import QueryError
from policykg.ids import natural_key


@pytest.mark.parametrize("value,expected", [
    ("2016-06-30", datetime.date(2016, 6, 30)), (" 2016-06-30 ", datetime.date(2016, 6, 30)),
    (datetime.date(2016, 6, 30), datetime.date(2016, 6, 30)),
    (datetime.datetime(2016, 6, 30, 12, 0), datetime.date(2016, 6, 30)),
])
def test_to_date(value, expected):
    assert to_date(value) == expected


@pytest.mark.parametrize("value", ["2016年6月", "2016-13-01", "", None])
def test_to_date_refuses_what_is_no_iso_date(value):
    with pytest.raises(QueryError, match="on: .* is not a date; write it as YYYY-MM-DD"):
        to_date(value, "on")


def test_iso_or_none_and_the_open_window():
    assert iso_or_none(None) is None and iso_or_none("") is None
    assert iso_or_none(datetime.date(2021, 6, 25)) == "2021-06-25"
    assert ALL_TIME == (EARLIEST.isoformat(), LATEST.isoformat()) == ("1900-01-01", "2999-12-31")


def test_natural_key_orders_numbers_as_numbers():
    ids = ["g-d10-t1", "g-d2-t10", "g-d2-t9", "g-d1", "g-d2"]
    assert sorted(ids, key=natural_key) == ["g-d1", "g-d2", "g-d2-t9", "g-d2-t10", "g-d10-t1"]


@pytest.mark.parametrize("text,expected", [
    ("15", 15), ("十五", 15), ("十", 10), ("二十", 20), ("一百二十五", 125), ("一千零五", 1005), ("两", 2),
    ("二○○七", 2007), ("二〇一六", 2016), ("一万五千", 15000), ("三亿", 300000000), ("", None), ("第三", None),
])
def test_cn_int(text, expected):
    assert cn_int(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("一百二十五", 125.0), ("零点一五", 0.15), ("三点五", 3.5), ("一万", 10000.0),
    ("三五", None), ("一两", None), ("二○一六", None),  # a vague range, a year
])
def test_cn_number(text, expected):
    assert cn_number(text) == expected
