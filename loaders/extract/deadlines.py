"""Deadlines: 到2020年, 2016年6月底前, 年内, 第二季度, 自…起至…止, 30个工作日内, 有效期5年, 每学年.

Each pattern maps a phrase to a :class:`policykg.model.Deadline`:

=================================  ==========================================
2016年6月底前 / 2017年12月31日前     due, that day (M月前 → the day before M月1日)
到2020年 / 2017年底 / 年内 / 明年底  due, 12-31 (年内 → the issue year)
2017年配齐… / 争取2016年…           due, 12-31 (a bare year only where it opens a
                                   clause or follows 争取/确保/…; not 较2010年,
                                   不高于2017年标准, 2017年后, 2021年度)
第二季度 / 上半年                    due, end of the quarter / half
自2016年7月1日起至2017年6月30日止     window_end on the end date (a start alone
                                   — 2021年5月1日起 — is no deadline)
实施期限至2021年12月31日             window_end (有效期至… → validity)
“十三五”期间                        window_end 2020-12-31
30个工作日内 / 自收到之日起20个工作日内 date None, relative_value/unit, anchor
有效期5年                           validity, issue_date + 5 years
每年/每学年 + an action              recurring (yearly / school_year), date None
=================================  ==========================================

A date without a year takes the year written earlier in its sentence, else the
issue year, else the nearest year in the text (then ``uncertain``). Dates inside
《》 (titles) are never deadlines. Word lists: ``data/lexicon/deadlines.json``.
"""
from __future__ import annotations

import bisect
import calendar
import re
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Callable, Optional

from loaders.extract.lexicon import lexicon
from loaders.extract.numerals import cn_int
from loaders.text.normalize import NormText
from policykg.model import Deadline

_Y = r"(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}"
#: words for a year written before a month (明年6月底前): how many years after the year in context
_RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "明年": 1, "次年": 1}
_M = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
_D = r"3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九]"


def _end(tag: str) -> str:
    """A month-precise date that can end a period: 2017年6月30日, 2016年6月底, 6月底, 4月20日.

    Year-precise ends (2017年底, 到2020年) have patterns of their own below."""
    return (rf"(?:(?P<{tag}y>{_Y})年)?(?P<{tag}m>{_M})月份?"
            rf"(?:(?P<{tag}d>{_D})[日号]|(?P<{tag}e>底|末)|(?P<{tag}x>上旬|中旬|下旬))?")


_FULL1 = rf"(?:(?P<y1>{_Y})年)?(?P<m1>{_M})月(?P<d1>{_D})[日号]"
_NUMERAL = r"\d+|[一二三四五六七八九十两半]+"
# the characters a match can open with (a year, a month, a numeral or a cue word): a pattern that opens
# with optional parts is tried at every position; a lookahead on its first character rejects most
# positions at once (same matches: every match opens with one of them)
_FIRST_Y = "0-9〇○零一二三四五六七八九"


def _gated(first: str, pattern: str) -> re.Pattern:
    return re.compile(f"(?=[{first}])(?:{pattern})")


