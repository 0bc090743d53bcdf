"""Chinese numerals and dates: 二○○七年二月八日 → 2007-02-08, 十五 → 15, 零点一五 → 0.15.

The one place numerals are read (extractors, the question grammar). The forms documents
write most (digits, 二○一六, up to 千) are read here directly, fast; anything larger
(万, 亿) goes to cn2an, which costs 0.2 s to import and so is imported only then."""
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
    if any(c in "万亿" for c in s):
        return _by_cn2an(s)
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


def _by_cn2an(s: str) -> Optional[int]:
    import cn2an

    try:
        v = cn2an.cn2an(s.replace("两", "二").replace("〇", "零").replace("○", "零"), "smart")
    except ValueError:
        return None
    return int(v) if float(v).is_integer() else None


def cn_number(s: str) -> Optional[float]:
    """一百二十五 → 125.0, 零点一五 → 0.15; None for a vague range (一两项, 三五年) or a year (二○一六)."""
    whole, _, frac = s.partition("点")
    if frac and not all(c in _DIGIT for c in frac):
        return None
    # 一两项 / 三五年 are vague ranges, not numbers; 二○一六 is a year
    if len(whole) > 1 and not any(c in whole for c in "十百千万亿"):
        return None
    v = cn_int(whole) if whole not in ("零", "〇", "○") else 0
    if v is None:
        return None
    return float(f"{v}.{''.join(str(_DIGIT[c]) for c in frac)}") if frac else float(v)


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
