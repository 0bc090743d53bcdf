"""Quantitative targets: 住房公积金使用率保持在80%以上 → (住房公积金使用率, >=, 80, %).

A target is a number with a unit inside one clause (text between , ; 。 : and line
breaks, not counting those inside parentheses). Around the number we read:

* the comparator, from a cue right after the unit (以上, 以内, 左右) or else the
  nearest cue before it in the clause (不低于, 超过, 控制在 …); post cues win;
* the metric, the noun phrase before the number (or, for counts such as
  100个示范中心, the counted noun after it);
* the year, from the nearest 到2020年 / 2017年 / “十三五” earlier in the same
  paragraph, else ``default_year``;
* the kind: ``policy_parameter`` for subsidies, tax rates and thresholds.

Numbers that are not targets are dropped: years and dates, 第X, numbers inside
《》 “” () 〔〕 (titles, slogans, notes), document counts (5个专项工作方案),
thresholds that only qualify another target (面积为90平方米及以下的), deadlines
(30个工作日内) and the "from" value of 由6%降至5%. Ranges (0.15%—0.2%,
260-300万人次) give two targets (>= lower, <= upper); 各1个 after a list gives one
target per listed item. All word lists live in ``data/lexicon/targets.json``.
"""
from __future__ import annotations

import bisect
import re
from functools import cached_property, lru_cache
from typing import Optional

from loaders.extract.lexicon import lexicon
from loaders.extract.numerals import cn_number
from loaders.text.scanning import finditer_from, first_chars, search_from
from loaders.text.normalize import NormText
from policykg.model import Target

_CLAUSE_END = set(",;。:!?，；：！？\n|\t")
_CLAUSE_END_RX = re.compile("[" + re.escape("".join(sorted(_CLAUSE_END))) + "]")
_NEWLINE_RX = re.compile("\n")
_SENTENCE_END_RX = re.compile("[。;；!?！？\n]")
# 《》 “” ‘’ () （） 〔〕 【】 [] regions, one level, bounded so that an unbalanced
# bracket cannot swallow the rest of a document
_PROTECTED = re.compile(
    r"《[^《》\n]{0,100}》|“[^“”\n]{0,30}”|‘[^‘’\n]{0,30}’|\([^()\n]{0,80}\)|（[^（）\n]{0,80}）"
    r"|〔[^〔〕\n]{0,20}〕|【[^【】\n]{0,40}】|\[[^\[\]\n]{0,20}\]|<[^<>\n]{0,80}>")
_PAREN = re.compile(r"\([^()\n]{0,200}\)|（[^（）\n]{0,200}）")
_NUM = re.compile(
    r"(?P<per>[百千万])分之(?P<pct>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百点]+)"
    r"|(?P<ar>\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<cn>[零〇○一二两三四五六七八九十百千]+(?:点[零〇○一二三四五六七八九]+)?)")
_YEAR_MENTION = re.compile(
    r"(?P<y>(?:19|20)\d{2})年(?![0-9一二三四五六七八九十]{1,2}月|度|以来|—|-|~)"
    r"|[“\"]?(?P<plan>十[一二三四五六]五)[”\"]?(?:期间|时期|末|规划期)")
# what a match of each opens with (both are tried at every position by a plain search: scanning.py)
_NUM_FIRST, _YEAR_MENTION_FIRST = first_chars(_NUM), first_chars(_YEAR_MENTION)
_MARKER = re.compile(r"\s*(?:\d{1,3}[、.．](?!\d)|[(（](?:\d{1,3}|[一二三四五六七八九十]{1,3})[)）]|[一二三四五六七八九十]{1,3}、"
                     r"|第[一二三四五六七八九十百零〇]+[条章])")
_TRAILING_PARTICLES = "的为在了按是达:：、"  # stripped from a metric's end
_EVENLY = re.compile(r"(?<![人平年日月])均")
_LIST_SEPARATOR = re.compile(r"[、和及与]")
_YEAR_CONTEXT_FIELD = re.compile(r"^(?:到|至)?(?:19|20)\d{2}年(?:底|末)?[,，]?|^[“\"]?十[一二三四五六]五[”\"]?(?:期间|时期|末)[,，]?")


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon("targets")