_PATTERNS = [
    ("window", _gated(rf"自从{_FIRST_Y}十", rf"(?:自|从)?{_FULL1}(?:起)?(?:至|到|—|-|~|～)(?P<B>{_end('b')})(?:止)?")),
    ("until", re.compile(rf"(?:至|到)(?P<B>{_end('b')})(?:止|为止)?")),
    ("before", _gated(rf"于在到{_FIRST_Y}十", rf"(?:于|在|到)?(?P<B>{_end('b')})(?:前|之前|以前)")),
    ("plan", _gated(rf"“\"十", r"[“\"]?(?P<plan>十[一二三四五六]五)[”\"]?(?P<when>期间|时期|末)")),
    ("relative", _gated(rf"\d一二三四五六七八九十两半", rf"(?P<n>{_NUMERAL})(?P<u>个工作日|工作日|个自然日|日|天|个月|周|年)(?:内|以内|之内)")),
    ("validity", re.compile(rf"有效期(?:为|是)?(?P<n>{_NUMERAL})(?P<u>年|个月)")),
    ("year_before", _gated(rf"到于在{_FIRST_Y}", rf"(?:到|于|在)?(?P<y>{_Y})年(?:前|以前|之前)")),
    ("year_end", _gated(rf"到至于在{_FIRST_Y}今本当明年", rf"(?:到|至|于|在)?(?:(?P<y>{_Y})|(?P<rel>今|本|当|明)(?:年(?=年))?)?年度?(?P<w>内|底|末)(?:前|之前)?")),
    ("quarter", _gated(rf"{_FIRST_Y}第", rf"(?:(?P<y>{_Y})年)?第?(?P<q>[一二三四1-4])季度(?:末|底|前|内)?")),
    ("half", _gated(rf"{_FIRST_Y}上下", rf"(?:(?P<y>{_Y})年)?(?P<h>上半年|下半年)(?:末|底|前|内)?")),
    ("end_of", _gated(rf"到至于在{_FIRST_Y}十", rf"(?:到|至|于|在)?(?P<B>{_end('b')})")),
    ("year_to", re.compile(rf"(?P<cue>到|至)(?P<y>{_Y})年(?!\d|[一二三四五六七八九十]{{1,2}}月)")),
    ("bare_year", re.compile(rf"(?P<y>(?:19|20)\d{{2}})年(?!\d|[一二三四五六七八九十]{{1,2}}月)")),
    ("recurring", None),  # built from the lexicon
]
# characters a pattern cannot match without (each inner string: one of its characters must occur);
# checked on the block first (one scan for all of them, then bit masks: _patterns), because scanning a
# pattern that opens with optional parts is slow
_REQUIRES = {
    "window": ("月", "至到—-~～"), "until": ("月", "至到"), "before": ("月", "前"), "plan": ("五",),
    "relative": ("内",), "validity": ("期",), "year_before": ("年", "前"), "year_end": ("年", "内底末"),
    "quarter": ("季",), "half": ("半",), "end_of": ("月",), "year_to": ("年", "到至"), "bare_year": ("年",),
}
# a part every match of the pattern holds (the characters around the 前 / 内 / 至 it turns on): a pattern
# is run on a block only when its core occurs there. A core opens with a literal or one character class,
# which re skips to at C speed, while a pattern opening with optional parts is tried at every position
# (most blocks that hold 内 or 年 hold no 30天内 or 年底)
_CORES = {
    "window": re.compile(r"[日号]起?[至到—\-~～]"),  # (…1日起至…: the end of _FULL1, then the dash)
    "before": re.compile(r"[月份日号底末旬][之以]?前"),  # (the last character of _end(), then 前)
    "plan": re.compile(r"十[一二三四五六]五[”\"]?(?:期间|时期|末)"),
    "relative": re.compile(r"[日天月周年][以之]?内"),  # (the last character of each unit, then 内)
    "year_before": re.compile(r"年[以之]?前"),
    "year_end": re.compile(r"年度?[内底末]"),
    "quarter": re.compile(r"[一二三四1-4]季度"),
    "half": re.compile(r"[上下]半年"),
    "end_of": re.compile(r"[0-9一二三四五六七八九十]月"),  # (the last character of each _M form, then 月)
}
_TITLE = re.compile(r"《[^《》\n]{0,100}》")
_YEAR_ANY = re.compile(rf"({_Y})年")
_SENTENCE_END = "。;；!?！？\n"
_CLAUSE_START = set(",，;；。:：!?！？\n、(（ |")
_ITEM_NUMBER = re.compile(r"(?:^|\n)\s*\d{1,3}[.、]$")  # 9.2017年配齐… opens its item


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon("deadlines")


@lru_cache(maxsize=1)
def _recurring_rx() -> re.Pattern:
    words = sorted(_lex()["recurring"], key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def _requirements() -> list[tuple[str, re.Pattern, tuple[str, ...]]]:
    """(name, pattern, required character sets) in order; the recurring words (literal alternatives)
    require one of their first characters."""
    out = []
    for name, rx in _PATTERNS:
        if rx is None:
            out.append((name, _recurring_rx(), ("".join(w[0] for w in _lex()["recurring"]),)))
        else:
            out.append((name, rx, _REQUIRES[name]))
    return out


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern, int, Optional[re.Pattern]]]:
    """(name, pattern, requirement bits, core): one bit per required character set, numbered in order."""
    out, bit = [], 1
    for name, rx, needs in _requirements():
        out.append((name, rx, sum(bit << k for k in range(len(needs))), _CORES.get(name)))
        bit <<= len(needs)
    return out


