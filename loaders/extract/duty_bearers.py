"""Duty-bearers of a regulation's paragraph, recognised by grammar, not by lists of names.

A government body is an open class: a noun phrase ending in an organ suffix (人民政府,
主管部门, 部门, 机关 …; ``data/lexicon/provisions.json``), preceded by a jurisdiction or
level (国务院, 县级以上地方, 省、自治区、直辖市) and a sector stem (城市供水行政…), or a
name the text itself defines by （以下简称…）. Its role comes from where it stands:

* the subject of a clause (县级以上人民政府应当…, 国务院林业主管部门主管…) or after 由
  (由国务院卫生主管部门会同…制定) or 经/报 … 批准 (报国务院批准) → ``lead``;
* after 会同 / 组织, or with 与 … 协同配合, or a subject whose verb is 配合/协助 → ``responsible``;
* after 按照/依照/向/报告 (a reference or a recipient) → no role.

Names are kept as written, with three rules for lists sharing one head:
发展改革、财政等部门 → 发展改革, 财政 (sector stems); 省、自治区、直辖市人民政府 stays whole
(levels); different heads joined by 和/及/或者 are split (…人民政府及其有关部门 → 有关部门).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from loaders.extract.lexicon import lexicon

_CLAUSE_STOP = ",;。:!?，；：！？\n\u2063"  # \u2063 stands for a masked item marker (（一）, 1.)
_ITEM = re.compile(r"(^|\n)([ \t]*(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[.．、](?!\d)))")
_HAS_X = re.compile(r"有[^,，;；]{0,6}的$")  # X对…有争议的: a condition on X, not X's act
_GAP = re.compile(r"(?:以及|及其|或者其|或者|和|及|与|或|、)其?(?:所属|下属|设立)?的?")
_ALIAS = re.compile(r"[（(]以下(?:简称|统称|称)[^（）()]{1,24}[）)]")
# connectors between the conjuncts of one list of bodies (longest first)
_CONNECTORS = ("以及", "及其", "或者其", "或者", "和", "及", "与", "或", "、")
# words that end a body's name on its left (the body starts after them)
_LEFT_STOPS = ("报经", "报请", "会同", "组织", "按照", "依照", "依据", "根据", "参照", "通报", "报告", "交付", "提请",
               "听取", "协助", "应当", "可以", "应", "可", "负责", "以及", "及其", "或者", "并", "由", "经", "报", "向", "对", "与",
               "将", "在", "和", "及", "或", "是", "为", "后", "时", "其", "把", "被", "给", "让", "使")


@dataclass(frozen=True)
class Body:
    """A duty-bearer as written: normalised offsets of its name, and its role in the clause."""

    name: str
    start: int
    end: int
    role: str  # lead | responsible


def _lex() -> dict:
    return lexicon("provisions")


@lru_cache(maxsize=None)
def _rx(name: str) -> re.Pattern:
    lx = _lex()
    alt = lambda ws: "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True))  # noqa: E731
    if name == "suffix":
        return re.compile("(?:" + alt(lx["organ_suffixes"] + lx["weak_suffixes"] + lx["named_bodies"]) + ")")
    if name == "not_gov":
        return re.compile("|".join(lx["not_government"]))
    if name == "gov_stem":
        return re.compile(alt(lx["gov_stems"]))
    if name == "strong_end":
        return re.compile("(?:" + alt(lx["organ_suffixes"]) + ")$")
    if name == "suffix_end":
        return re.compile("(?:" + alt(lx["organ_suffixes"] + lx["weak_suffixes"] + lx["named_bodies"]) + ")$")
    if name == "verb_start":
        return re.compile("(?:" + alt(lx["object_verbs"]) + ")")
    if name == "modal":
        return re.compile("(?:" + alt(lx["modals"]) + ")")
    if name == "named":
        return re.compile("(?:" + alt(lx["named_bodies"]) + ")$")
    if name == "level_piece":
        return re.compile(r"^(?:[\u4e00-\u9fff]{1,8}的|各|有关|相关|其他|沿海|沿边|边境|毗邻|相邻|当地|所在地)?(?:" + alt(lx["level_words"]) + r")(?:[(（][^()（）]{1,3}[)）])?$")
    if name == "level_end":
        return re.compile("(?:" + alt(lx["level_words"]) + ")$")
    if name == "qualifier":
        return re.compile("|".join(lx["qualifier_prefixes"]))
    if name == "approve":
        return re.compile("(?:会同[^,;。，；]{2,40}?)?(?:" + alt(lx["approve_verbs"]) + ")")
    if name == "cooperate":
        return re.compile(r"^(?:应当|应|要|须|必须|可以)?(?:积极|密切|主动|共同|做好|予以|给予)?(?:参与和|参与、)?(?:积极|密切)?(?:"
                          + alt(lx["cooperate_verbs"]) + ")")
    if name == "partner":
        return re.compile(alt(lx["partner_after_with"]))
    if name == "left_stop_any":  # longest first: 及其 before 及
        return re.compile(alt(_LEFT_STOPS + tuple(lx["name_left_stops"])))
    if name in ("apply_verbs", "personnel_after", "attributive_after", "role_adverbials", "duty_after_set_up"):
        return re.compile(lx[name])
    raise KeyError(name)


_BRACKETED = re.compile(r"[（(][^（）()]*[)）]")


def is_government(name: str, known: frozenset[str] = frozenset()) -> bool:
    """Does a written name denote a government body (not an enterprise, committee of residents, market institution)?"""
    n = _BRACKETED.sub("", name)
    if not n or _rx("not_gov").search(n.rsplit("的", 1)[-1]):
        return False
    if n in known or any(len(n) >= 4 and k.endswith(n) for k in known):
        return True
    if _rx("named").search(n) and (n in _lex()["named_bodies"] or _rx("strong_end").search(n) is None):
        return True
    if n in _lex()["bare_rejected"]:
        return False
    if _rx("strong_end").search(n):
        return True
    return bool(_rx("gov_stem").search(n[:-1]))


_CLAUSE_STOP_RX = re.compile("[" + re.escape(_CLAUSE_STOP) + "]")


@lru_cache(maxsize=8)
def _clause_stops(match: str) -> list[int]:
    """Where the clauses of a paragraph stop, found once (a walk back from every name was quadratic)."""
    return [m.start() for m in _CLAUSE_STOP_RX.finditer(match)]


def _clause_start(match: str, p: int, lo: int) -> int:
    """The start of the clause holding p: after the last clause stop before p, not before lo."""
    if p <= lo:
        return p
    stops = _clause_stops(match)
    i = bisect.bisect_left(stops, p) - 1
    return max(lo, stops[i] + 1) if i >= 0 else lo


def _name_start(match: str, e: int, suffix_start: int, lo: int) -> int:
    """Where the body whose name ends at ``e`` begins: scan left over the name, stopping at a connector,
    a verb or preposition that governs it, or punctuation. A bare head after 的 (负责…的部门) keeps its
    relative clause; another head after 的 (收到申请的卫生主管部门) does not."""
    k = suffix_start
    seen_de = False
    ends = _stop_ends(match)  # only where a stop word ends need _stop_before look closer
    bare = _lex()["bare_rejected"]
    while k > lo:
        c = match[k - 1]
        if c in _CLAUSE_STOP or c in "、“”\"《》\u3000":
            break
        if c == "的" and match.startswith(_words_with_de(), k - 2):  # 目的地: a word, no relative clause
            k -= 1
            continue
        if c == "的":
            if seen_de:
                break
            if match[k:e] not in bare:
                # 报有审批权的环境保护行政主管部门: a short relative clause right after a preposition
                rel = re.search(r"(?:报(?!告)|由|经|向)([^,;。，；：:\s的]{1,6})$", match[max(lo, k - 9):k - 1])
                if rel and not re.search(r"收到|接到", rel.group(1)):
                    k = k - 1 - len(rel.group(1))
                break
            seen_de = True
            k -= 1
            continue
        if seen_de:  # inside a relative clause: only punctuation, connectors and governing verbs end it
            if match.endswith(_relative_stops(), lo, k) and \
                    not match.endswith(("经济",), lo, k + 1) and not _verb_of_relative(match, lo, k):
                break
            k -= 1
            continue
        if k in ends and _stop_before(match, lo, k):
            break
        k -= 1
    return k


@lru_cache(maxsize=None)
def _words_with_de() -> tuple[str, ...]:
    """Three-character words with 的 in the middle, which open no relative clause (运输目的地…公安机关)."""
    return tuple(_lex()["words_with_de"])


@lru_cache(maxsize=None)
def _relative_verbs() -> tuple[str, ...]:
    """Verbs that take a whole "…的 body" as their object (请求管理专利工作的部门, 应当移交有权处理的部门)."""
    return tuple(_lex()["relative_clause_verbs"])


@lru_cache(maxsize=None)
def _relative_stops() -> tuple[str, ...]:
    """What ends a relative clause on its left (经有管辖权的部门): connectors and prepositions, and the
    verbs of :func:`_relative_verbs` (unless :func:`_verb_of_relative`)."""
    return ("和", "及", "或者", "以及", "向", "由", "经过", "经", "会同", "是", "为") + _relative_verbs()


def _verb_of_relative(match: str, lo: int, k: int) -> bool:
    """The verb of :func:`_relative_verbs` ending at ``k`` belongs to the relative clause: it opens the
    clause (移送案件的机关应当…) or it is the clause's object, a noun (收到复查请求的机关)."""
    w = next((w for w in _relative_verbs() if match.endswith(w, lo, k)), None)
    if w is None:
        return False
    start = k - len(w)
    return match[k] == "的" or start <= lo or match[start - 1] in _CLAUSE_STOP


