"""Dates given as parameters: one coercion, one pair of sentinels for an open window."""
from __future__ import annotations

import datetime
from typing import Any, Optional

from policykg.errors import QueryError

#: the ends of an open window ("all deadlines"): before and after every date a document states
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)
ALL_TIME = (EARLIEST.isoformat(), LATEST.isoformat())


def to_date(value: Any, what: str = "date") -> datetime.date:
    """A date parameter: a date, a datetime or an ISO string (2016-06-30); QueryError otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise QueryError(f"{what}: {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2016-06-30") from None


def iso_or_none(value: Any, what: str = "date") -> Optional[str]:
    """``to_date(value).isoformat()``, or None for None or an empty string (no date given)."""
    return None if value is None or value == "" else to_date(value, what).isoformat()