@lru_cache(maxsize=None)
def _words(key: str) -> tuple[str, ...]:
    """A word list of the lexicon as a tuple (for startswith / endswith)."""
    return tuple(_lex()[key])


@lru_cache(maxsize=1)
def _rx() -> dict:
    """Compiled patterns built from the lexicon (once per process)."""
    lex = _lex()
    cmp_ = lex["comparators"]

    def alt(words) -> str:
        return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))

    return {
        "unit": re.compile(rf"(?P<mag>{alt(lex['magnitudes'])})?(?P<unit>{alt(lex['units'] + lex['blocked_units'])})"),
        "mag_people": re.compile(rf"(?P<mag>{alt(lex['magnitudes'])})[^,，。;；、\d]{{0,6}}?(?:{alt(lex['people_nouns'])})"),
        "pre": re.compile(alt(list(cmp_["pre"]) + cmp_["false_friends"])),
        "post": re.compile(alt(cmp_["post"])),
        "range": re.compile(rf"\s*(?:{alt(lex['range_dashes'])})\s*(?=\d)"),
        "slash": re.compile(rf"/(?P<per>{alt(lex['per_units'])})"),
        "per": re.compile(rf"每(?P<per>{alt(lex['per_units'])})[^,，。;；\d]{{0,8}}$"),
        "doc_noun": re.compile(rf"^[^,，。;；:：\d]{{0,8}}?(?:{alt(lex['document_nouns'])})"),
        "to_value": re.compile(alt(lex["to_value_cues"])),
        "strip": re.compile(rf"^(?:{alt(lex['strip_metric_prefix'])})+"),
        "ratio_cue": re.compile(rf"\s*的?(?P<noun>{alt(lex['ratio_nouns'])})"),
        # any of the words, anywhere (for `any(w in text for w in words)` without a pass per word)
        "achievement": re.compile(alt(lex["achievement_cues"])),
        "kind_strong": re.compile(alt(lex["kind"]["strong"])),
        "kind_weak": re.compile(alt(lex["kind"]["weak"])),
    }


@lru_cache(maxsize=1)
def _followers() -> dict[str, re.Pattern]:
    """What may stand right after a number that _read_number can read, by the number's group: the first
    character of a unit that is not blocked (one only blocked units open with, 月 日 号 批 级, gives none) or
    of a magnitude; for arabic numbers also a between cue (3余万人), a range dash or the spaces before it."""
    lex, rx = _lex(), _rx()
    unit = "[" + re.escape("".join(sorted({w[0] for w in lex["units"] + lex["magnitudes"]}))) + "]"
    between = "".join(c for c in lex["comparators"]["between"] if len(c) == 1)
    arabic = [unit, first_chars(rx["mag_people"]).pattern, first_chars(rx["range"]).pattern]
    if between:
        arabic.append("[" + re.escape(between) + "]")
    return {"cn": re.compile(unit), "ar": re.compile("|".join(arabic))}


def _may_read(s: str, m: re.Match, end: int) -> bool:
    """False when _read_number is sure to find no target at number match m: nothing after it can start a
    unit it reads, or it is a year (2016年, a number of 年 from 1000 on) with no range after its 年."""
    group, p = m.lastgroup, m.end()
    if group == "pct":
        return True
    if not _followers()[group].match(s, p, end):
        return False
    if group == "ar" and s.startswith("年", p, end) and float(m.group("ar").replace(",", "")) >= 1000:
        return _rx()["range"].match(s, p + 1, end) is not None  # (2016年-2020年 is read as a range)
    return True


@lru_cache(maxsize=1)
def _unit_blockers() -> dict[str, tuple[str, ...]]:
    return {unit: tuple(words) for unit, words in _lex()["unit_blockers"].items()}


def _starts(rx: re.Pattern, s: str, start: int, end: int) -> list[int]:
    return [m.start() for m in rx.finditer(s, start, end)]


def _outside(positions: list[int], parens: list[tuple[int, int]]) -> list[int]:
    """The sorted positions that lie inside no bracket pair (a, b) (a < p < b - 1), by bisection: the
    pairs do not overlap, so the positions between them are kept in slices."""
    if not parens:
        return positions
    out: list[int] = []
    k = 0
    for a, b in parens:
        lo = bisect.bisect_left(positions, a + 1, k)
        out.extend(positions[k:lo])
        k = max(lo, bisect.bisect_left(positions, b - 1, lo))
    out.extend(positions[k:])
    return out


