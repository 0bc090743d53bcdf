"""Responsibility markers: who leads (牵头) and who shares (责任/配合/参与) a task.

Formats understood (matching runs on the Simplified copy, names are sliced from
the written text so Traditional names keep their form):
  （牵头单位：X；责任单位：Y、Z）      labels inside brackets
  牵头单位:X / 责任单位:Y,Z            labels on lines of their own, or table cells
  （X牵头，Y配合）（X、Y牵头落实）      role words after the units
  （X负责）（X、Y、Z负责）              one unit leads; several share
  由X承办，Y、Z配合                    sentence form
  （X、Y）                             a bare list: all share (or the first leads
                                       when the text declares that convention)
A marker cut off by the end of the text still yields the units it names.
"""
from __future__ import annotations

import bisect
import itertools
import re
from functools import cached_property, lru_cache
from typing import Iterator
from dataclasses import dataclass, field

from loaders.extract.lexicon import lexicon
from loaders.text.scanning import finditer_from, first_chars, search_from

_OPEN, _CLOSE = "（(〔[［【", "）)〕]］】"
_ORG_TAIL = re.compile(
    r"(?:政府|部门|机构|单位|委员会|管委会|委|局|办|厅|部|院|中心|行|支行|分行|会|所|站|处|署|室|队|团|社|联|馆|庭|公司|集团|办事处|街道|专班|组|分局|监管局|总队|支队|大队|海关|法院|检察院|银行|学校|医院|保险|[乡镇村]政府|管理处)$"
)


@dataclass
class Unit:
    name: str
    start: int  # normalised offsets of the written name
    end: int


@dataclass
class MarkerGroup:
    start: int
    end: int
    lead: list[Unit] = field(default_factory=list)
    responsible: list[Unit] = field(default_factory=list)
    alone: list[Unit] = field(default_factory=list)  # "X负责": decided by count / convention
    bare: bool = False
    declares_first_lead: bool = False
    carry: list[Unit] = field(default_factory=list)  # units the text adds to every later task ("以下…不再列出")
    cut: bool = False
    sentence: tuple[int, int] | None = None  # responsibility in prose: the sentence that assigns it


def _lex() -> dict:
    return lexicon("roles")


@lru_cache(maxsize=None)
def _words(key: str) -> list[str]:
    return sorted(_lex()[key], key=len, reverse=True)


@lru_cache(maxsize=None)
def _rx(name: str) -> re.Pattern:
    """Patterns built from the lexicon, compiled once."""
    alt = lambda *keys: "|".join(re.escape(w) for k in keys for w in _words(k))  # noqa: E731
    if name in ("label_lead", "label_responsible"):
        return re.compile("(?:" + alt(name) + r")\s*[:：|]\s*\|?")
    if name == "other_labels":
        return re.compile("(?:" + "|".join(map(re.escape, _lex()["other_labels"])) + r")\s*[:：]")
    if name == "inline_lead":
        return re.compile(_lex()["inline_lead"])
    if name == "carry_forward":
        return re.compile(_lex()["carry_forward"])
    if name == "label_word":  # every label_line match holds one
        return re.compile(alt("label_lead", "label_responsible"))
    if name.endswith("_first"):  # what a match of the named pattern opens with (loaders/text/scanning.py)
        return first_chars(_rx(name[:-len("_first")]))
    if name == "unit_prefix":
        return re.compile(alt("unit_prefixes"))
    if name == "suffix_any":  # any role word written after the units
        return re.compile(alt("suffix_lead", "suffix_responsible", "suffix_alone"))
    if name == "label_line":
        return re.compile(r"(?m)(?:^|(?<=[。；;]))[ \t|]*(?:" + alt("label_lead", "label_responsible") + r")\s*[:：|]")
    if name == "sentence":
        return re.compile(r"(?:^|(?<=[。；;\n]))\s*由(?P<lead>[^，,。；;\n]{2,60}?)(?:" + alt("sentence_lead") + r")"
                          r"(?:[，,]\s*(?P<resp>[^，,。；;\n]{2,120}?)(?:" + alt("sentence_responsible") + r"))?\s*(?=[。；;\n]|$)")
    if name == "first_is_lead":
        return re.compile(_lex()["first_is_lead_rx"])
    if name == "open":
        return re.compile("[" + re.escape(_OPEN) + "]")
    raise KeyError(name)


def declares_first_lead(text: str) -> bool:
    """Does the text declare that the first-listed unit leads (排名首位的部门牵头)?"""
    return any(p in text for p in _own_phrases()) or \
        search_from(_rx("first_is_lead_first"), _rx("first_is_lead"), text, 0, len(text)) is not None


_LOOKS_AROUND = re.compile(r"\(\?<?[=!]|[$^]|\\[AbBZ]")


@lru_cache(maxsize=1)
def _own_phrases() -> tuple[str, ...]:
    """The first_is_lead phrases the first_is_lead pattern finds nothing in: a text holding one of the
    others holds a match of the pattern too (it has no anchor nor look-around that could see past the
    phrase), so only these need a scan of their own."""
    rx = _rx("first_is_lead")
    if _LOOKS_AROUND.search(rx.pattern):
        return tuple(_lex()["first_is_lead"])
    return tuple(p for p in _lex()["first_is_lead"] if rx.search(p) is None)


_UNIT_SPLIT = re.compile("[（()）、，,；;：:]")
_BRACKET_AT_END = re.compile(r"[（(][^（()）]*[)）]$")
_ETC_UNITS_AT_END = re.compile(r"等(?:有关|相关|其他)?(?:部门|单位|机构)$")
_NO_NAME = re.compile(r"[。：:；;！？]|\d{3,}")  # a sentence's punctuation or a long number: no unit name


