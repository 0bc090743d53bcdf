"""Bounds a regulation sets: fines, multiples and periods, each bound its own target.

    处一万元以上五万元以下罚款   → (>= 10000 元), (<= 50000 元)
    并处违法所得5倍以上10倍以下的罚款 → (>= 5 倍), (<= 10 倍)
    暂停其6个月以上1年以下执业活动 → (>= 6 个月), (<= 1 年)
    处一百元至二千元的罚款       → (>= 100 元), (<= 2000 元)
    可以处5万元以下的罚款         → (<= 50000 元)

Money is converted to 元 (万元 → ×10 000). Kind ``policy_parameter``; the metric is the
clause before the bound (the offence). Used on regulations, where the general target
extractor reads 5万元以上 as one goal in 万元.
"""
from __future__ import annotations

import re
from typing import Optional

from loaders.extract.numerals import cn_int
from loaders.text.normalize import NormText
from policykg.model import Target

_NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+"
_UNIT = r"万元|亿元|千元|元|倍|个月|年|日|天|人|%"
_RANGE = re.compile(rf"(?P<a>{_NUM})(?P<ua>{_UNIT})?(?:以上|至|到|—|-|~)(?P<b>{_NUM})(?P<ub>{_UNIT})(?P<below>以下)?")
_UPPER = re.compile(rf"(?P<b>{_NUM})(?P<ub>万元|亿元|千元|元)以下(?:的)?罚款")
# a single lower bound on a period or a number of people: 由两人以上进行, 具有三年以上的工作经验
_LOWER = re.compile(rf"(?:(?:不得少于|不少于|至少|最少)(?P<b>{_NUM})(?P<ub>年|个月|人|名)(?!以[上下])"
                    rf"|(?<![\d零〇一二两三四五六七八九十百千万])(?P<a>{_NUM})(?P<ua>年|个月|人|名)以上)"
                    rf"(?!\d|[零〇一二两三四五六七八九十])")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_MONEY = {"万元": 10000, "亿元": 100000000, "千元": 1000, "元": 1}
_CLAUSE_STOP = ",;。:，；：\n"


def number(s: str) -> Optional[float]:
    """5 → 5.0, 1.5 → 1.5, 一万 → 10000.0, 二千 → 2000.0."""
    if _DECIMAL.fullmatch(s):
        return float(s)
    n = cn_int(s)
    return float(n) if n is not None else None


def normalise(value: float, unit: str) -> tuple[float, str]:
    """Money in 元; other units as written."""
    if unit in _MONEY:
        return value * _MONEY[unit], "元"
    return value, unit


_ANCHOR = re.compile(r"以下|以上|少于|至少|最少|至|到|—|-|~")
_STOPS = ",;。，；：:\n"
_STOP_RX = re.compile("[" + re.escape(_STOPS) + "]")


def bounds_in(s: str) -> list[tuple[int, int, str, float, str, bool]]:
    """(start, end, comparator, value, unit, replaces) of each bound written in ``s``; ``replaces``: a
    range or a fine, which the general target reader gets wrong (5万元以上 in 万元, one goal), so the
    bound replaces what it read from the clause; a single lower bound on a period or a head count
    (两人以上, 不少于3年) only adds to it."""
    out = []
    done = -1
    for m in _ANCHOR.finditer(s):  # only clauses with a range word are read closely
        if m.start() < done:
            continue
        # after the last stop before the anchor: the previous clause's end is one, so look back only to it
        # (a find of every stop character from the start of the text, per anchor, was quadratic)
        a = max(s.rfind(c, max(done, 0), m.start()) for c in _STOPS) + 1
        stop = _STOP_RX.search(s, m.end())  # the first stop after the anchor
        b = stop.start() if stop else len(s)
        done = b
        out.extend((x + a, y + a, comp, v, u, r) for x, y, comp, v, u, r in _bounds_in_clause(s[a:b]))
    return out


def _bounds_in_clause(s: str) -> list[tuple[int, int, str, float, str, bool]]:
    out = []
    taken: list[tuple[int, int]] = []
    for m in _RANGE.finditer(s):
        sep = s[m.end("ua") if m.group("ua") else m.end("a"):m.start("b")]
        if sep in ("至", "到", "—", "-", "~") and m.group("ub") not in _MONEY and m.group("ub") != "倍":
            continue  # 2016年至2020年: a period, not a bound
        if sep == "以上" and not m.group("below"):
            continue
        a, b = number(m.group("a")), number(m.group("b"))
        if a is None or b is None:
            continue
        ua = m.group("ua") or m.group("ub")
        va, una = normalise(a, ua)
        vb, unb = normalise(b, m.group("ub"))
        out.append((m.start(), m.end(), ">=", va, una, True))
        out.append((m.start(), m.end(), "<=", vb, unb, True))
        taken.append((m.start(), m.end()))
    for m in _UPPER.finditer(s):
        if any(x <= m.start() < y for x, y in taken):
            continue
        v = number(m.group("b"))
        if v is not None:
            vb, unb = normalise(v, m.group("ub"))
            out.append((m.start(), m.end(), "<=", vb, unb, True))
    for m in _LOWER.finditer(s):
        if any(x <= m.start() < y for x, y in taken):
            continue
        v, unit = number(m.group("a") or m.group("b")), m.group("ua") or m.group("ub")
        if v is not None and not (unit == "年" and v >= 100):  # (2020年以上: a year, not a period)
            out.append((m.start(), m.end(), ">=", v, unit, False))
    return sorted(out, key=lambda b: b[0])


def extract_bounds(norm: NormText, start: int, end: int, *, doc_id: str,
                   id_prefix: str) -> tuple[list[Target], list[Target]]:
    """The bounds of ``norm.text[start:end]`` as targets: (those that replace the general reading of
    their clause, those that only add to it); see :func:`bounds_in`."""
    match, text = norm.match, norm.text
    out: list[Target] = []
    adding: list[Target] = []
    for a, b, comp, value, unit, replaces in bounds_in(match[start:end]):
        a, b = a + start, b + start
        cs = a
        while cs > start and match[cs - 1] not in _CLAUSE_STOP:
            cs -= 1
        ce = b
        while ce < end and match[ce] not in _CLAUSE_STOP:
            ce += 1
        ms = cs
        while ms > start and match[ms - 1] not in ";；。\n":  # the offence: the sentence before the bound
            ms -= 1
        clause = re.sub(r"\s+", "", text[cs:ce])
        (out if replaces else adding).append(Target(
            id=f"{id_prefix}{len(out) + len(adding) + 1}", doc_id=doc_id, text=clause,
            metric=re.sub(r"\s+", "", text[ms:cs]).rstrip(",，") or clause, comparator=comp,
            value=value, unit=unit, span=norm.span(cs, ce), kind="policy_parameter"))
    return out, adding
