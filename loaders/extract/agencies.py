"""Agencies as written → canonical agencies, jurisdiction, level and sector.

The written name is kept; a canonical name is attached from the alias data in
``data/lexicon/agencies.json`` (an explicit alias, or the jurisdiction of the
issuing document + an expanded abbreviation: 市经信委 in a 绵阳市 document →
绵阳市经济和信息化委员会). Generic roles (财政部门, 各有关部门) stay roles: no
agency is invented from them.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, Optional

from loaders.extract.lexicon import lexicon
from loaders.extract.roles import Unit, looks_like_unit, split_units
from loaders.text.normalize import NormText, to_simplified
from policykg.model import AgencyMention, AgencyRef


def _lex() -> dict:
    return lexicon("agencies")


@lru_cache(maxsize=4096)
def is_generic(name: str) -> bool:
    s = to_simplified(name)
    return any(re.search(p, s) for p in _lex()["generic_patterns"])


@lru_cache(maxsize=4096)
def sector_of(name: str) -> Optional[str]:
    s = to_simplified(name)
    for key in sorted(_lex()["sectors"], key=len, reverse=True):
        if key in s:
            return _lex()["sectors"][key]
    return None


def jurisdiction_of_issuer(issuer: Optional[str]) -> Optional[dict]:
    if not issuer:
        return None
    s = to_simplified(issuer)
    for prefix, j in _lex()["jurisdictions"].items():
        if s.startswith(prefix):
            return j
    return None


@lru_cache(maxsize=4096)
def canonical(name: str, issuer: Optional[str]) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(canonical name, jurisdiction, level) for a written name in a document of ``issuer``."""
    s = to_simplified(name)
    aliases = dict(_lex()["aliases"])
    j0 = jurisdiction_of_issuer(issuer)
    if j0:  # names that mean one agency only inside documents of one jurisdiction
        aliases.update(_lex().get("aliases_by_jurisdiction", {}).get(j0["name"], {}))
    if s in aliases:
        canon = aliases[s]
        j = next((v for k, v in _lex()["jurisdictions"].items() if canon.find(k) != -1), None)
        return canon, (j or {}).get("name"), (j or {}).get("level")
    j = jurisdiction_of_issuer(issuer)
    level = None
    for prefix, lv in _lex()["prefix_levels"].items():
        if s.startswith(prefix):
            level = lv
            break
    if s.startswith("市") and j and j["level"] == "prefecture":
        body = s[1:]
        canon_body = body
        for abbr in sorted(_lex()["abbreviations"], key=len, reverse=True):
            if body == abbr or (body.endswith(abbr) and len(body) - len(abbr) <= 3):
                canon_body = body[: len(body) - len(abbr)] + _lex()["abbreviations"][abbr]
                break
        if canon_body.startswith(("委", "政府")) is False and canon_body.startswith("人民政府") is False:
            pass
        return j["name"] + canon_body, j["name"], "prefecture"
    if s.startswith("省") and j and j["level"] == "province":
        return j["name"] + s[1:], j["name"], "province"
    if j and j["level"] == "prefecture" and re.search(r"[县区]政府$|市政府$", s) and not s.startswith("各"):
        return s.replace("政府", "人民政府"), j["name"], "county"
    return None, (j or {}).get("name") if level else None, level


def make_ref(norm: NormText, unit: Unit, issuer: Optional[str]) -> AgencyRef:
    # a name is read once per text (the same agencies lead task after task)
    readings = norm.cache.setdefault("agency readings", {})
    reading = readings.get((unit.name, issuer))
    if reading is None:
        reading = readings[unit.name, issuer] = _reading(unit.name, issuer)
    canon, jur, sector, level, generic = reading
    return AgencyRef(name=unit.name, span=norm.span(unit.start, unit.end), canonical=canon,
                     jurisdiction=jur, sector=sector, level=level, generic=generic)


def _reading(name: str, issuer: Optional[str]) -> tuple:
    """(canonical, jurisdiction, sector, level, generic) of a written name in a document of ``issuer``."""
    # a bare field name (发展改革, 公安 in "…等行政主管部门") names a kind of department: a role
    generic = is_generic(name) or not looks_like_unit(name)
    canon, jur, level = (None, None, None) if generic else canonical(name, issuer)
    return canon, jur, sector_of(name), level, generic


_MODAL = r"(?:将(?![来其要])|要(?!求)|应当|应(?![用急])|须|需(?!求|要)|具体负责|负责|可(?![能以行])|按照职责分工|按职责分工)"


_ARTICLE_HEAD = re.compile(r"(?:第[一二三四五六七八九十百]+条)?\s*")
_ALIAS_NOTE = re.compile(r"[（(]以下简称[^）)]*[）)]")
_NON_DEPARTMENT_TAIL = re.compile(r"(?:和|及)?(?:普通高校|文联)$")
_SENTENCE_STOP = re.compile("[。；;\n]")


# a subject opens the text or follows one of these
_CLAUSE_SEPARATORS = "。；;，,：:\n"
# the characters the branches of _MODAL open with
_MODAL_FIRST = re.compile("[将要应须需具负可按]")


@lru_cache(maxsize=1)
def _mention_patterns() -> tuple[re.Pattern, re.Pattern]:
    """The subject tail of a duty-bearer (from the lexicon), and a clause subject followed by a modal."""
    tail = re.compile(_lex()["mention_subject_tail"])
    rx = re.compile(rf"(?:^|(?<=[{_CLAUSE_SEPARATORS}]))(?:第[一二三四五六七八九十百]+条)?\s*"
                    r"(?P<subj>[^，,。；;：:\n]{2,120}?)(?P<modal>" + _MODAL + r")")
    return tail, rx


