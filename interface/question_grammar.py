"""The pieces a question type is made of: normalisation, date phrases, the record itself.

A :class:`QuestionType` (see :mod:`interface.question_types`) bundles what one kind of question
needs — its patterns in Chinese and English, the parser turning the pattern's slots into
parameters, the handler answering on the facade, the main named query and the table row of an
item — so a new kind of question is one record and one test.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Optional

from loaders.extract.numerals import cn_int
from policykg.errors import QueryError

# ----------------------------------------------------------------------------
# normalisation

_QUOTES = "“”\"'‘’「」『』《》"  # 《》 too: titles are matched without book-title marks
_CJK = r"[\u3400-\u9fff〔〕（）]"


def _simplified(s: str) -> str:
    from loaders.text.normalize import to_simplified

    return to_simplified(s)


def normalise(question: str) -> str:
    """NFKC, Traditional → Simplified, no polite opening (请问, 我想知道, please), no final
    punctuation or particle (？ 。 呢 吗 啊), no comma between Chinese words, single spaces."""
    s = unicodedata.normalize("NFKC", question or "").strip()
    s = _simplified(s)
    s = re.sub(r"^(?:请问一下|请问|请告诉我|告诉我|我想知道|想知道|想问一下|想问|问一下|请|问|please|q:)\s*[,，:：]?\s*",
               "", s, flags=re.I)
    for _ in range(2):
        s = re.sub(r"[?？。.!！\s]+$", "", s)
        s = re.sub(r"(?<=" + _CJK + r")(?:呢|吗|啊|呀|吧)$", "", s)
    s = re.sub(r"(?<=" + _CJK + r")\s*[,，;；]\s*|\s*[,，;；]\s*(?=" + _CJK + r")", "", s)
    return re.sub(r"\s+", " ", s).strip()


def clean_slot(s: Optional[str]) -> str:
    """A slot's text without quotes, articles and stray separators."""
    s = (s or "").strip().strip(_QUOTES).strip()
    s = re.sub(r"^(?:the|a|an)\s+", "", s, flags=re.I)
    for ch in _QUOTES:
        if ch not in "《》":
            s = s.replace(ch, "")
    return s.strip(" ,，、:：")


# ----------------------------------------------------------------------------
# dates

def _num(s: str) -> int:
    """2016, 二〇一六, 十二 → int (ValueError when it is no number: parse_when reports it)."""
    n = cn_int(s)
    if n is None:
        raise ValueError(f"{s!r} is not a number")
    return n


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


_Y = r"(?P<y>\d{4}|[〇零一二三四五六七八九]{4})"
_M = r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})"
_D = r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})"
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})


def parse_when(text: str) -> date:
    """The last day a date phrase covers: 2016年底 → 2016-12-31, 2016年6月底 → 2016-06-30,
    2016年上半年 → 2016-06-30, 2016年第三季度 → 2016-09-30, end of June 2016, 2016-12-31, 2016."""
    s = normalise(text).strip()
    s = re.sub(r"^(?:在|于|到|至)", "", s)
    s = re.sub(r"^(?:the\s+)?end\s+of\s+(?:the\s+)?", "", s, flags=re.I)
    try:
        return date.fromisoformat(s)
    except ValueError:
        pass
    rules: list[tuple[str, Callable[[re.Match], date]]] = [
        (rf"^{_Y}年{_M}月{_D}日$", lambda m: date(_num(m["y"]), _num(m["m"]), _num(m["d"]))),
        (rf"^{_Y}年{_M}月(?:底|末|份)?$", lambda m: _month_end(_num(m["y"]), _num(m["m"]))),
        (rf"^{_Y}年(?:底|末|年底|年末|内|全年)?$", lambda m: date(_num(m["y"]), 12, 31)),
        (rf"^{_Y}年上半年$", lambda m: date(_num(m["y"]), 6, 30)),
        (rf"^{_Y}年下半年$", lambda m: date(_num(m["y"]), 12, 31)),
        (rf"^{_Y}年(?:第)?(?P<q>[1-4一二三四])季度(?:末|底)?$",
         lambda m: _month_end(_num(m["y"]), 3 * _num(m["q"]))),
        (r"^(?P<y>\d{4})-(?P<m>\d{1,2})$", lambda m: _month_end(int(m["y"]), int(m["m"]))),
        (r"^(?P<y>\d{4})$", lambda m: date(int(m["y"]), 12, 31)),
        (r"^(?P<mon>[a-z]+)\.?,?\s+(?P<y>\d{4})$", lambda m: _month_end(int(m["y"]), _MONTHS[m["mon"].lower()])),
        (r"^(?P<d>\d{1,2})\s+(?P<mon>[a-z]+)\.?\s+(?P<y>\d{4})$",
         lambda m: date(int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]))),
        (r"^(?P<mon>[a-z]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})$",
         lambda m: date(int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]))),
    ]
    for pattern, build in rules:
        m = re.match(pattern, s, flags=re.I)
        if m:
            try:
                return build(m)
            except (KeyError, ValueError) as exc:
                raise QueryError(f"{text!r} is not a date I can read ({exc})") from None
    raise QueryError(f"{text!r} is not a date I can read; write e.g. 2016-12-31, 2016年底, 2016年6月底 or end of 2016")


# ----------------------------------------------------------------------------
# the record


@dataclass(frozen=True)
class Reply:
    """What a handler returns: a short answer, ranked counts, the items, an impact report if any."""

    text: str
    summary: list[tuple[str, int]] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)
    report: Any = None
    #: for an empty answer: which kinds of name were searched for which text (suggestions)
    searched: Optional[tuple[tuple[str, ...], str]] = None


@dataclass(frozen=True)
class Pattern:
    language: str  # zh | en
    regex: str  # matched in full against the normalised question (case-insensitive)
    example: str  # a question it answers (shown in help, checked by the tests)


@dataclass(frozen=True)
class QuestionType:
    """One kind of question: everything needed to parse, answer and show it."""

    intent: str
    query: str  # the main named query (queries/NAME.rq | NAME.cypher)
    patterns: tuple[Pattern, ...]
    params: Callable[[dict[str, str]], Optional[dict[str, Any]]]  # slots → parameters (None: does not fit)
    handler: Callable[[Any, dict[str, Any], bool], Reply]  # (graph, parameters, Chinese?) → Reply
    row: Callable[[Any], dict[str, Any]]  # one item → one table row
    describe: str  # what it answers, for the README and help


def zh_en(zh: bool, chinese: str, english: str) -> str:
    return chinese if zh else english
