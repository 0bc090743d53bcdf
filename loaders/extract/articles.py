"""Provisions of a regulation: one per article (第X条) that gives a duty or competence to a
government body, or one per paragraph (款) when its paragraphs oblige different bodies.

Not provisions: purpose, scope and definitions, commencement (patterns in
``data/lexicon/provisions.json``), legal-liability articles (违反本条例…处…罚款, a 法律责任 /
罚则 chapter), and articles whose subjects are citizens, enterprises or personnel (no
government body found by :mod:`loaders.extract.duty_bearers`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from loaders.extract.duty_bearers import Body, bodies_in
from loaders.extract.lexicon import lexicon
from loaders.extract.provisions import Node

_ITEM_LINE = re.compile(r"[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)]")
_CLAUSE_END = ";；。:：\n"
_CLAUSE_END_RX = re.compile("[" + _CLAUSE_END + "]")


@dataclass
class ArticleProvision:
    """One provision found in an article: which paragraph (None = the whole article) and its duty-bearers."""

    paragraph: int | None  # 1-based 款, when the provision covers one paragraph of several
    start: int
    end: int
    title_start: int
    title_end: int
    bodies: list[Body] = field(default_factory=list)


class _AnyOf:
    """``re.compile("|".join(patterns)).search``, as a truth value, in two searches: the patterns anchored at
    the start (^…) apart from the others. An alternation with a ^ branch is tried at every position, while
    alternatives that all start with a character let the search skip to where one of them stands."""

    def __init__(self, patterns: list[str]):
        anchored = [p for p in patterns if p.startswith("^")]
        others = [p for p in patterns if not p.startswith("^")]
        self._searches = [re.compile("|".join(ps)).search for ps in (anchored, others) if ps]

    def search(self, s: str) -> bool:
        return any(search(s) for search in self._searches)


@lru_cache(maxsize=None)
def _rx(name: str) -> re.Pattern | _AnyOf:
    lx = lexicon("provisions")
    if name == "not_provision":
        return _AnyOf(lx["not_provision"])
    if name == "liability":
        return _AnyOf(lx["liability_cues"])
    if name == "liability_chapter":
        return re.compile("|".join(map(re.escape, lx["liability_chapters"])))
    raise KeyError(name)


def paragraphs(match: str, a: int, b: int) -> list[tuple[int, int]]:
    """The paragraphs (款) of an article body: lines, with numbered item lines joined to the paragraph above."""
    out: list[list[int]] = []
    pos = a
    for line in match[a:b].split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        if not line.strip():
            continue
        if out and _ITEM_LINE.match(line.lstrip()):
            out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def is_liability_chapter(heading: str) -> bool:
    return bool(_rx("liability_chapter").search(heading))


def article_provisions(text: str, match: str, n: Node, known: frozenset[str] = frozenset(),
                       liability_chapter: bool = False) -> list[ArticleProvision]:
    """The provisions of one article node (``n.level == "article"``)."""
    a, b = n.body_start, n.end
    body = match[a:b].strip()
    if liability_chapter or _rx("liability").search(body):
        return []
    paras = paragraphs(match, a, b)
    found: list[tuple[int, tuple[int, int], list[Body]]] = []
    for k, (s, e) in enumerate(paras, 1):
        para = match[s:e]
        if ("本" in para or "为" in para) and _rx("not_provision").search(para.strip()):
            # a definition, the scope, the commencement
            continue
        bodies = bodies_in(text, match, s, e, known)
        if bodies:
            found.append((k, (s, e), bodies))
    if not found:
        return []
    # a paragraph that only names partners (…等部门按照各自职责，协同做好…) shares the duty before it
    for i in range(len(found) - 1, 0, -1):
        if all(bd.role == "responsible" for bd in found[i][2]):
            k, (s, _), bodies = found[i - 1]
            found[i - 1] = (k, (s, found[i][1][1]), bodies + found[i][2])
            del found[i]
            if len(found) == 1 and len(paras) > 1:
                found[0] = (None, found[0][1], found[0][2])
    # a paragraph on the office of the body before it (X / X办公室) shares its provision
    for i in range(len(found) - 1, 0, -1):
        if _office_of(found[i][2][0].name, found[i - 1][2]):
            k, (s, _), bodies = found[i - 1]
            found[i - 1] = (k, (s, found[i][1][1]), bodies + found[i][2])
            del found[i]
            if len(found) == 1 and len(paras) > 1:
                found[0] = (None, found[0][1], found[0][2])
    names = [frozenset(bd.name for bd in bodies) for _, _, bodies in found]
    if len(found) > 1 and len(set(names)) == 1:
        merged = [bd for _, _, bodies in found for bd in bodies]
        ts, te = _title(match, found[0][1][0], found[0][1][1], found[0][2][0])
        return [ArticleProvision(None, n.start, _trim(match, n.start, b), ts, te, _uniq(merged))]
    out = []
    for k, (s, e), bodies in found:
        ts, te = _title(match, s, e, bodies[0])
        whole = len(paras) == 1 or k is None
        # the only duty paragraph of several keeps the paragraphs before it as its context
        start = n.start if whole or k == 1 or len(found) == 1 else s
        out.append(ArticleProvision(None if whole else k, start, _trim(match, s, e), ts, te, bodies))
    return out


def _office_of(name: str, bodies: list[Body]) -> bool:
    """省外来企业投诉中心办公室 is an office of 省外来企业投诉中心 (the name plus an organ word, no connector)."""
    return any(name.startswith(bd.name) and name != bd.name and re.fullmatch(r"(?:办公室|办事处|办事机构|办)", name[len(bd.name):])
               for bd in bodies)


def _uniq(bodies: list[Body]) -> list[Body]:
    seen: set[tuple[str, str]] = set()
    return [bd for bd in bodies if not ((bd.name, bd.role) in seen or seen.add((bd.name, bd.role)))]


def _title(match: str, a: int, b: int, first: Body) -> tuple[int, int]:
    """The clause (between ；。：) holding the first duty-bearer."""
    s = first.start
    if s > a:  # back to just after the last clause end before the body, or to a
        last_end = max(match.rfind(c, a, s) for c in _CLAUSE_END)
        s = last_end + 1 if last_end != -1 else a
    m = _CLAUSE_END_RX.search(match, first.end, b)  # on to the first clause end after it, or to b
    e = m.start() if m else max(first.end, b)
    while s < e and match[s] in " \t":
        s += 1
    return s, e


def _trim(match: str, a: int, b: int) -> int:
    while b > a and match[b - 1] in " \t\n":
        b -= 1
    return b