def _clause_subjects(rx: re.Pattern, match: str, start: int, end: int) -> Iterator[re.Match]:
    """``rx.finditer(match, start, end)`` for the mention pattern, tried only where it can match: at the text's
    start or after a clause separator, in a clause with a modal's first character two or more characters on
    (a plain search tries the look-behind at every position and the lazy subject over each whole clause)."""
    pos = start
    starts = _clause_starts(match, start, end)
    bounds = _modal_bounds(match, starts, end)
    for p, bound in zip(starts, bounds):
        if p >= pos and _MODAL_FIRST.search(match, p + 2, bound) is not None:
            m = rx.match(match, p, end)  # (the look-behind sees the character before p)
            if m is not None:
                yield m
                pos = m.end()  # (a match holds a subject: never empty)


def _modal_bounds(match: str, starts: list[int], end: int) -> list[int]:
    """For each clause start, where a modal after it must begin before: the next separator other than a
    newline (the subject holds no separator; newlines before it are spaces the pattern's \\s* takes)."""
    bounds = [end] * len(starts)
    nxt = end
    for k in range(len(starts) - 1, 0, -1):  # (starts[k] - 1 is a separator for k > 0)
        bounds[k] = nxt
        if match[starts[k] - 1] != "\n":
            nxt = starts[k] - 1
    if starts:
        bounds[0] = nxt
    return bounds


def _clause_starts(match: str, start: int, end: int) -> list[int]:
    """0 when ``start`` is, and each position in [start, end] right after a clause separator, in order."""
    out = [0] if start == 0 else []
    lo = max(start - 1, 0)
    for c in _CLAUSE_SEPARATORS:
        k = match.find(c, lo, end)
        while k != -1:
            out.append(k + 1)
            k = match.find(c, k + 1, end)
    out.sort()
    return out


def mentions_in(norm: NormText, start: int, end: int, doc_id: str, issuer: Optional[str]) -> list[AgencyMention]:
    """Duty-bearers named in running text: 财政部门要…, 第四条 X负责…, 由X负责处理."""
    text, match = norm.text, norm.match
    tail, rx = _mention_patterns()
    out: list[AgencyMention] = []
    seen: set[tuple[str, int]] = set()
    for m in _clause_subjects(rx, match, start, end):
        a, b = m.start("subj"), m.end("subj")
        # the subject proper: after an article number, after 由 / 是 / a relative clause (…的)
        a = _ARTICLE_HEAD.match(match, a, b).end()
        for cue in ("由", "是", "对", "的"):
            k = match.rfind(cue, a, b) if cue != "对" else match.find(cue, a, b)
            if k != -1 and b - k > 3 and not (cue in "是对" and k - a < 2):
                if cue in "是对":
                    b = k
                else:
                    a = k + 1
        subj = match[a:b]
        # strip an alias note (以下简称…) and connectors before the modal
        subj_clean = _ALIAS_NOTE.sub("", subj)
        if not tail.search(_NON_DEPARTMENT_TAIL.sub(lambda x: "部门" if x.group(0) else "", subj_clean)) \
                and not tail.search(subj_clean):
            continue
        sentence_end = _sentence_end(match, m.end(), end)
        role_text = _clean(text[a:sentence_end])
        for u in _subject_units(text, match, a, b):
            key = (to_simplified(u.name), doc_id)
            if key in seen:
                continue
            seen.add(key)
            ref = make_ref(norm, u, issuer)
            out.append(AgencyMention(doc_id=doc_id, agency=ref, role_text=role_text, span=norm.span(a, sentence_end)))
    return out


_LISTED_SECTORS = re.compile(r"等[^、，,]{0,8}(?:行政主管部门|部门|单位)(?:按照职责分工)?$")
_HEAD_JOINS = re.compile(r"(?<=部门|文联|中心|政府)(?:和|及|与)")


def _subject_units(text: str, match: str, a: int, b: int) -> list[Unit]:
    subj = match[a:b]
    # 发展改革、…、食品药品监管等行政主管部门 → the listed sectors
    m = _LISTED_SECTORS.search(subj)
    if m:
        return split_units(text, match, a, a + m.start())
    m = _ALIAS_NOTE.search(subj)
    if m:
        b = a + m.start()
    listed = split_units(text, match, a, b)
    # 各地区、部门、单位: 各 distributes over the bare nouns after it; the list is one duty-bearer
    if len(listed) > 1 and listed[0].name.startswith("各") and any(len(u.name) <= 2 for u in listed[1:]):
        return [Unit(text[listed[0].start:listed[-1].end], listed[0].start, listed[-1].end)]
    units = []
    for u in _split_each(listed):
        parts = _HEAD_JOINS.split(u.name)
        if len(parts) > 1:
            pos = u.start
            for p in parts:
                k = text.find(p, pos, u.end)
                units.append(Unit(p, k, k + len(p)))
                pos = k + len(p)
        else:
            units.append(u)
    return [u for u in units if len(u.name) >= 2]


def _split_each(units: list[Unit]) -> list[Unit]:
    """各地各部门 → 各地, 各部门 (two distributive subjects written together)."""
    out = []
    for u in units:
        k = u.name.find("各", 1)
        if u.name.startswith("各") and k > 1 and len(u.name) - k >= 2:
            out.append(Unit(u.name[:k], u.start, u.start + k))
            out.append(Unit(u.name[k:], u.start + k, u.end))
        else:
            out.append(u)
    return out


def _sentence_end(match: str, k: int, end: int) -> int:
    m = _SENTENCE_STOP.search(match, k, end)
    return m.start() if m else max(k, end)


def _clean(s: str) -> str:
    """``s`` without whitespace (str.split splits at the characters ``\\s`` matches, some ten times faster)."""
    return "".join(s.split())