def split_units(text: str, match: str, start: int, end: int) -> list[Unit]:
    """Split a list of units on 、，,；; (not inside brackets), keeping shared suffixes whole."""
    plain = _plain_units(text, match, start, end)
    if plain is not None:
        return plain
    pieces: list[tuple[int, int]] = []
    depth, a = 0, start
    for m in _UNIT_SPLIT.finditer(match, start, end):  # brackets and separators only
        c, k = m.group(), m.start()
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth = max(0, depth - 1)
        elif depth == 0:
            pieces.append((a, k))
            a = k + 1
    pieces.append((a, end))
    # 各县、区人民政府(管委会): a one-character piece shares the suffix of the next
    merged: list[list[int]] = []
    for a, b in pieces:
        if merged and merged[-1][2]:
            merged[-1][1] = b
            merged[-1][2] = _is_fragment(match[merged[-1][0]:b])
            continue
        merged.append([a, b, _is_fragment(match[a:b])])
    out: list[Unit] = []
    # what the range holds decides which of the tests below can find anything in a piece of it
    has_close = match.find(")", start, end) != -1 or match.find("）", start, end) != -1
    has_etc = match.find("等", start, end) != -1
    has_conjunction = _CONJUNCTION.search(match, start, end) is not None
    for a, b, _ in merged:
        _piece_units(text, match, a, b, out, has_close, has_etc, has_conjunction)
    return out


def _piece_units(text: str, match: str, a: int, b: int, out: list[Unit],
                 has_close: bool = True, has_etc: bool = True, has_conjunction: bool = True) -> None:
    """The units of one (merged) piece of a list, added to out. The has_* flags say whether the list holds
    a closing bracket, 等, a conjunction: without one, the test looking for it is skipped (it would find
    nothing), so True is always right."""
    # trim spaces, 由, 等, trailing punctuation
    a = _trimmed_start(match, a, b)
    while b > a and match[b - 1] in _TRAILING:
        b -= 1
    conv = _BRACKET_AT_END.search(match, a, b) if has_close and _may_end_with(match, (")", "）"), a, b) else None
    if conv and declares_first_lead(conv.group(0)):  # 市税务局(列第一位者为工作牵头单位,下同)
        b = conv.start()
    tail = _ETC_UNITS_AT_END.search(match, a, b) \
        if has_etc and _may_end_with(match, ("部门", "单位", "机构"), a, b) else None
    if tail and looks_like_unit(match[a:tail.start()]):  # 市财政局等部门 → 市财政局
        b = tail.start()
    for a, b in _conjuncts(match, a, b) if has_conjunction else ((a, b),):
        name = text[a:b]
        if 2 <= len(name) <= 40 and not _NO_NAME.search(name):
            out.append(Unit(name, a, b))


_TRAILING = " \t\n|。.等；;，,、（("  # trimmed from the end of a piece


def _trimmed_start(match: str, a: int, b: int) -> int:
    """Where a list piece [a, b) starts once its leading spaces, 及/和 and one unit prefix (由 …) are cut; a
    prefix is cut only when more than one character is left after it."""
    while a < b and match[a] in " \t\n|及和":
        a += 1
    if match.startswith(_any_prefix(), a):
        for pre in _words("unit_prefixes"):
            if match.startswith(pre, a) and b - a > len(pre) + 1:
                return a + len(pre)
    return a


@lru_cache(maxsize=1)
def _any_prefix() -> tuple[str, ...]:
    return tuple(_words("unit_prefixes"))


# what the rules of split_units react to, but the separators: brackets, spaces, the characters trimmed
# from a piece's ends (|及和 before, 。.等 after), 等 of a 等部门 tail, a conjunction (及 和 与 以及)
_NOT_PLAIN = re.compile(r"[（()）\s|及和与等。.]")
_NO_NAME_CHAR = re.compile(r"[。：:；;！？\d]")  # every _NO_NAME match holds one
_SEPARATOR = re.compile("[、，,；;：:]")  # _UNIT_SPLIT without its brackets


def _plain_units(text: str, match: str, start: int, end: int) -> list[Unit] | None:
    """split_units of a plain list (市委农办、市农业局、市水务局: the usual case), or None when the list needs
    the general reading. With none of _NOT_PLAIN's characters, no unit prefix and no one-character piece
    (one that would share the next one's suffix), no piece is merged, trimmed or split: each piece between
    separators is a name when 2 to 40 characters long with no _NO_NAME in it."""
    if _NOT_PLAIN.search(match, start, end) is not None:
        return None
    # with no bracket in the range, _UNIT_SPLIT finds just the one-character separators: the pieces are
    # what str.split-like _SEPARATOR.split gives, their offsets from their lengths
    pieces: list[tuple[int, int]] = []
    a = start
    for piece in _SEPARATOR.split(match[start:end]):
        n = len(piece)
        if n < 3 and (n == 1 or (n == 2 and piece[0] == "各")):  # a fragment
            return None
        pieces.append((a, a + n))
        a += n + 1
    if _rx("unit_prefix").search(match, start, end) is not None:  # (a prefix only counts at a piece's start)
        prefixes = tuple(_words("unit_prefixes"))
        if any(match.startswith(prefixes, a) for a, _ in pieces):
            return None
    may_hold_no_name = _NO_NAME_CHAR.search(text, start, end) is not None
    return [Unit(text[a:b], a, b) for a, b in pieces
            if 2 <= b - a <= 40 and not (may_hold_no_name and _NO_NAME.search(text, a, b))]


def _may_end_with(match: str, words: tuple[str, ...], a: int, b: int) -> bool:
    """Can a pattern ending in (?:words)$ match in match[a:b]? ($ stands at b or before a newline there)"""
    if b > a and match[b - 1] == "\n":
        b -= 1
    return match.endswith(words, a, b)


_CONJUNCTION = re.compile(r"及|和|与|以及")


