"""Chinese numerals and dates: 二○○七年二月八日 → 2007-02-08, 十五 → 15."""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}


def cn_int(s: str) -> Optional[int]:
    """Arabic or Chinese numerals (up to 9999) → int; None when it is not a number."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if all(c in _DIGIT for c in s):  # digit by digit: 二○○七
        return int("".join(str(_DIGIT[c]) for c in s))
    total, cur = 0, 0
    units = {"十": 10, "百": 100, "千": 1000}
    for c in s:
        if c in _DIGIT:
            cur = _DIGIT[c]
        elif c in units:
            total += (cur or 1) * units[c]
            cur = 0
        else:
            return None
    return total + cur


_CN_DATE = re.compile(r"(?P<y>[0-9〇○零一二三四五六七八九]{4})年(?P<m>[0-9一二三四五六七八九十]{1,3})月(?:(?P<d>[0-9一二三四五六七八九十]{1,3})日)?")


def parse_cn_date(s: str) -> Optional[date]:
    m = _CN_DATE.search(s)
    if not m:
        return None
    y, mo = cn_int(m.group("y")), cn_int(m.group("m"))
    d = cn_int(m.group("d")) if m.group("d") else 1
    try:
        return date(y, mo, d)
    except (TypeError, ValueError):
        return None