@lru_cache(maxsize=1)
def _requirement_bits() -> dict[str, int]:
    """Required character -> the bits of the requirements it meets."""
    bits: dict[str, int] = {}
    bit = 1
    for _, _, needs in _requirements():
        for chars in needs:
            for c in chars:
                bits[c] = bits.get(c, 0) | bit
            bit <<= 1
    return bits


@lru_cache(maxsize=1)
def _required_chars() -> re.Pattern:
    """Any character some pattern requires."""
    return re.compile("[" + re.escape("".join(sorted(_requirement_bits()))) + "]")


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


_SENTENCE_SEP = re.compile(r"[。;；!?！？\n]")
_CLAUSE_SEP = re.compile(r"[。;；!?！？\n,，]")


class _Ctx:
    def __init__(self, norm: NormText, start: int, end: int, issue_date: Optional[date]):
        self.s, self.text = norm.match, norm.text
        self.start, self.end, self.issue = start, end, issue_date

    # sentence and clause ends of the block, for bisect lookups (no scanning back per match); found on
    # first use, as most blocks hold no deadline and never ask
    @cached_property
    def clause(self) -> list[int]:
        return [m.start() for m in _CLAUSE_SEP.finditer(self.s, self.start, self.end)]

    @cached_property
    def sent(self) -> list[int]:
        return [m.start() for m in _SENTENCE_SEP.finditer(self.s, self.start, self.end)]

    @staticmethod
    def _before(pos: list[int], p: int, lo: int) -> int:
        k = bisect.bisect_left(pos, p) - 1
        return pos[k] + 1 if k >= 0 else lo

    @staticmethod
    def _after(pos: list[int], p: int, hi: int) -> int:
        k = bisect.bisect_left(pos, p)
        return pos[k] if k < len(pos) else hi

    def sentence_start(self, p: int) -> int:
        return self._before(self.sent, p, self.start)

    def sentence_end(self, p: int) -> int:
        return self._after(self.sent, p, self.end)

    def clause_end(self, p: int) -> int:
        return self._after(self.clause, p, self.end)

    def year(self, p: int) -> tuple[Optional[int], bool]:
        """(year, uncertain) for a date written without its year at p (明年6月底前: the year after the one in
        context; 今年6月底前: that year)."""
        rel = self.s[p - 2:p] if p >= self.start + 2 else ""
        if rel in _RELATIVE_YEARS:
            y, unc = self.year(p - 2)
            return (y + _RELATIVE_YEARS[rel], unc) if y is not None else (None, unc)
        m = self._last_year(self.sentence_start(p), p)
        if m:
            return cn_int(m.group(1)), False
        if self.issue:
            return self.issue.year, False
        m = self._last_year(max(0, p - _lex()["year_in_context_chars"]), p)
        if m:
            return cn_int(m.group(1)), True
        m = self._next_year(p)
        if m:
            return cn_int(m.group(1)), True
        return None, True

    @cached_property
    def _years(self) -> tuple[int, list[int], list[re.Match]]:
        """Every written year (2020年, 二〇二〇年) from the context window before the block to its end, found
        once. A year is five characters with no 年 in its first four, so two never overlap: the last one
        finditer gives in [lo, p) is the last one here starting at lo or later and ending by p (a scan of
        the sentence per date was quadratic in a long sentence of dates)."""
        lo = max(0, self.start - _lex()["year_in_context_chars"])
        found = list(_YEAR_ANY.finditer(self.s, lo, self.end))
        return lo, [m.end() for m in found], found

    def _last_year(self, lo: int, p: int) -> Optional[re.Match]:
        first, ends, found = self._years
        if lo < first or p > self.end:  # outside what was scanned: as before
            ys = list(_YEAR_ANY.finditer(self.s, lo, p))
            return ys[-1] if ys else None
        k = bisect.bisect_right(ends, p) - 1
        return found[k] if k >= 0 and found[k].start() >= lo else None

    def _next_year(self, p: int) -> Optional[re.Match]:
        first, ends, found = self._years
        if p < first:
            return _YEAR_ANY.search(self.s, p, self.end)
        k = bisect.bisect_right(ends, p)  # the first ending after p; it starts at p or later unless it holds p
        while k < len(found) and found[k].start() < p:
            k += 1
        return found[k] if k < len(found) else None