def _stop_before(match: str, lo: int, k: int, conjunctions: bool = True) -> bool:
    """Does a word that ends a name on its left (由, 会同, 按照, 和 after an organ …) end at k?"""
    w = next((w for w in _stop_ends(match).get(k, ()) if k - len(w) >= max(lo, k - 3)), None)
    if w is None:
        return False
    start = k - len(w)
    if w in ("在", "其") and match[k:k + 1] in "地他它中余":
        return False
    if w == "经" and match.startswith("济", k):
        return False
    if w == "时" and match[start - 1:start] == "临":  # 临时指挥机构: a word, not …时 (when)
        return False
    if w == "应" and match[start - 1:start] in "供响适相反效":
        return False
    if w == "与":  # 与 joins no name (中小企业与机关; 并与国务院有关部门…)
        return True
    if w == "商":  # X部门商Y部门 (X consults Y), not 工商/商务/商业
        return match[k:k + 1] not in "务业品标贸检会户" and _ends_with_organ(match, lo, start)
    if w in ("和", "及"):  # between two bodies, or a preposition at the clause start
        at_start = start <= lo or match[start - 1] in _CLAUSE_STOP
        return at_start or (conjunctions and _ends_with_organ(match, lo, start))
    return True


@lru_cache(maxsize=8)
def _stop_ends(seg: str) -> dict[int, tuple[str, ...]]:
    """End offset → the left-stop word ending there (one regex pass per paragraph, not one per character)."""
    return {m.end(): (m.group(0),) for m in _rx("left_stop_any").finditer(seg)}