def _conjuncts(match: str, a: int, b: int) -> list[tuple[int, int]]:
    """市级各有关部门及各县市区政府 → two units, when both sides are units (住房和城乡建设局 stays whole)."""
    out: list[tuple[int, int]] = []
    right_unit = None  # built when first asked
    for m in _CONJUNCTION.finditer(match, a, b):
        s, e = m.start(), m.end()
        # cheap tests first, before slicing: the left side must end in an organ tail (a tail is at most
        # 3 characters, $ may stand before a final newline, so its last 5 characters decide); a left side
        # ending so is a unit (looks_like_unit strips nothing from a tail), and the right side's answer
        # comes from what is found once for the range, so a run of 和 is linear (was quadratic)
        if s - a < 2 or b - e < 2 or match.startswith("其", e) or not _ORG_TAIL.search(match, max(a, s - 5), s):
            continue
        if right_unit is None:  # (a is still the range's start here)
            right_unit = _RightIsUnit(match, a, b)
        if right_unit(e):
            out.append((a, s))
            a = e
    out.append((a, b))
    return out


class _RightIsUnit:
    """looks_like_unit(match[e:b]) for any e in [a, b), from the range's stripped end and its trailing
    bracket (found once) and the first solid character from e (a pointer that only moves forward)."""

    def __init__(self, match: str, a: int, b: int):
        self.match, self.b = match, b
        r = b
        while r > a and match[r - 1].isspace():
            r -= 1
        self.r = r  # the stripped end
        self.paren = -1  # a trailing (…) of [?, r): the last opening bracket with no bracket after it
        if r - a >= 2 and match[r - 1] in ")）":
            k = r - 2
            while k >= a and match[k] not in "（()）":
                k -= 1
            if k >= a and match[k] in "（(":
                self.paren = k
        self.solid_from, self.solid = a, a  # the first non-space at or after solid_from is solid
        self.solid = self._first_solid(a)

    def _first_solid(self, e: int) -> int:
        k = e
        while k < self.r and self.match[k].isspace():
            k += 1
        return k

    def __call__(self, e: int) -> bool:
        if e > self.solid:  # past the last answer: scan on (positions in between are spaces)
            self.solid = self._first_solid(e)
        elif e < self.solid_from:
            self.solid = self._first_solid(e)
        self.solid_from = e
        start = self.solid
        if start >= self.r:
            return False
        end = self.paren if self.paren >= start else self.r
        return bool(_ORG_TAIL.search(self.match, max(start, end - 5), end)) \
            or self.match.startswith(("各", "有关", "相关"), start, end)


def _convention_only(content: str) -> bool:
    """Is the whole text a statement of the first-listed-leads convention (no unit named in it)?"""
    rest = _rx("first_is_lead").sub("", content)
    for p in _lex()["first_is_lead"]:
        rest = rest.replace(p, "")
    rest = re.sub(r"(?:" + "|".join(map(re.escape, _words("label_responsible") + _words("label_lead"))) + r")", "", rest)
    rest = re.sub(r"[单位部门中的者或汇总工作下同，,。；;\s]", "", rest)
    return len(rest) <= 2


_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")


def _is_fragment(piece: str) -> bool:
    bare = piece.strip()
    if "(" in bare or "（" in bare:
        bare = _BRACKETED.sub("", bare)
    if bare.startswith("各"):
        bare = bare[1:]
    return 0 < len(bare) <= 1


@lru_cache(maxsize=8192)
def looks_like_unit(name: str) -> bool:
    n = re.sub(r"[（(][^（()）]*[)）]$", "", name.strip())
    return bool(_ORG_TAIL.search(n)) or bool(re.match(r"^(?:各|有关|相关)", n))


_CLAUSE = re.compile(r"[^，,；;。]+")


def _parse_content(text: str, match: str, a: int, b: int) -> MarkerGroup | None:
    """Parse the inside of a marker (between the brackets, or a run of label lines)."""
    g = MarkerGroup(a, b)
    content = match[a:b]
    if declares_first_lead(content):
        g.declares_first_lead = True
        if _convention_only(content):
            return None  # (责任单位中排序第一单位为牵头单位): a convention, not a marker
    cm = _rx("carry_forward").search(content)
    if cm:
        g.carry = split_units(text, match, a + cm.start("units"), a + cm.end("units"))
    labels = []
    if _LABEL_COLON.search(content):  # every label ends in one
        labels = sorted([(m.start() + a, m.end() + a, kind)
                         for kind in ("label_lead", "label_responsible")
                         for m in _rx(kind).finditer(content)])
    if labels:
        other = _rx("other_labels")
        inline_lead, inline_first = _rx("inline_lead"), _rx("inline_lead_first")
        for i, (s, e, kind) in enumerate(labels):
            stop = labels[i + 1][0] if i + 1 < len(labels) else b
            om = other.search(match, e, stop)  # （责任单位：X；完成时限：2016年底）
            if om:
                stop = om.start()
            dot = match.find("。", e, stop)  # 责任单位：X、Y。2023年6月底前完成。: a name holds no 。
            if dot != -1:
                stop = dot
            # a unit holds an inline lead mark only if the list holds a character one opens with
            inline = inline_first is None or inline_first.search(match, e, stop) is not None
            for u in split_units(text, match, e, stop):
                m = inline_lead.search(match, u.start, u.end) if inline else None
                if m:  # 责任单位：市发展改革委（牵头）、市财政局
                    end = m.start()
                    g.lead.append(Unit(text[u.start:end], u.start, end))
                else:
                    (g.lead if kind == "label_lead" else g.responsible).append(u)
        return g if (g.lead or g.responsible) else None
    # role words after the units, clause by clause. A clause is a piece of the content: it holds a stop
    # phrase, a role word or a declaration (phrases and a pattern with no anchor or look-around) only
    # if the content does, so each is looked for in the clauses only then
    stops = any(p in content for p in _lex()["stop_phrases"])
    roles = _rx("suffix_any").search(content) is not None
    declares = g.declares_first_lead
    pending: list[Unit] = []
    found_role = False
    for m in _CLAUSE.finditer(match, a, b):
        cs, ce = m.start(), m.end()
        clause = match[cs:ce].strip()
        if not clause or (stops and any(p in clause for p in _lex()["stop_phrases"])) \
                or (declares and declares_first_lead(clause)):
            continue
        hit = None
        for kind in ("suffix_lead", "suffix_responsible", "suffix_alone") if roles else ():
            for w in _words(kind):
                k = match.rfind(w, cs, ce)
                if k != -1 and match[k + len(w):ce].strip() in ("", "落实", "实施", "推进", "督导"):
                    hit = (kind, k)
                    break
            if hit:
                break
        if hit is None:
            units = split_units(text, match, cs, ce)
            if units and all(looks_like_unit(u.name) for u in units):
                pending.extend(units)
            continue
        kind, k = hit
        together = next((w for w in _words("together_with") if 0 < match.find(w, cs, k) - cs), None)
        if together and kind != "suffix_responsible":
            # 发展改革委会同财政部负责: the first leads, those it works with share
            w = match.find(together, cs, k)
            g.lead.extend(pending + split_units(text, match, cs, w))
            g.responsible.extend(split_units(text, match, w + len(together), k))
            pending = []
            found_role = True
            continue
        units = pending + split_units(text, match, cs, k)
        pending = []
        units = [u for u in units if not u.name.startswith(("年内", "持续", "今年"))]
        if not units:
            continue
        found_role = True
        {"suffix_lead": g.lead, "suffix_responsible": g.responsible, "suffix_alone": g.alone}[kind].extend(units)
    if found_role:
        g.responsible.extend(pending)
        return g
    units = split_units(text, match, a, b)
    if units and all(looks_like_unit(u.name) for u in units):
        g.bare = True
        g.responsible.extend(units)
        return g
    return None