def _resolve_end(m: re.Match, tag: str, ctx: _Ctx, before: bool) -> tuple[Optional[date], bool]:
    """The date of an _end() group; ``before`` for …前 (6月前 → the day before 6月1日)."""
    g = m.groupdict()
    uncertain = False
    y = cn_int(g[f"{tag}y"]) if g.get(f"{tag}y") else None
    if y is None:
        y, uncertain = ctx.year(m.start())
        if y is None:
            return None, True
    mo = cn_int(g[f"{tag}m"]) if g.get(f"{tag}m") else None
    try:
        if mo is None:
            return date(y, 12, 31), uncertain
        if g.get(f"{tag}d"):
            d = date(y, mo, cn_int(g[f"{tag}d"]))
        elif g.get(f"{tag}e"):
            d = _last_day(y, mo)
        elif g.get(f"{tag}x"):
            d = {"上旬": date(y, mo, 10), "中旬": date(y, mo, 20)}.get(g[f"{tag}x"]) or _last_day(y, mo)
        elif before:
            d, uncertain = date(y, mo, 1) - timedelta(days=1), True
        else:
            d = _last_day(y, mo)
    except (TypeError, ValueError):
        return None, True
    # a month-day from the issue year that falls before the issue date belongs to the next year
    if not g.get(f"{tag}y") and ctx.issue and d < ctx.issue and y == ctx.issue.year:
        d = _add_years(d, 1)
    return d, uncertain


def extract_deadlines(norm: NormText, start: int, end: int, *, issue_date: date | None) -> list[Deadline]:
    start, end = max(0, start), min(len(norm.text), end)
    if end <= start:
        return []
    s = norm.match
    # the requirements the block meets, from the required characters it holds (found in one scan): most
    # blocks rule out every pattern
    met, bits = 0, _requirement_bits()
    for c in set(_required_chars().findall(s, start, end)):
        met |= bits[c]
    runnable = [(name, rx) for name, rx, needs, core in _patterns()
                if met & needs == needs and (core is None or core.search(s, start, end) is not None)]
    if not runnable:
        return []
    ctx = _Ctx(norm, start, end, issue_date)
    # characters already used by a deadline (or inside a title): later patterns skip them
    taken = bytearray(end - start)
    for m in _TITLE.finditer(s, start, end):
        taken[m.start() - start:m.end() - start] = b"\x01" * (m.end() - m.start())
    out: list[tuple[int, Deadline]] = []
    for name, rx in runnable:
        handler = _HANDLERS[name]
        for m in rx.finditer(s, start, end):
            a, b = m.start(), m.end()
            if any(taken[a - start:b - start]):
                continue
            if s[max(start, a - 2):a] == "截至" or s[max(start, a - 1):a + 1] == "截至":
                continue  # 截至2020年底: a status date, not a limit
            got = handler(m, ctx)
            if got is None:
                continue
            kind, d, extra = got
            a, b = extra.pop("_a", a), extra.pop("_b", b)
            ta, tb = min(a, m.start()) - start, max(b, m.end()) - start
            taken[ta:tb] = b"\x01" * (tb - ta)
            text = norm.text[a:b].strip()
            out.append((a, Deadline(text=text, span=norm.span(a, b), date=d, kind=kind, **extra)))
    out.sort(key=lambda x: x[0])
    return [d for _, d in out]


def _left(ctx: _Ctx, p: int, n: int = 6) -> str:
    return ctx.s[max(ctx.start, p - n):p]


def _h_window(m, ctx):
    d, unc = _resolve_end(m, "b", ctx, False)
    return "window_end", d, {"uncertain": unc}