def _ends_with_organ(match: str, lo: int, k: int) -> bool:
    return bool(_rx("suffix_end").search(match[max(lo, k - 8):k]))


@dataclass
class _Conj:
    start: int
    end: int


def _conjuncts(match: str, a: int, b: int) -> list[_Conj]:
    """Every name ending in an organ suffix in match[a:b] (a name with a head inside, 人民政府林业主管部门, is one)."""
    out: list[_Conj] = []
    for m in _rx("suffix").finditer(match, a, b):
        e = m.end()
        nxt = match[e:e + 2]
        # the suffix continues into a longer word (部门规章, 政府采购, 机关事务) or a modifier (…部门的规定)
        if nxt[:1] and "\u4e00" <= nxt[0] <= "\u9fff" and not _may_follow(match, e, b):
            continue
        s = _name_start(match, e, m.start(), a)
        if out and s <= out[-1].end:  # the same name, a longer head: 人民政府 … 主管部门
            if match[out[-1].end:m.start()].find("的") == -1 or out[-1].start == s:
                out[-1] = _Conj(min(out[-1].start, s), e)
                continue
        out.append(_Conj(s, e))
    return out


_NOUN_GOES_ON = re.compile(r"工作人员|工作|规章|职责|人员|事务|采购|信息|网站|公告|文件|性质|经费|财政|预算")