_BRACKET_OR_NEWLINE = re.compile("[" + re.escape(_OPEN + _CLOSE) + "\n]")
_ITEM_LINE = re.compile(r"\n\s*(?:\d{1,3}[.．、]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")


def _close_of(match: str, k: int, limit: int) -> int:
    """Index of the bracket closing the one at k, or -1 when it is cut or runs away (400 characters, or
    a new numbered item on the next line). Only brackets and newlines are looked at."""
    limit = min(limit, k + 400)
    first = _BRACKET_OR_NEWLINE.search(match, k + 1, limit)
    if first is not None and first.group() in _CLOSE:  # the common case: nothing nested, one line
        return first.start()
    depth = 0
    for m in _BRACKET_OR_NEWLINE.finditer(match, k, limit):
        c, j = m.group(), m.start()
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
            if depth == 0:
                return j
        elif j > k + 1 and _ITEM_LINE.match(match, j, j + 6):  # a newline
            return -1
    return -1


_MARKER_HINT = re.compile(r"牵头|责任单位|配合|参与|负责|协办|承办")
_MARKER_HINT_AT = re.compile(r"(?=(牵头|责任单位|配合|参与|负责|协办|承办))")  # every start, overlapping too
_NEWLINE = re.compile("\n")


class _Range:
    """Questions find_markers asks about stretches of match[start:end] up to its end, each answered in
    log time from one pass over the range, made on first use (asked of slices, they made deeply nested
    or cut brackets quadratic)."""

    def __init__(self, match: str, start: int, end: int):
        self.match, self.start, self.end = match, start, end
        self._after_spaces: dict[int, int] = {}

    @cached_property
    def newlines(self) -> list[int]:
        return [m.start() for m in _NEWLINE.finditer(self.match, self.start, self.end)]

    @cached_property
    def hints(self) -> tuple[list[int], list[int]]:
        """Start of every hint word (overlapping ones too) and the nearest end of a hint from there on."""
        found = [(m.start(), m.start() + len(m.group(1))) for m in _MARKER_HINT_AT.finditer(self.match, self.start, self.end)]
        return [a for a, _ in found], list(itertools.accumulate((b for _, b in reversed(found)), min))[::-1]

    @cached_property
    def last_solid(self) -> int:
        """The last character of the range that is not white space (start - 1: none)."""
        last = self.end - 1
        while last >= self.start and self.match[last].isspace():
            last -= 1
        return last

    def hint_in(self, a: int, b: int) -> bool:
        """_MARKER_HINT.search(match[a:b]) without the slice: a hint word starts at a or later and ends by b."""
        starts, ends = self.hints
        i = bisect.bisect_left(starts, a)
        return i < len(starts) and ends[i] <= b

    def newline_from(self, a: int) -> int:
        """The first newline at or after a, or end."""
        i = bisect.bisect_left(self.newlines, a)
        return self.newlines[i] if i < len(self.newlines) else self.end

    def inner_newline(self, a: int) -> bool:
        """Is there a newline inside match[a:end].strip()?"""
        p = a
        while p < self.end and self.match[p].isspace():
            p += 1
        return p < self.last_solid and self.newline_from(p) < self.last_solid

    def skip_spaces(self, a: int) -> int:
        """The first index from a on that is not " " (end: none); remembered, as cut markers share an end."""
        if a not in self._after_spaces:
            b = a
            while b < self.end and self.match[b] == " ":
                b += 1
            self._after_spaces[a] = b
        return self._after_spaces[a]


_LONG_HEAD = 44  # a unit name is at most 40 characters; a head this long is in no unit (see _CutHeads)
_DEPTH = re.compile("[（()）]")  # the brackets split_units counts