class _Scan:
    """Per-call view of ``norm`` restricted to [start, end): clause and bracket lookups.

    Clauses, sentences, bracket regions and the years that date a number never cross a line (a newline
    ends a clause and a sentence, brackets and year mentions hold none), so those are found line by line,
    on the first question about a line: most lines hold no number to ask about."""

    def __init__(self, norm: NormText, start: int, end: int):
        self.s = norm.match  # Simplified copy, same length as norm.text
        self.start, self.end = start, end
        self._clause_ends: dict[int, list[int]] = {}  # line number -> its clause ends (not in parentheses)
        self._sentence_ends: dict[int, list[int]] = {}
        self._years: dict[int, tuple[list[int], list[int]]] = {}  # line number -> (positions, years)
        self._protected: dict[int, tuple[list[int], list[int]]] = {}  # line number -> bracket regions' starts, ends
        self._last_line = (-1, 1, 0)  # the line last asked about (questions come in runs about one line)

    @cached_property
    def newlines(self) -> list[int]:
        return _starts(_NEWLINE_RX, self.s, self.start, self.end)

    def _line(self, p: int) -> tuple[int, int, int]:
        """(number, start, end) of the line holding p; its newline (at end) belongs to it."""
        line = self._last_line
        if line[1] <= p <= line[2]:
            return line
        k = bisect.bisect_left(self.newlines, p)
        a = self.newlines[k - 1] + 1 if k > 0 else self.start
        b = self.newlines[k] if k < len(self.newlines) else self.end
        self._last_line = line = (k, a, b)
        return line

    def in_protected(self, p: int) -> bool:
        """True when p lies strictly between a bracket pair (regions do not overlap; none holds a newline, so
        those of p's line are enough)."""
        n, a, b = self._line(p)
        regions = self._protected.get(n)
        if regions is None:
            spans = [m.span() for m in _PROTECTED.finditer(self.s, a, b)]
            regions = self._protected[n] = ([x for x, _ in spans], [y for _, y in spans])
        starts, ends = regions
        k = bisect.bisect_left(starts, p) - 1
        return k >= 0 and p < ends[k] - 1

    def clause(self, p: int) -> tuple[int, int]:
        """From after the last clause end before p (or the line's start) to the first one from p on (or
        the line's end: its newline is a clause end)."""
        n, a, b = self._line(p)
        bounds = self._clause_ends.get(n)
        if bounds is None:
            bounds = self._clause_ends[n] = _outside(_starts(_CLAUSE_END_RX, self.s, a, b),
                                                     [m.span() for m in _PAREN.finditer(self.s, a, b)])
        k = bisect.bisect_right(bounds, p - 1)
        return (bounds[k - 1] + 1 if k > 0 else a), (bounds[k] if k < len(bounds) else b)

    def sentence_start(self, p: int) -> int:
        n, a, b = self._line(p)
        ends = self._sentence_ends.get(n)
        if ends is None:
            ends = self._sentence_ends[n] = _starts(_SENTENCE_END_RX, self.s, a, b)
        k = bisect.bisect_left(ends, p) - 1
        return ends[k] + 1 if k >= 0 else a

    def line_start(self, p: int) -> int:
        return self._line(p)[1]

    def year_before(self, p: int) -> Optional[int]:
        """The year of the last year mention before p on its line (outside titles and notes)."""
        n, a, b = self._line(p)
        found = self._years.get(n)
        if found is None:
            found = self._years[n] = self._year_mentions(a, b)
        positions, years = found
        k = bisect.bisect_left(positions, p) - 1
        return years[k] if k >= 0 else None

    def _year_mentions(self, a: int, b: int) -> tuple[list[int], list[int]]:
        positions, years = [], []
        lex = _lex()
        for m in finditer_from(_YEAR_MENTION_FIRST, _YEAR_MENTION, self.s, a, b):
            p = m.start()
            if self.in_protected(p) or (m.group("y") and self.s[max(self.start, p - 3):p].endswith(_words("base_year_cues"))):
                continue
            y = int(m.group("y")) if m.group("y") else lex["five_year_plans"].get(m.group("plan"))
            if y:
                positions.append(p)
                years.append(y)
        return positions, years