def _may_follow(match: str, e: int, b: int) -> bool:
    """A body's name may end at ``e``: what follows is not the rest of a longer noun (部门规章, 政府采购)."""
    return not _NOUN_GOES_ON.match(match, e, min(b, e + 6))


def bodies_in(text: str, match: str, a: int, b: int, known: frozenset[str] = frozenset()) -> list[Body]:
    """The duty-bearers of match[a:b] (one paragraph), in order, each once per role."""
    out: list[Body] = []
    # the paragraph alone, in its own offsets (k = 0 is a), so masking copies only the paragraph
    seg = match[a:b]
    if not _rx("suffix").search(seg):  # (masking below only hides characters: it adds no organ suffix)
        return []
    if "以下" in seg:  # an alias note (以下简称X) is not part of the name before it
        seg = _ALIAS.sub(lambda m: "\u3000" * len(m.group(0)), seg)
    if _ITEM.search(seg):
        seg = _ITEM.sub(lambda m: m.group(1) + "\u2063" * len(m.group(2)), seg)
    n = len(seg)
    if not _rx("suffix").search(seg):
        return []
    for lst in _lists(seg, 0, n):
        role = _role(seg, lst, 0, n)
        if role is None:
            continue
        for s, e, whole in _split_list(seg, lst):
            s = _strip_qualifiers(seg, s, e)
            name = text[a + s:a + e]
            if len(name) < 2 or not is_government(_strip_bare(seg, *whole), known):
                continue
            out.append(Body(name, a + s, a + e, role))
    seen: set[tuple[str, str]] = set()
    uniq = []
    for bd in out:
        if (bd.name, bd.role) not in seen:
            seen.add((bd.name, bd.role))
            uniq.append(bd)
    return uniq


def _strip_bare(match: str, s: int, e: int) -> str:
    """The last piece of a list sharing one head (财政、民政部门 → 民政部门), for the government test."""
    k = match.rfind("、", s, e)
    return match[k + 1:e] if k != -1 else match[s:e]


def _outermost(conj: list[_Conj]) -> list[_Conj]:
    """The conjuncts no other one holds (start no later, end no earlier; two equal spans drop each other),
    in their order: from the furthest end among those starting before or with each, not from all pairs."""
    if all(a.start < b.start and a.end < b.end for a, b in zip(conj, conj[1:])):
        return list(conj)  # each starts and ends after the one before: none holds another (the usual case)
    order = sorted(range(len(conj)), key=lambda i: conj[i].start)
    held = [False] * len(conj)
    reach = -1  # furthest end among conjuncts starting before the current start
    i = 0
    while i < len(order):
        j = i
        while j < len(order) and conj[order[j]].start == conj[order[i]].start:
            j += 1
        same = order[i:j]
        ends = sorted((conj[k].end for k in same), reverse=True)
        for k in same:  # the furthest end among the others of the same start
            other = ends[1] if conj[k].end == ends[0] and len(ends) > 1 else (ends[0] if conj[k].end != ends[0] else -1)
            held[k] = max(reach, other) >= conj[k].end
        reach = max(reach, ends[0])
        i = j
    return [c for k, c in enumerate(conj) if not held[k]]


def _lists(match: str, a: int, b: int) -> list[list[_Conj]]:
    """Conjuncts joined only by connectors (、 和 及其 或者 以及 …), bare level/sector pieces included."""
    conj = [_with_bare_pieces(match, c, a) for c in _conjuncts(match, a, b)]
    conj = _outermost(conj)
    groups: list[list[_Conj]] = []
    for c in conj:
        if groups:
            gap = match[groups[-1][-1].end:c.start]
            if gap.startswith("等"):
                gap = gap[1:]
            if gap in _CONNECTORS or _GAP.fullmatch(gap):
                groups[-1].append(c)
                continue
            if gap == "的" and _rx("strong_end").search(match, groups[-1][-1].start, groups[-1][-1].end):
                # X部门和Y部门的Z机构: the Z of both, one name
                groups[-1] = [_Conj(groups[-1][0].start, c.end)]
                continue
        groups.append([c])
    for i, g in enumerate(groups):
        # X部门和Y部门的Z机构: the Z of both, one name
        if len(g) > 1 and re.search(r"(?:部门|机关|政府)的", match[g[-1].start:g[-1].end]):
            groups[i] = [_Conj(g[0].start, g[-1].end)]
    return groups