class _CutHeads:
    """_parse_content of cut markers that open with a long run of one bracket, each parsed once per run.

    A run of n unclosed brackets makes n cut markers sharing their end, each parsed to that end
    (quadratic). Their contents differ only in how many brackets of the run they start with (the head):
    c*h + R. While both heads are at least _LONG_HEAD long, and (for （ or (, which split_units counts)
    R never closes as many brackets as the head opens, _parse_content(c*h + R) is None exactly when
    _parse_content(c*(h-1) + R) is: no cue word, label, phrase or pattern of the lexicon holds a bracket,
    so they find the same things in R; every unit list that takes in the head has the head in one piece
    (no separator of R at depth 0; 〔[［【 are not counted, and never stripped or split on) whose unit
    holding it is over 40 characters and dropped (its bracket of a trailing (…) at most cuts one off),
    while the units after it come from R alone; the convention test keeps the head, so it is never
    convention only. So after one None for (run end, marker end), the run's later brackets with a long
    head are None without parsing; the last _LONG_HEAD are parsed as before.

    Labels: a content holding a label (牵头单位：) is parsed from its labels on, what stands before its first
    label is never read but by the convention test. Once a content with labels, not declaring the
    convention, is None (none of its labels names a unit), every later cut marker with the same end whose
    content still holds one of those labels, and does not start inside one, is None too: its labels are
    those of the first content from its start on (the patterns hold no look-behind), with the same
    stretches after them."""

    def __init__(self, match: str):
        self.match = match
        self.run = (-1, -1)  # (first, end) of the last run of one character found
        self.none: set[tuple[int, int]] = set()  # (run end, marker end) parsed to None with a long head
        self.closes: dict[tuple[int, int], bool] = {}
        # marker end -> (first start, label starts, furthest label ends) of a None with labels; None: no labels
        self.labels_none: dict[int, tuple[int, list[int], list[int]] | None] = {}
        # marker end -> the start of its first content parsed to None with no label, then its _CutLine
        self.lines: dict[int, int | _CutLine | None] = {}

    def _run_end(self, a: int) -> int:
        first, stop = self.run
        if not (first <= a < stop and self.match[a] == self.match[first]):
            stop, c = a, self.match[a]
            while stop < len(self.match) and self.match[stop] == c:
                stop += 1
            self.run = (a, stop)
        return self.run[1]

    def _closes_head(self, r: int, b: int) -> bool:
        """Does match[r:b] ever close _LONG_HEAD more （( than it opens (split_units' depth)?"""
        key = (r, b)
        if key not in self.closes:
            depth, most = 0, 0
            for m in _DEPTH.finditer(self.match, r, b):
                depth += 1 if m.group() in "）)" else -1
                if depth > most:
                    most = depth
                    if most >= _LONG_HEAD:
                        break
            self.closes[key] = most >= _LONG_HEAD
        return self.closes[key]

    def parse(self, text: str, a: int, b: int) -> MarkerGroup | None:
        key = None
        if a < b and self.match[a] in _OPEN:
            r = self._run_end(a)
            if b >= r >= a + _LONG_HEAD and not (self.match[a] in "（(" and self._closes_head(r, b)):
                key = (r, b)
                if key in self.none:
                    return None
        if self.labels_none.get(b) is not None and self._same_labels(a, b):
            return None
        if self._known_none(text, a, b):
            return None
        g = _parse_content(text, self.match, a, b)
        if g is None and key is not None:
            self.none.add(key)
        if g is None and b not in self.labels_none:
            self._remember_labels(a, b)
            if b in self.labels_none and self.labels_none[b] is None:  # no label: _CutLine can read the later contents with this end
                self.lines[b] = a
        return g

    def _known_none(self, text: str, a: int, b: int) -> bool:
        """Does the _CutLine of end b (made for the second content with that end) say None?"""
        line = self.lines.get(b)
        if isinstance(line, int):
            usable = _CutLine.usable() and not declares_first_lead(self.match[line:b])
            line = self.lines[b] = _CutLine(text, self.match, line, b) if usable else None
        if line is None:
            return False
        try:
            return line.is_none(a)
        except _Unknown:
            return False

    def _remember_labels(self, a: int, b: int) -> None:
        """After a None: the labels of match[a:b], if it has some and does not declare the convention."""
        spans = sorted((m.start(), m.end()) for kind in ("label_lead", "label_responsible")
                       for m in _rx(kind).finditer(self.match, a, b))
        if not spans:  # nor has any later content with this end
            self.labels_none[b] = None
        elif not declares_first_lead(self.match[a:b]):
            self.labels_none[b] = (a, [s for s, _ in spans], list(itertools.accumulate((e for _, e in spans), max)))

    def _same_labels(self, a: int, b: int) -> bool:
        """Are the labels of match[a:b] the remembered ones from a on (a label starts at a or later and
        none of them, of either kind, holds a inside)?"""
        first, starts, ends = self.labels_none[b]
        i = bisect.bisect_left(starts, a)  # the first label from a on
        return a >= first and i < len(starts) and (i == 0 or ends[i - 1] <= a)


_SPLIT_SEPARATORS = "、，,；;：:"  # _UNIT_SPLIT without its brackets
_CLAUSE_SEPARATOR = re.compile("[，,；;。]")  # what _CLAUSE stops at
_ROUND = re.compile("[（()）]")
_ROUND_CLOSE = re.compile("[）)]")
_CONJUNCTION_CHAR = re.compile("[及和与]")  # every _CONJUNCTION match holds one
_NOT_SURVIVING = ("年内", "持续", "今年")  # units _parse_content drops before a role word
_SHORT = 64  # a piece this short is read as split_units reads it; a longer one only when it may name a unit
_NO_UNITS = (False, True, False)


def _summary(units: list[Unit]) -> tuple[bool, bool, bool]:
    """What _parse_content asks of a unit list: (any unit, all look like units, any not dropped before a role word)."""
    return (bool(units), all(looks_like_unit(u.name) for u in units),
            any(not u.name.startswith(_NOT_SURVIVING) for u in units))


def _joined(x: tuple[bool, bool, bool], y: tuple[bool, bool, bool]) -> tuple[bool, bool, bool]:
    return x[0] or y[0], x[1] and y[1], x[2] or y[2]


class _Unknown(Exception):
    """_CutLine cannot tell without reading the content as _parse_content does."""