def extract_targets(norm: NormText, start: int, end: int, *, doc_id: str, task_id: str | None,
                    default_year: int | None, id_prefix: str) -> list[Target]:
    start, end = max(0, start), min(len(norm.text), end)
    if end <= start:
        return []
    sc = _Scan(norm, start, end)
    found: list[dict] = []
    pos = start
    s = sc.s
    while True:
        m = search_from(_NUM_FIRST, _NUM, s, pos, end)
        if not m:
            break
        pos = m.end()
        if not _may_read(s, m, end):
            continue
        got = _read_number(sc, m)
        if got is None:
            continue
        found.extend(got)
        pos = max(pos, got[-1]["next"])
    # the fields of each target but its id, which numbers them in this order
    out: list[dict] = _ratio_targets(norm, sc, doc_id, task_id, default_year)
    last_metric: dict[tuple[int, int], str] = {}
    for i, f in enumerate(found):
        out.extend(_to_targets(norm, sc, f, found, i, last_metric, doc_id, task_id, default_year))
    sep = "" if not id_prefix or not id_prefix[-1].isdigit() else "."
    return [Target(id=f"{id_prefix}{sep}{k + 1}", **fields) for k, fields in enumerate(out)]


_RATIO = re.compile(r"(?P<ratio>\d+(?:\.\d+)?(?:[:：∶]\d+(?:\.\d+)?){1,5})")
# a colon then a digit, in every _RATIO match; one pattern per colon, as a literal first character is found
# by a fast scan (a one-set pattern like [:：∶]\d is tried character by character, and _RATIO at every position)
_COLON_DIGIT = tuple(re.compile(re.escape(c) + r"\d") for c in ":：∶")


def _may_hold_ratio(s: str, start: int, end: int) -> bool:
    """False when s[start:end] is sure to hold no ratio target: no _RATIO match (no colon then digit) or
    no ratio noun (every one names a 比例 or a 分成)."""
    if not any(rx.search(s, start, end) for rx in _COLON_DIGIT):
        return False
    return s.find("比例", start, end) != -1 or s.find("分成", start, end) != -1


def _ratio_targets(norm: NormText, sc: _Scan, doc_id: str, task_id: Optional[str],
                   default_year: Optional[int]) -> list[dict]:
    """按4:3:3的比例分担 → three shares (40, 30, 30 %), each named after its party when the clause lists
    as many parties (省、市、县三级财政)."""
    out: list[dict] = []
    rx = _rx()["ratio_cue"]
    if not _may_hold_ratio(sc.s, sc.start, sc.end):
        return out
    for m in _RATIO.finditer(sc.s, sc.start, sc.end):
        if not rx.match(sc.s, m.end(), sc.end) or sc.in_protected(m.start()):
            continue
        parts = [float(x) for x in re.split(r"[:：∶]", m.group("ratio"))]
        total = sum(parts)
        if total <= 0:
            continue
        ca, cb = sc.clause(m.start())
        cue = rx.match(sc.s, m.end(), sc.end)
        clause = norm.text[ca:cb]
        parties = _ratio_parties(norm.text[ca:m.start()], len(parts))
        noun = cue.group("noun") if cue.group("noun") else "比例"
        for k, v in enumerate(parts):
            metric = f"{parties[k]}{noun}" if parties else f"{noun}第{k + 1}项"
            out.append(dict(doc_id=doc_id, text=re.sub(r"\s+", "", clause), metric=metric,
                            comparator="=", value=round(v / total * 100, 2), unit="%", span=norm.span(ca, cb),
                            year=sc.year_before(m.start()) or default_year, task_id=task_id,
                            kind="policy_parameter"))
    return out


def _ratio_parties(before: str, n: int) -> list[str]:
    """省、市、县三级财政按照 → [省, 市, 县] when the list before the ratio has as many members."""
    m = re.search(r"([^，,。；;由按]{1,12}(?:、[^，,。；;、]{1,12}){%d})" % (n - 1), before)
    if not m:
        return []
    items = m.group(1).split("、")
    items[-1] = re.split(r"[一二三四五六七八九十两]级|按|的|共同", items[-1])[0]
    return items if all(items) else []