def _with_bare_pieces(match: str, c: _Conj, a: int) -> _Conj:
    """省、自治区、直辖市人民政府 / 发展改革、财政等部门: the bare pieces before a name share its head."""
    k = c.start
    while k - 1 > a and match[k - 1] == "、":
        j = k - 1
        while j > a and match[j - 1] not in _CLAUSE_STOP + "、" and not _stop_before(match, a, j):
            j -= 1
        inner = [m for m in _rx("suffix").finditer(match, j, k - 1)]
        if j == k - 1 or any(m.start() != j or k - 1 - m.end() < 2 for m in inner) or \
                _rx("suffix_end").search(match, j, k - 1) or \
                _rx("verb_start").match(match, j):
            break
        k = j
    return _Conj(k, c.end)


@lru_cache(maxsize=None)
def _role_words() -> tuple[str, ...]:
    return tuple(sorted(_lex()["role_before"], key=len, reverse=True))


def _role_word(before: str) -> Optional[str]:
    """The longest role word ``before`` ends with (only one word of each length can end it)."""
    words = _role_words()
    if not before.endswith(words):  # (str.endswith tries the whole tuple in C)
        return None
    return next(w for w in words if before.endswith(w))


_TAKING_PART = re.compile(r"[^,;。，；]{0,6}参加的")
_SENTENCE_STOP = re.compile(r"[;。；]")
_CLAUSE_REST_STOP = re.compile("[,;。:，；：\n\u2063]")


def _role(match: str, lst: list[_Conj], a: int, b: int) -> Optional[str]:
    s, e = lst[0].start, lst[-1].end
    cs = _clause_start(match, s, a)
    before = match[cs:s]
    after = match[e:min(b, e + 60)].lstrip("\u3000")
    after = after[1:] if after.startswith("等") else after
    if _rx("verb_start").match(match, s) or _rx("attributive_after").match(after) or \
            _rx("personnel_after").match(after):
        return None
    rb = _lex()["role_before"]
    word = _role_word(before)
    if word is not None:
        kind = rb[word]
        if kind == "lead":
            if _TAKING_PART.match(after):  # 由相关部门参加的联席会议: a description
                return None
            return "lead"
        if kind == "responsible":
            return "responsible"
        if kind == "lead_if_approve":
            m = _rx("approve").match(after)
            return "lead" if m and not after.startswith("的", m.end()) else None
        if kind == "lead_if_apply":
            return "lead" if _rx("apply_verbs").match(after) else None
        if kind == "lead_if_duty":  # 成立土地调查领导小组，组织和领导…: a body set up and given a duty
            return "lead" if _rx("duty_after_set_up").match(after) else None
        if kind == "responsible_if_cooperate":
            clause_end = _SENTENCE_STOP.search(after)
            return "responsible" if _rx("partner").search(after[:clause_end.start() if clause_end else 60]) else None
        return None
    # the subject: nothing but qualifiers between the clause start and the name
    if before.strip() in ("", "各", "任何", "其", "凡") or _relative_only(before):
        rest = _clause_rest(after)
        if after.startswith("的") or (rest.endswith("的") and (not after.startswith("对") or _HAS_X.search(rest))):
            # a modifier, or a condition (…受理的，); X对…的，准予… is X's own act
            return None
        if match[cs - 1:cs] == "\u2063" and not _rx("modal").match(after):  # an item of a list of matters
            return None
        clause_end = _SENTENCE_STOP.search(after)
        rest = after[:clause_end.start()] if clause_end else after
        adverbials = _rx("role_adverbials")
        for _ in range(3):
            rest = adverbials.sub("", rest)
        if _rx("cooperate").match(rest):
            return "responsible"
        return "lead"
    return None


def _clause_rest(after: str) -> str:
    m = _CLAUSE_REST_STOP.search(after)
    return after[:m.start()] if m else after