class _CutLine:
    """Is _parse_content(a, b) None? for the cut markers of one line, which share their end b (issue 13).

    Their contents are suffixes of one another: each parsed from its start is quadratic on a line holding
    many brackets left open. Built from the first content of the line, match[lo:b], after it parsed to
    None with no label and no declaration of the convention in it (so no later content holds one: the
    patterns have no look-around), so every content is read clause by clause, then as a bare list. What
    the contents share is read once: the clauses after the first, right to left (does a role word find
    units from there on, with or without units pending?), and the unit lists from a separator on (the
    separator at depth 0 ending the first piece of a list from any start comes from a table built with
    the brackets matched). What is left per start, the first clause and the first piece of a list, is
    read as _parse_content and split_units read it when short; when long, the piece names no unit if
    it holds no conjunction and is too long for a name whatever its end trims. Where this is not known
    (_Unknown), the content is parsed."""

    def __init__(self, text: str, match: str, lo: int, b: int):
        self.text, self.match, self.lo, self.b = text, match, lo, b
        self.seps = [m.start() for m in _CLAUSE_SEPARATOR.finditer(match, lo, b)]
        self.clauses = [(m.start(), m.end()) for m in _CLAUSE.finditer(match, lo, b)]
        self.clause_starts = [cs for cs, _ in self.clauses]
        self.round = [m.start() for m in _ROUND.finditer(match, lo, b)]
        self.closes = [m.start() for m in _ROUND_CLOSE.finditer(match, lo, b)]
        self.conjunctions = [m.start() for m in _CONJUNCTION_CHAR.finditer(match, lo, b)]
        self.next0 = self._depth0_separators()
        self.chains: dict[tuple[int, int], tuple[bool, bool, bool]] = {}
        self.trimmed: dict[int, int] = {}
        self.clause_info: dict[int, tuple] = {}
        self.found_after = self._roles_after()

    @staticmethod
    def usable() -> bool:
        """The patterns whose absence from the line's content is taken for their absence from its suffixes
        have no look-around, nor have the stop phrases edge spaces (the clause is stripped)."""
        return not any(_LOOKS_AROUND.search(_rx(n).pattern) for n in ("label_lead", "label_responsible", "first_is_lead")) \
            and all(p == p.strip() and p for p in _lex()["stop_phrases"])

    # -- unit lists ----------------------------------------------------------------------------------

    def _depth0_separators(self) -> list[int]:
        """For each p in [lo, b]: the first separator split_units(p, b) cuts at (depth 0 counted from p), or b."""
        match, lo, b = self.match, self.lo, self.b
        closing: dict[int, int] = {}
        stack: list[int] = []
        for k in self.round:
            if match[k] in "（(":
                stack.append(k)
            elif stack:
                closing[stack.pop()] = k
        nxt = [b] * (b - lo + 1)
        for p in range(b - 1, lo - 1, -1):
            c = match[p]
            if c in _SPLIT_SEPARATORS:
                nxt[p - lo] = p
            elif c in "（(":
                j = closing.get(p)
                nxt[p - lo] = nxt[j + 1 - lo] if j is not None else b
            else:
                nxt[p - lo] = nxt[p + 1 - lo]
        return nxt

    def _cut(self, p: int, x: int) -> int:
        """The end of the raw piece of split_units(p, x) starting at p."""
        return min(self.next0[p - self.lo], x)

    def _merged(self, p: int, x: int) -> int:
        """The end of the merged piece of split_units(p, x) starting at p (a fragment takes in the next)."""
        e = self._cut(p, x)
        while e < x and _is_fragment(self.match[p:e]):
            e = self._cut(e + 1, x)
        return e

    def units_from(self, a: int, x: int) -> tuple[bool, bool, bool]:
        """_summary(split_units(text, match, a, x)) for lo <= a <= x <= b."""
        e, first = self._first_piece(a, x)
        return first if e >= x else _joined(first, self._chain(e + 1, x))

    def _first_piece(self, a: int, x: int) -> tuple[int, tuple[bool, bool, bool]]:
        """The end and the units of the merged piece of split_units(a, x) starting at a."""
        e = self._cut(a, x)
        if not (e - a > _SHORT and self._no_fragment(a, e)):  # (a long piece: _is_fragment would read it all)
            e = self._merged(a, x)
        return e, self._long_piece(a, e) if e - a > _SHORT else self._piece(a, e)

    def _no_fragment(self, a: int, e: int) -> bool:
        """A piece with no closing bracket (nothing bracketed to drop) and three solid characters is none."""
        i = bisect.bisect_left(self.closes, a)
        if i < len(self.closes) and self.closes[i] < e:
            return False
        solid, k = 0, a
        while k < e and solid < 3:
            solid += not self.match[k].isspace()
            k += 1
        return solid >= 3

    def _piece(self, a: int, e: int) -> tuple[bool, bool, bool]:
        out: list[Unit] = []
        _piece_units(self.text, self.match, a, e, out)
        return _summary(out)

    def _chain(self, q: int, x: int) -> tuple[bool, bool, bool]:
        """_summary(split_units(q, x)) for q just after a separator at depth 0 (q == x: one empty piece),
        each merged piece read once for x."""
        path: list[tuple[int, tuple[bool, bool, bool]]] = []
        while (q, x) not in self.chains:
            e, piece = self._first_piece(q, x)
            path.append((q, piece))
            if e >= x:
                self.chains[(q, x)] = path.pop()[1]
                break
            q = e + 1
        acc = self.chains[(q, x)]
        for p, piece in reversed(path):
            acc = _joined(piece, acc)
            self.chains[(p, x)] = acc
        return acc

    def _trimmed_end(self, e: int) -> int:
        """Where the end trim of a piece ending at e stops, with no start to stop at (lo at most)."""
        if e not in self.trimmed:
            k = e
            while k > self.lo and self.match[k - 1] in _TRAILING:
                k -= 1
            self.trimmed[e] = k
        return self.trimmed[e]

    def _long_piece(self, a: int, e: int) -> tuple[bool, bool, bool]:
        """_piece(a, e) of a long piece with no fragment in it, when it names no unit (else _Unknown): one
        with no conjunction is one name, from after its trimmed head to its trimmed end, less a bracket
        declaring the convention and a 等部门 tail (either way: which is cut is not asked)."""
        match = self.match
        a = _trimmed_start(match, a, e)
        b = max(a, self._trimmed_end(e))
        if b - a < 2:
            return _NO_UNITS
        i = bisect.bisect_left(self.conjunctions, a)
        if i < len(self.conjunctions) and self.conjunctions[i] < b:
            raise _Unknown
        if match[b - 1] in ")）":
            i = bisect.bisect_left(self.round, b - 1) - 1  # the last bracket before the closing one
            if i >= 0 and self.round[i] >= a and match[self.round[i]] in "（(" \
                    and declares_first_lead(match[self.round[i]:b]):
                b = self.round[i]
        ends = [b]
        tail = _ETC_UNITS_AT_END.search(match, max(a, b - 7), b)  # a match is at most 5 long, ends at b or b - 1
        if tail:
            ends.append(tail.start())
        if all(not 2 <= end - a <= 40 for end in ends):
            return _NO_UNITS
        raise _Unknown

    # -- clauses -------------------------------------------------------------------------------------

    def _info(self, j: int) -> tuple:
        """Of clause j, what any suffix of it needs: its end, its last solid character, the last start of
        each stop phrase in it, the role words it ends with (kind, word, last start) in the order they
        are tried, and the starts of each together_with word."""
        if j not in self.clause_info:
            cs, ce = self.clauses[j]
            match = self.match
            last = ce - 1
            while last >= cs and match[last].isspace():
                last -= 1
            stops = [match.rfind(p, cs, ce) for p in _lex()["stop_phrases"]]
            roles = []
            for kind in ("suffix_lead", "suffix_responsible", "suffix_alone"):
                for w in _words(kind):
                    k = match.rfind(w, cs, ce)
                    if k != -1 and match[k + len(w):ce].strip() in ("", "落实", "实施", "推进", "督导"):
                        roles.append((kind, w, k))
            together = []
            for w in _words("together_with"):
                found, k = [], match.find(w, cs, ce)
                while k != -1:
                    found.append(k)
                    k = match.find(w, k + 1, ce)
                together.append((w, found))
            self.clause_info[j] = (ce, last, max(stops, default=-1), roles, together)
        return self.clause_info[j]

    def _roles_after(self) -> list[tuple[bool, bool]]:
        """found_role of _parse_content over clauses j.. (index j), with no unit pending and with one (whole
        clauses: their lists read by split_units itself)."""
        out = [(False, False)] * (len(self.clauses) + 1)
        for j in range(len(self.clauses) - 1, -1, -1):
            cs = self.clauses[j][0]
            out[j] = (self._clause_role(j, cs, out[j + 1], False, whole=True),
                      self._clause_role(j, cs, out[j + 1], True, whole=True))
        return out

    def _clause_role(self, j: int, a: int, after: tuple[bool, bool], pending: bool, whole: bool = False) -> bool:
        """found_role of _parse_content from match[a:ce] of clause j on (pending: a unit that survives a role
        word is pending); after: found_role from the next clause on, with no unit pending and with one."""
        ce, last, stop, roles, together = self._info(j)
        units_from = self._split if whole else self.units_from
        if last < a or stop >= a:  # blank, or holds a stop phrase
            return after[pending]
        hit = next(((kind, k) for kind, _, k in roles if k >= a), None)
        if hit is None:
            units = units_from(a, ce)
            return after[pending or (units[0] and units[1] and units[2])]
        kind, k = hit
        if kind != "suffix_responsible":
            for w, starts in together:
                i = bisect.bisect_left(starts, a)
                if i < len(starts) and starts[i] > a and starts[i] + len(w) <= k:
                    return True
        return pending or units_from(a, k)[2] or after[False]

    def _split(self, a: int, x: int) -> tuple[bool, bool, bool]:
        return _summary(split_units(self.text, self.match, a, x))

    def is_none(self, a: int) -> bool:
        """Is _parse_content(text, match, a, b) None? (lo <= a < b; _Unknown when that is not known here)"""
        j = bisect.bisect_left(self.clause_starts, a)
        if j > 0 and self.clauses[j - 1][1] > a:  # a inside clause j - 1: its suffix is the first clause
            found_role = self._clause_role(j - 1, a, self.found_after[j], False)
        else:
            found_role = self.found_after[j][False]
        if found_role:
            return False
        bare = self.units_from(a, self.b)
        return not (bare[0] and bare[1])