def _read_unit(sc: _Scan, p: int, numeral: str) -> Optional[tuple[str, int]]:
    """(unit, end) of the unit written at p, or None when what follows is no target unit.

    ``numeral`` is "arabic", "cn_long" (五十, 一百二十五) or "cn_short" (一, 三)."""
    lex, rx, s = _lex(), _rx(), sc.s
    between = lex["comparators"]["between"]
    if p < sc.end and s[p] in between and numeral == "arabic":
        p += 1
    u = rx["unit"].match(s, p, sc.end)
    if u is None:
        mp = rx["mag_people"].match(s, p, sc.end) if numeral == "arabic" else None
        return (mp.group("mag") + "人", p + 1) if mp else None
    unit, u_end = u.group("unit"), u.end()
    if unit == "个":  # 6个学分, 72个学时: 个 is only the classifier of the real unit
        u2 = rx["unit"].match(s, u_end, sc.end)
        if u2 and not u2.group("mag") and u2.group("unit") not in ("个", "人"):
            unit, u_end = u2.group("unit"), u2.end()
    if unit in lex["blocked_units"]:
        return None
    after = s[u_end:u_end + 6]
    if after.startswith(_unit_blockers().get(unit, ())):
        return None
    # 一/三 alone are often words (一次性, 三次产业): one-character numerals only count things
    if numeral == "cn_short" and not u.group("mag") and unit not in lex["cn_numeral_units"]:
        return None  # (一万元, 五亿元: a magnitude makes the one character a number)
    return (u.group("mag") or "") + unit, u_end


def _read_number(sc: _Scan, m: re.Match) -> Optional[list[dict]]:
    """The target candidate(s) starting at number match ``m``: one, or two for a range."""
    s, lex = sc.s, _lex()
    a = m.start()
    left = s[a - 1] if a > sc.start else ""
    if left == "第" or (left.isascii() and left.isalnum()) or left == ".":
        return None
    if sc.in_protected(a):
        return None
    per, pct, ar, cn = m.group("per", "pct", "ar", "cn")
    if pct is not None:
        v = float(pct) if pct[0].isdigit() else cn_number(pct)
        if v is not None:  # 千分之五 = 0.5%, 万分之五 = 0.05%
            v = round(v * {"百": 1, "千": 0.1, "万": 0.01}[per], 6)
        c = None if v is None else _cand(sc, a, m.end(), v, "%", m.end())
        return None if c is None else [c]
    chinese = cn is not None
    raw = cn or ar
    if chinese:
        if raw == "一" and (left in lex["cn_one_bad_left"]
                            or not s.startswith(_words("cn_one_units") + _words("magnitudes"), m.end())):
            return None
        v = cn_number(raw)
    else:
        nxt = s[m.end()] if m.end() < len(s) else ""
        if nxt.isascii() and nxt.isalpha():
            return None  # 3D, 5G: names, not quantities
        v = float(raw.replace(",", ""))  # 1,000万元: NFKC turned ， into , but 3-digit groups are thousands
    if v is None:
        return None
    unit = _read_unit(sc, m.end(), ("cn_short" if len(raw) == 1 else "cn_long") if chinese else "arabic")
    rng = None if chinese else _rx()["range"].match(s, unit[1] if unit else m.end(), sc.end)  # (arabic only)
    if rng:
        m2 = _NUM.match(s, rng.end(), sc.end)
        if m2 and m2.group("ar"):
            unit2 = _read_unit(sc, m2.end(), "arabic")
            if unit2 and (unit is None or unit[0] == unit2[0]) and not _is_year(float(m2.group("ar")), unit2[0]):
                lo = _cand(sc, a, m2.end(), v, unit2[0], unit2[1], forced=">=")
                hi = _cand(sc, m2.start(), m2.end(), float(m2.group("ar")), unit2[0], unit2[1], forced="<=")
                if lo is None or hi is None:
                    return None
                lo["start"] = a
                return [lo, hi]
    if unit is None or _is_year(v, unit[0]):
        return None
    c = _cand(sc, a, m.end(), v, unit[0], unit[1])
    return None if c is None else [c]


def _is_year(v: float, unit: str) -> bool:
    return unit == "年" and v >= 1000


