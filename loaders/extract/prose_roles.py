"""Responsibility written in the sentence itself, not in a bracket or a label:

  组织、人事、民政等部门牵头每年招聘…        a unit list (or sector stems + 等部门) before a role verb
  由市发展改革委牵头，会同市财政局制定…      由X牵头 / 由X负责, then 会同Y / Y配合 in the same sentence
  市商务局负责，市市场监管局配合。            X负责, Y配合
  县住建局要会同县财政局抓紧制定…            X会同Y …: X leads, Y shares
  分别由市教育局、市卫生健康委负责。          several units 负责: they share (one alone leads)

Each found sentence becomes a :class:`MarkerGroup` whose ``sentence`` is the sentence's range, so the task
it marks can be titled by the sentence. Verbs and subject words are data (``data/lexicon/roles.json``,
key ``prose``); the unit list is recognised by structure (``looks_like_unit``: an organ suffix, or sector
stems sharing a 等部门 head), not by a list of names.
"""
from __future__ import annotations

import re
from functools import lru_cache

from loaders.extract.lexicon import lexicon
from loaders.extract.roles import MarkerGroup, Unit, looks_like_unit, split_units

_SENTENCE = re.compile(r"[^。；;！？!?\n]+")
_CLAUSE = re.compile(r"[^，,]+")
_GENERIC_SUBJECT = ("各", "有关", "相关", "其他")


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon("roles")["prose"]


@lru_cache(maxsize=None)
def _rx(name: str) -> re.Pattern:
    words = lambda key: "|".join(map(re.escape, sorted(_lex()[key], key=len, reverse=True)))  # noqa: E731
    if name == "verb":
        return re.compile("(?P<verb>" + words("lead_verbs") + "|" + words("together_verbs") + "|"
                          + words("share_verbs") + "|" + words("alone_verbs") + ")")
    if name == "subject_prefix":
        return re.compile("^(?:" + words("subject_prefixes") + ")")
    if name == "subject_suffix":
        return re.compile("(?:" + words("subject_suffixes") + ")$")
    if name == "stem_head":
        return re.compile(_lex()["stem_head"])
    raise KeyError(name)


def prose_markers(text: str, match: str, start: int, end: int) -> list[MarkerGroup]:
    """Every sentence in text[start:end] whose subject is a unit list followed by a role verb."""
    out: list[MarkerGroup] = []
    if _rx("verb").search(match, start, end) is None:
        return out
    for sm in _SENTENCE.finditer(match, start, end):
        g = _sentence(text, match, sm.start(), sm.end())
        if g is not None:
            out.append(g)
    return out


def _sentence(text: str, match: str, a: int, b: int) -> MarkerGroup | None:
    g = MarkerGroup(a, b)
    lead_seen = False
    for cm in _CLAUSE.finditer(match, a, b):
        ca, cb = cm.start(), cm.end()
        vm = _rx("verb").search(match, ca, cb)
        if vm is None:
            continue
        verb = vm.group("verb")
        units = _subject(text, match, ca, vm.start(), generic_ok=verb in _lex()["share_verbs"])
        if verb in _lex()["together_verbs"]:
            if units:  # X会同Y…: X leads, those after 会同 share
                g.lead.extend(units)
                lead_seen = True
            if units or lead_seen:  # 由X牵头，会同Y…
                g.responsible.extend(_object(text, match, vm.end(), cb))
            continue
        if not units:
            continue
        if verb in _lex()["lead_verbs"]:
            g.lead.extend(units)
            lead_seen = True
        elif verb in _lex()["share_verbs"]:
            if not lead_seen and not g.lead:
                continue  # Y配合 with no lead in the sentence: a description, not an assignment
            g.responsible.extend(units)
        else:  # 负责: one unit leads, several share
            (g.lead if len(units) == 1 else g.alone).extend(units)
            lead_seen = lead_seen or len(units) == 1
    if not (g.lead or g.alone):
        return None
    g.sentence = (a, b)
    return g


def _subject(text: str, match: str, a: int, b: int, generic_ok: bool = False) -> list[Unit]:
    """The unit list written right before a verb (由X、Y / X、Y等部门 / X要), or nothing."""
    while a < b and match[a] in " \t　":
        a += 1
    pm = _rx("subject_prefix").match(match, a, b)
    if pm:
        a = pm.end()
    sm = _rx("subject_suffix").search(match, a, b)
    if sm:
        b = sm.start()
    if b - a < 2 or b - a > 80 or (match.startswith(_GENERIC_SUBJECT, a) and not generic_ok):
        return []  # 各地区各部门要负责…: an exhortation to everyone assigns nothing (各镇人民政府配合 shares)
    head = _rx("stem_head").search(match, a, b)
    if head and head.end() == b:  # 组织、人事、民政等部门 → 组织, 人事, 民政
        stems = split_units(text, match, a, head.start())
        if len(stems) == 1 and not match[stems[0].end:b].startswith("等"):  # 民政部门: one name, kept whole
            return [Unit(text[stems[0].start:b], stems[0].start, b)]
        if stems and all(2 <= len(u.name) <= 8 and re.fullmatch(r"[\u4e00-\u9fff]+", u.name) for u in stems):
            return stems
        return []
    units = split_units(text, match, a, b)
    if units and all(looks_like_unit(u.name) and (generic_ok or not u.name.startswith(_GENERIC_SUBJECT)) for u in units):
        return units
    return []


def _object(text: str, match: str, a: int, b: int) -> list[Unit]:
    """The units after 会同: the list up to where the verb phrase begins (会同市财政局、市自然资源局制定…)."""
    pieces = split_units(text, match, a, b)
    out: list[Unit] = []
    for u in pieces:
        if looks_like_unit(u.name):
            out.append(u)
            continue
        k = _longest_unit_prefix(u.name)
        if k:
            out.append(Unit(u.name[:k], u.start, u.start + k))
        break
    return out


def _longest_unit_prefix(name: str) -> int:
    for k in range(min(len(name), 30), 1, -1):
        if looks_like_unit(name[:k]):
            return k
    return 0