def find_markers(text: str, match: str, start: int, end: int) -> list[MarkerGroup]:
    """Every responsibility marker in text[start:end], in order."""
    groups: list[MarkerGroup] = []
    k = start
    opener = _rx("open")
    rng = _Range(match, start, end)
    heads: _CutHeads | None = None  # made for the first cut marker (most ranges have none)
    while k < end:
        om = opener.search(match, k, end)
        if om is None:
            break
        k = om.start()
        close = _close_of(match, k, end)
        inner_end = close if close != -1 else end
        if close == -1:
            # cut marker: only at the very end of the range
            line_end = rng.newline_from(k + 1)
            hint_on_line = rng.hint_in(k + 1, line_end)
            if rng.inner_newline(k + 1) and not hint_on_line:
                k += 1
                continue
            inner_end = line_end if hint_on_line else max(k + 1, rng.last_solid + 1)
        # a closed bracket's inside is at most 400 characters (_close_of): searched as it is
        hint_inside = rng.hint_in(k + 1, inner_end) if close == -1 else bool(_MARKER_HINT.search(match, k + 1, inner_end))
        if hint_inside or _bare_list_position(match, k, inner_end, start, end, rng):
            if close != -1:
                g = _parse_content(text, match, k + 1, inner_end)
            else:
                heads = heads or _CutHeads(match)
                g = heads.parse(text, k + 1, inner_end)
            if g is not None:
                g.start, g.end = k, (close + 1 if close != -1 else inner_end)
                g.cut = close == -1
                groups.append(g)
                k = g.end
                continue
        k = (close + 1) if close != -1 and not hint_inside and inner_end - (k + 1) < 60 else k + 1
    groups.extend(_label_lines(text, match, start, end, groups))
    groups.extend(_sentence_form(text, match, start, end, groups))
    groups.sort(key=lambda g: g.start)
    return groups