def _cand(sc: _Scan, a: int, num_end: int, v: float, unit: str, u_end: int,
          forced: Optional[str] = None) -> Optional[dict]:
    """Comparator, exclusions and unit refinements for one number at [a, u_end)."""
    s, lex, rx = sc.s, _lex(), _rx()
    cmp_ = lex["comparators"]
    ca, cb = sc.clause(a)
    after = s[u_end:cb]
    # a count of documents or plan items (5个专项工作方案) is not a target
    if unit not in ("%",) and rx["doc_noun"].match(after):
        return None
    before = s[ca:a]
    if rx["achievement"].search(s, sc.sentence_start(a), a):
        return None  # 截至2020年底共建成…, 已完成80%: reported, not targeted
    if before.endswith(_words("condition_verbs_before")):
        return None  # 拥有1套住房的家庭: who qualifies, not a quantity to reach
    # a time span followed by 内 is a deadline (30天内), 有效期5年 a validity
    if unit in lex["time_units"] and (after.startswith(("内", "以内", "之内")) or before.endswith("有效期")
                                      or after.startswith(_words("duration_follow"))):
        return None  # 用3-5年时间: a time allowed, a deadline not a target
    if before.endswith(_words("from_value_cues")) and rx["to_value"].match(after):
        return None  # 由6%降至5%: only the new value is the target
    post = rx["post"].match(s, u_end, cb)
    comparator, cue_pos = "=", None
    if post:
        comparator = cmp_["post"][post.group(0)]
    pre_cue = None
    for c in rx["pre"].finditer(before):
        pre_cue = c
    if pre_cue is not None and pre_cue.group(0) in cmp_["pre"]:
        cue_pos = ca + pre_cue.start()
        if not post:
            comparator = cmp_["pre"][pre_cue.group(0)]
    imm = before[-2:] if before[-2:] in cmp_["immediate"] else before[-1:]
    if imm in cmp_["immediate"] and not before.endswith(tuple(cmp_["false_friends"])):
        cue_pos = a - len(imm)
        if not post:
            comparator = cmp_["immediate"][imm]
    if s[num_end:num_end + 1] in cmp_["between"] and not post:
        comparator = cmp_["between"][s[num_end]]
    end_cmp = post.end() if post else u_end
    # a threshold that only qualifies a noun (面积为90平方米及以下的，…; 不足2年的住房)
    if not forced and _is_condition(s, end_cmp, cb, post is not None or (
            pre_cue is not None and pre_cue.group(0) in lex["condition_pre_cues"])):
        return None
    # 每平方米200元 → 元/平方米; 每小时35蒸吨 → 蒸吨/小时; 50元/吨 as written
    per = rx["per"].search(before)
    slash = rx["slash"].match(s, u_end, cb)
    if slash and unit not in ("%", "‰"):
        unit, end_cmp = f"{unit}/{slash.group('per')}", max(end_cmp, slash.end())
    elif per and unit not in ("%", "‰") and not unit.startswith(("个", "次")):
        unit = f"{unit}/{per.group('per')}"
    return {"start": a, "num_end": num_end, "end": end_cmp, "next": end_cmp, "value": v, "unit": unit,
            "comparator": forced or comparator, "cue_pos": cue_pos, "clause": (ca, cb)}


_LIST_TAIL = re.compile(r"(?:、\d+(?:\.\d+)?[^、,，;；。\d]{0,4}?)+?(?=以上|以下|及以上|及以下)")
_NOTE = re.compile(r"\([^()]{0,12}\)|（[^（）]{0,12}）")


def _is_condition(s: str, p: int, cb: int, thresholdish: bool) -> bool:
    """True when the quantity at ..p only qualifies a noun: 面积为90平方米及以下的，… / 1亿元、5亿元以上的项目."""
    lex, rx = _lex(), _rx()
    if not thresholdish:
        tail = _LIST_TAIL.match(s, p, cb)  # first member of a list whose last carries 以上/以下
        if not tail:
            return False
        post = rx["post"].match(s, tail.end(), cb)
        if not post:
            return False
        p = post.end()
    note = _NOTE.match(s, p, cb)  # 2年以上(含2年)的
    if note:
        p = note.end()
    if not s.startswith(_words("condition_follow"), p):
        return False
    nxt = s[p + 1:p + 4]
    return not (nxt.startswith(_words("condition_modal_after"))
                and not nxt.startswith(_words("condition_modal_false")))