def _h_until(m, ctx):
    d, unc = _resolve_end(m, "b", ctx, False)
    left = _left(ctx, m.start(), 8)
    cues = _lex()["window_end_cues"]
    if "有效期" in left:
        return "validity", d, {"uncertain": unc}
    kind = "window_end" if any(c in left for c in cues) else "due"
    return kind, d, {"uncertain": unc}


def _recurring_prefix(m, ctx):
    """每年3月底前 is a yearly limit, not one date: (kind, extra) or None."""
    left = _left(ctx, m.start(), 3)
    for w, rec in _lex()["recurring"].items():
        if left.endswith(w):
            return "recurring", None, {"recurring": rec, "_a": m.start() - len(w)}
    return None


def _h_before(m, ctx):
    rec = _recurring_prefix(m, ctx)
    if rec:
        return rec
    d, unc = _resolve_end(m, "b", ctx, True)
    # 2017年12月31日前，对…暂免征收: the end of a temporary policy
    after = ctx.s[m.end():min(ctx.sentence_end(m.end()), m.end() + 30)]
    if after[:1] in ",，" and any(w in after for w in _lex()["policy_window_words"]):
        return "window_end", d, {"uncertain": unc}
    return "due", d, {"uncertain": unc}


def _h_year_before(m, ctx):
    """2020年前: by the end of 2020 in policy usage (uncertain: it may mean before 2020)."""
    y = cn_int(m.group("y"))
    return ("due", date(y, 12, 31), {"uncertain": True}) if y else None


def _h_plan(m, ctx):
    y = _lex()["five_year_plans"].get(m.group("plan"))
    if not y:
        return None
    return ("due" if m.group("when") == "末" else "window_end"), date(y, 12, 31), {}


def _h_relative(m, ctx):
    lex = _lex()
    if _left(ctx, m.start(), 2).endswith(tuple(lex["relative_not_before"])):
        return None
    n = cn_int(m.group("n")) if m.group("n") != "半" else 0.5
    if n is None:
        return None
    unit = lex["relative_units"][m.group("u")]
    anchor = None
    cs = ctx.sentence_start(m.start())
    clause = ctx.s[cs:m.start()]
    if "之日起" in clause or "起" in clause[-4:]:
        for word, a in lex["anchors"].items():
            if word in clause:
                anchor = a
                break
    a = ctx.s.rfind("自", cs, m.start())
    extra = {"relative_value": float(n), "relative_unit": unit, "anchor": anchor}
    if anchor and a >= 0 and m.start() - a <= 20:
        extra["_a"] = a  # the text runs from 自收到之日起
    return "due", None, extra


def _h_validity(m, ctx):
    n = cn_int(m.group("n"))
    if n is None:
        return None
    d = None
    if ctx.issue:
        if m.group("u") == "年":
            d = _add_years(ctx.issue, n)
        else:
            mm = ctx.issue.month - 1 + n
            y, mo = ctx.issue.year + mm // 12, mm % 12 + 1
            d = date(y, mo, min(ctx.issue.day, calendar.monthrange(y, mo)[1]))
    return "validity", d, {"relative_value": float(n), "relative_unit": "year" if m.group("u") == "年" else "month",
                           "anchor": "issue", "uncertain": d is None}


def _h_year_end(m, ctx):
    left = _left(ctx, m.start(), 1)
    if not m.group("y") and left and (left.isdigit() or left in "一二三四五六七八九十两半近每去上"):
        return None  # 3年内 is relative; 每年 / 去年底 are not this year
    rel = m.group("rel")
    if m.group("y"):
        y, unc = cn_int(m.group("y")), False
    elif rel in ("今", "本", "明") and ctx.issue:  # this / next year: counted from the issue date
        y, unc = ctx.issue.year + (rel == "明"), False
    else:
        y, unc = ctx.year(m.start())
        if rel == "明" and y:
            y, unc = y + 1, True
    if y is None:
        return "due", None, {"uncertain": True}
    return "due", date(y, 12, 31), {"uncertain": unc}