def _relative_only(before: str) -> bool:
    """收到申请的 / 其毗邻的 / 接到报告的 before the subject: a qualifier, no governing word."""
    return bool(re.fullmatch(r"[^,;。，；]{1,16}的", before)) and not re.match(
        r"(?:按照|依照|依据|根据|参照|向|对|由|经|报(?!告)|会同|组织|与)", before)


def _split_list(match: str, lst: list[_Conj]) -> list[tuple[int, int, tuple[int, int]]]:
    """The written names of one list (with the conjunct each comes from): sector stems split, levels
    whole, different heads apart."""
    out: list[tuple[int, int, tuple[int, int]]] = []
    for c in lst:
        whole = (c.start, c.end)
        pieces = _pieces(match, c.start, c.end)
        if len(pieces) == 1:
            out.append((c.start, c.end, whole))
            continue
        heads = pieces[:-1]
        last_s, last_e = pieces[-1]
        if _is_level_list(match, heads) or re.search(r"(?:部门|机关|政府)的", match[c.start:c.end]):
            out.append((c.start, c.end, whole))  # 省、自治区、直辖市人民政府
            continue
        # sector list: the stems, the shared head (等有关部门, 部门) and the shared level prefix dropped
        stem_end = _stem_end(match, last_s, last_e)
        first_s, first_e = heads[0]
        out.append((_drop_level_prefix(match, first_s, first_e), first_e, whole))
        out.extend((ps, pe, whole) for ps, pe in heads[1:])
        if stem_end > last_s:
            out.append((last_s, stem_end, whole))
    return out


def _is_level_list(match: str, heads: list[tuple[int, int]]) -> bool:
    """The pieces before the last one are levels sharing its head (省、自治区、直辖市人民政府); the first may
    carry a longer qualifier when more levels follow it (国家大气污染防治重点区域内有关省、自治区、…)."""
    def level(ps: int, pe: int) -> bool:
        return bool(_rx("level_piece").match(re.sub(_rx("qualifier").pattern, "", match[ps:pe])))

    if all(level(ps, pe) for ps, pe in heads):
        return True
    return len(heads) >= 2 and all(level(ps, pe) for ps, pe in heads[1:]) and \
        _rx("level_end").search(match, heads[0][0], heads[0][1]) is not None


def _pieces(match: str, s: int, e: int) -> list[tuple[int, int]]:
    """Split a conjunct on 、 and on 和 between bare level words (not inside brackets)."""
    out, k, depth = [], s, 0
    for j in range(s, e):
        c = match[j]
        if c in "(（":
            depth += 1
        elif c in ")）":
            depth = max(0, depth - 1)
        elif c == "、" and depth == 0:
            out.append((k, j))
            k = j + 1
    out.append((k, e))
    return out


def _stem_end(match: str, s: int, e: int) -> int:
    """民政部门 → 民政; 市场监督管理等有关部门 → 市场监督管理."""
    m = re.search(r"等?(?:有关|相关|其他)?(?:行政)?(?:主管)?部门$", match[s:e])
    return s + m.start() if m else e


def _drop_level_prefix(match: str, s: int, e: int) -> int:
    m = re.match(r"(?:国务院|县级以上地方人民政府|县级以上人民政府|县级以上地方各级人民政府|省、自治区、直辖市人民政府|"
                 r"[\u4e00-\u9fff]{0,8}?人民政府|地方各级人民政府|各级人民政府)(?=[\u4e00-\u9fff]{2})", match[s:e])
    return s + m.end() if m and s + m.end() < e else s


def _strip_qualifiers(match: str, s: int, e: int) -> int:
    m = _rx("qualifier").match(match[s:e])
    if m and m.end() < e - s - 2:
        return s + m.end()
    return s


def defined_names(text: str, match: str, a: int, b: int) -> dict[str, str]:
    """（以下简称X） after a body's name: the short name X stands for that body."""
    out: dict[str, str] = {}
    for m in re.finditer(r"[（(]以下(?:简称|统称|称)[“\"]?(?P<short>[^”\"）)]{2,20})[”\"]?[）)]", match[a:b]):
        out[text[a + m.start("short"):a + m.end("short")]] = text[max(a, a + m.start() - 30):a + m.start()]
    return out