def _to_targets(norm: NormText, sc: _Scan, f: dict, found: list[dict], i: int, last_metric: dict,
                doc_id: str, task_id: Optional[str], default_year: Optional[int]) -> list[dict]:
    """The fields (but the id) of the target(s) of candidate f: one per metric."""
    lex, s, text = _lex(), sc.s, norm.text
    ca, cb = f["clause"]
    mk = _MARKER.match(text, ca, cb)  # the item number (4、 / (1) / 第三条) is not part of the clause
    if mk and mk.end() <= f["start"]:
        ca = mk.end()
    while ca < cb and text[ca].isspace():
        ca += 1
    while cb > ca and text[cb - 1].isspace():
        cb -= 1
    # found is in text order, so the neighbours in the same clause are adjacent (keeps this linear)
    prev_end = found[i - 1]["end"] if i > 0 and found[i - 1]["clause"] == f["clause"] else ca
    m_end = f["cue_pos"] if f["cue_pos"] is not None and f["cue_pos"] >= prev_end else f["start"]
    metric = _clean_metric(text[prev_end:m_end])
    nxt_start = found[i + 1]["start"] if i + 1 < len(found) and found[i + 1]["clause"] == f["clause"] else cb
    after = _clean_metric(text[f["end"]:nxt_start].lstrip("的"))
    # for counts the counted noun follows the number (100个区域临床医学数据示范中心)
    if (not metric or f["unit"] in lex["cn_numeral_units"]) and after and not after.startswith(("以上", "以下", "左右")):
        metric = after
    if not metric:
        metric = last_metric.get(f["clause"], "") or _clean_metric(text[ca:cb])
    last_metric[f["clause"]] = metric
    year = sc.year_before(f["start"]) or default_year
    clause_text = _no_spaces(text[ca:cb])
    kind = _kind(s, sc.sentence_start(ca), ca, cb, year)
    span = norm.span(ca, cb)
    items = _distributive_items(text, s, ca, f)
    metrics = items if items else [metric]
    return [dict(doc_id=doc_id, text=clause_text, metric=mt, comparator=f["comparator"], value=f["value"],
                 unit=f["unit"], span=span, year=year, task_id=task_id, kind=kind) for mt in metrics]


def _no_spaces(t: str) -> str:
    """t without its white space (str.split splits at the characters \\s matches)."""
    return "".join(t.split())


def _clean_metric(t: str) -> str:
    t = _no_spaces(t)
    t = _cut_prefix(_YEAR_CONTEXT_FIELD, t)
    t = t.lstrip("、，,和及与:：;；")
    t = _cut_prefix(_rx()["strip"], t)
    t = t.rstrip(_TRAILING_PARTICLES)
    return t.strip("“”\"")


def _cut_prefix(rx: re.Pattern, t: str) -> str:
    """rx.sub("", t) for a pattern anchored at the start (^, no MULTILINE) that never matches empty: it can
    only match at 0, so one match, not a try at every position."""
    m = rx.match(t)
    return t[m.end():] if m else t


def _kind(s: str, sentence_start: int, ca: int, cb: int, year: Optional[int]) -> str:
    """policy_parameter for subsidies, rates, thresholds (a strong cue anywhere in the sentence so far,
    s[sentence_start:cb]; a weak one in the clause s[ca:cb] when no year is set)."""
    rx = _rx()
    if rx["kind_strong"].search(s, sentence_start, cb):
        return "policy_parameter"
    if year is None and rx["kind_weak"].search(s, ca, cb):
        return "policy_parameter"
    return "goal"


def _distributive_items(text: str, s: str, ca: int, f: dict) -> list[str]:
    """A、B、C各1个 → one metric per listed item (only when a single value follows)."""
    a = f["start"]
    if s[a - 1:a] != "各":
        if s.find("均", ca, a) == -1:
            return []  # (every _EVENLY match is a 均; the pattern, led by a look-behind, is tried at every position)
        m = _EVENLY.search(s[ca:a])  # (on the slice: the look-behind does not see before ca)
        if not m:
            return []
        cut = ca + m.start()
    else:
        cut = a - 1
    if _NUM.search(s, cut + 1, a) and s[a - 1:a] != "各":
        return []
    items = [_clean_metric(x) for x in _LIST_SEPARATOR.split(text[ca:cut])]
    items = [x for x in items if x]
    return items if len(items) > 1 else []