def _h_quarter(m, ctx):
    if _left(ctx, m.start(), 1) in ("每", "本", "各"):
        return None
    q = {"一": 1, "二": 2, "三": 3, "四": 4}.get(m.group("q")) or int(m.group("q"))
    y, unc = (cn_int(m.group("y")), False) if m.group("y") else ctx.year(m.start())
    return "due", (_last_day(y, q * 3) if y else None), {"uncertain": unc or y is None}


def _h_half(m, ctx):
    if _left(ctx, m.start(), 1) in ("每", "本"):
        return None
    y, unc = (cn_int(m.group("y")), False) if m.group("y") else ctx.year(m.start())
    mo = 6 if m.group("h") == "上半年" else 12
    return "due", (_last_day(y, mo) if y else None), {"uncertain": unc or y is None}


def _h_end_of(m, ctx):
    g = m.groupdict()
    if not g.get("be") and not _in_schedule(ctx, m.start()) and not _month_cell(ctx, m):
        return None  # a plain date (2016年6月21日) is no deadline by itself, unless it fills a schedule
    rec = _recurring_prefix(m, ctx)
    if rec:
        return rec
    d, unc = _resolve_end(m, "b", ctx, False)
    return "due", d, {"uncertain": unc}


def _month_cell(ctx: _Ctx, m) -> bool:
    """2023年10月 alone on its line (a table printed one cell per line); a signature date has its day."""
    if m.group("bd") or m.group("bx") or not m.group("by"):
        return False
    before = ctx.s[m.start() - 1] if m.start() > ctx.start else "\n"
    after = ctx.s[m.end()] if m.end() < ctx.end else "\n"
    return before == "\n" and after == "\n"


def _in_schedule(ctx: _Ctx, p: int) -> bool:
    """Does the date at p fill a schedule: after a label (完成时限：) or as a table cell (\t2024年6月)?"""
    left = ctx.s[max(ctx.start, p - 8):p]
    if left.endswith(("\t", "|")):
        return True
    return _schedule_label().search(left) is not None


@lru_cache(maxsize=1)
def _schedule_label() -> re.Pattern:
    words = sorted(_lex()["schedule_labels"], key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, words)) + r")\s*[:：]?\s*$")


def _year_ok_after(ctx: _Ctx, b: int) -> bool:
    after = ctx.s[b:b + 4]
    return not after.startswith(tuple(_lex()["bare_year_not_after"]))


def _h_year_to(m, ctx):
    if not _year_ok_after(ctx, m.end()):
        return None
    left = _left(ctx, m.start(), 4)
    kind = "window_end" if any(left.endswith(c) for c in ("延长", "延期", "延续")) else "due"
    return kind, date(int(m.group("y")) if m.group("y").isdigit() else cn_int(m.group("y")), 12, 31), {}


def _h_bare_year(m, ctx):
    lex = _lex()
    if not _year_ok_after(ctx, m.end()):
        return None
    left = _left(ctx, m.start(), 6)
    if left.endswith(tuple(lex["bare_year_not_before"])):
        return None
    at_start = not left or left[-1] in _CLAUSE_START or _ITEM_NUMBER.search(left)
    verb_after = ctx.s.startswith(tuple(lex["bare_year_verbs_after"]), m.end())
    if not at_start and not verb_after and not left.endswith(tuple(lex["bare_year_before"])):
        return None
    return "due", date(int(m.group("y")), 12, 31), {}


def _h_recurring(m, ctx):
    lex = _lex()
    rest = ctx.s[m.end():ctx.clause_end(m.end())]
    if not any(v in rest[:12] for v in lex["recurring_verbs"]):
        return None
    return "recurring", None, {"recurring": lex["recurring"][m.group(0)]}


_HANDLERS: dict[str, Callable] = {
    "window": _h_window, "until": _h_until, "before": _h_before, "plan": _h_plan, "relative": _h_relative,
    "validity": _h_validity, "year_before": _h_year_before, "year_end": _h_year_end, "quarter": _h_quarter, "half": _h_half,
    "end_of": _h_end_of, "year_to": _h_year_to, "bare_year": _h_bare_year, "recurring": _h_recurring,
}