def _bare_list_position(match: str, k: int, close: int, start: int, end: int, rng: _Range) -> bool:
    """A bare (X、Y) list counts only where a marker would stand: alone on its line or after a full stop."""
    b = k - 1  # the last character before k that is not " " (start - 1: none)
    while b >= start and match[b] == " ":
        b -= 1
    a = rng.skip_spaces(close + 1)  # the first character after close that is not " " (end: none)
    before_last = match[b] if b >= start else ""
    after_first = match[a] if a < end else ""
    alone_on_line = before_last in ("", "\n") and after_first in ("", "\n")
    after_sentence = before_last != "" and before_last in "。；;" and (after_first == "" or after_first in "\n。；;")
    return alone_on_line or after_sentence


class _Covered:
    """Is a position inside one of the groups already found? A bisection, not a scan of them all (the
    spans sorted on the first question: most ranges have no match to ask about)."""

    def __init__(self, groups: list[MarkerGroup]):
        self.groups = groups
        self.starts: list[int] | None = None  # (a plain attribute set once: cached_property costs more per use)
        self.ends: list[int] = []

    def _spans(self) -> None:
        spans = sorted((g.start, g.end) for g in self.groups)
        self.starts = [a for a, _ in spans]
        self.ends = list(itertools.accumulate((b for _, b in spans), max))  # furthest end so far

    def __contains__(self, pos: int) -> bool:
        if self.starts is None:
            self._spans()
        starts, ends = self.starts, self.ends
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and pos < ends[k]


_LABEL_COLON = re.compile("[:：|]")


def _label_lines(text: str, match: str, start: int, end: int, taken: list[MarkerGroup]) -> list[MarkerGroup]:
    """Runs of lines that begin with 牵头单位: / 责任单位: (or table cells holding them)."""
    out: list[MarkerGroup] = []
    # every match ends in a colon (the fastest test) and holds a label word
    if _LABEL_COLON.search(match, start, end) is None:
        return out
    runs: list[list[int]] = []
    covered = _Covered(taken)
    for m in _label_line_matches(match, start, end):
        if m.start() in covered:
            continue
        line_end = match.find("\n", m.start())
        line_end = end if line_end == -1 or line_end > end else line_end
        if runs and match[runs[-1][1]:m.start()].strip() == "":
            runs[-1][1] = line_end
        else:
            runs.append([m.start(), line_end])
    for a, b in runs:
        g = _parse_content(text, match, a, b)
        if g is not None:
            g.start, g.end = a, b
            out.append(g)
    return out


_LABEL_ANCHOR = "\n。；;"  # what stands before a label_line match (or the text's start: ^ of (?m))
_LABEL_INDENT = " \t|"  # what label_line allows between its anchor and the label word


def _label_line_matches(match: str, start: int, end: int) -> Iterator[re.Match]:
    """label_line.finditer(match, start, end), found from the label words of the range (the pattern, tried
    at every character it can open with, spaces and common characters, was slow to find few). A match is
    a label word with nothing but _LABEL_INDENT between it and an anchor, so it starts where the run of
    those characters before a label word starts, if an anchor stands right before that run. (A label
    word that label_word skips, inside an earlier one, has no such run before it.)"""
    label_line = _rx("label_line")
    pos = start  # matches do not overlap: the next starts at the end of the last or later
    for w in _rx("label_word").finditer(match, start, end):
        q = w.start()
        while q > start and match[q - 1] in _LABEL_INDENT:
            q -= 1
        if q < pos or not (q == 0 or match[q - 1] in _LABEL_ANCHOR):
            continue
        m = label_line.match(match, q, end)
        if m is not None:
            yield m
            pos = m.end()


def _sentence_form(text: str, match: str, start: int, end: int, taken: list[MarkerGroup]) -> list[MarkerGroup]:
    """由X承办，Y、Z配合。 at the start of a sentence."""
    rx = _rx("sentence")
    out = []
    if match.find("由", start, end) == -1:
        return out  # every match holds 由 (the pattern, tried at every position, is slow to find nothing)
    covered = _Covered(taken)
    for m in finditer_from(_rx("sentence_first"), rx, match, start, end):
        if m.start() in covered:
            continue
        g = MarkerGroup(m.start(), m.end())
        la, lb = m.start("lead"), m.end("lead")
        together = next((w for w in _words("together_with") if match.find(w, la, lb) > la), None)
        if together:  # 由X会同Y、Z负责: X leads, Y and Z share
            w = match.find(together, la, lb)
            g.responsible = split_units(text, match, w + len(together), lb)
            lb = w
        g.lead = split_units(text, match, la, lb)
        if m.group("resp"):
            g.responsible += split_units(text, match, m.start("resp"), m.end("resp"))
        if g.lead and all(looks_like_unit(u.name) for u in g.lead):
            out.append(g)
    return out


def resolve_roles(groups: list[MarkerGroup], first_is_lead: bool,
                  bare_is_lead: bool = False) -> tuple[list[Unit], list[Unit]]:
    """Lead and responsible units of one task from its marker groups.

    ``bare_is_lead``: a marker cut before its role word, in a document whose every other
    marker names only leads ((X牵头) style), names leads too."""
    lead: list[Unit] = []
    resp: list[Unit] = []
    for g in groups:
        if g.bare and g.cut and bare_is_lead and not first_is_lead:
            lead.extend(g.responsible)
            continue
        if g.lead or not (first_is_lead and (g.bare or g.alone)):
            lead.extend(g.lead)
        if g.alone:
            if first_is_lead:
                lead.append(g.alone[0])
                resp.extend(g.alone[1:])
            elif len(g.alone) == 1 and not g.lead:
                lead.extend(g.alone)
            else:
                resp.extend(g.alone)
        if first_is_lead and not g.lead and not g.alone and g.responsible and not any(x.lead for x in groups):
            lead.append(g.responsible[0])
            resp.extend(g.responsible[1:])
        else:
            resp.extend(g.responsible)
    seen: set[str] = set()
    lead = [u for u in lead if not (u.name in seen or seen.add(u.name))]
    resp = [u for u in resp if not (u.name in seen or seen.add(u.name))]
    return lead, resp
