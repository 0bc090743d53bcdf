"""Citations of other documents: 《title》（文号）, a 文号 alone, a 《title》 alone.

* 《title》(文号) is ONE citation: ``cited`` = the 文号, ``cited_title`` = the title.
  A title nested inside the title (《…印发<X>的通知》, 《关于落实《政府工作报告》…》)
  is also cited on its own, as ``refers_to``.
* A 文号 is written as the text has it (NFKC; brackets kept); a damaged one with
  one bracket lost (国发2019〕13号, 黔府办发〔201930号) is repaired to 〔YYYY〕.
  A 文号 outside brackets is a citation only when a cue word introduces it;
  otherwise it is a header (the document's own number, 发文字号：…).
* The relation comes from the nearest cue word before the citation in its clause
  (贯彻落实 → implements, 按照 → based_on, 继续执行 → continues …) or from one
  right after it (《X》同时废止 → repeals); else ``refers_to``. Cue words inside
  other titles do not count.
* ``(以下简称《纲要》)`` makes a later 《纲要》 cite the full title.
* Brackets are searched within the line and at most ``title_max`` characters, so an
  unbalanced 《 or 〔 yields nothing instead of running away.

One call returns each cited key once (first place, strongest relation), so it
works on one task block as well as on a whole document. Word lists live in
``data/lexicon/citations.json``.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Optional

from loaders.extract.lexicon import lexicon
from loaders.text.normalize import NormText
from policykg.model import Citation

_OPEN, _CLOSE = "《〈<", "》〉>"
_BRACKET_OR_BREAK = re.compile("[" + _OPEN + _CLOSE + "\n]")
_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff*＊]{1,12}?)(?P<open>[〔\[(【〈„「]?)(?P<year>(?:19|20)\d{2})"
    r"(?P<close>[〕\])】〉‟」“”]?)(?P<no>第?\d{1,5})(?P<hao>[号號])")
# the part of _NUMBER from its bracket or year on, after a prefix character: a scan for it skips the
# positions where no year follows, which _NUMBER's lazy prefix tries one by one (_number_matches)
_NUMBER_CORE = re.compile(r"(?<=[\u4e00-\u9fff*＊])[〔\[(【〈„「]?(?:19|20)\d{2}[〕\])】〉‟」“”]?第?\d{1,5}[号號]")
_PAREN_NUMBER = re.compile(r"\s*[(（]\s*(?P<num>[^()（）\n]{3,30}?[号號])\s*[)）]")
_CLAUSE_END = ",;。:!?，；：！？\n|\t"
_SPACES = re.compile(r"\s+")
_SENTENCE_END = "。!?！？\n"


@lru_cache(maxsize=1)
def _lex() -> dict:
    return lexicon("citations")


@lru_cache(maxsize=1)
def _rx() -> dict:
    lex = _lex()

    def alt(words) -> str:
        return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))

    return {
        "before": re.compile(alt(lex["relations_before"])),
        "after": re.compile(alt(lex["relations_after"])),
        "stop": re.compile(alt(lex["number_prefix_stop"])),
        "alias": re.compile(rf"\s*[(（](?:{alt(lex['alias'])})[“\"《〈]?(?P<alias>[^”\"》〉()（）\n]{{1,20}})[”\"》〉]?[)）]"),
    }


def citation_key(c: Citation) -> str:
    """The string a task lists in ``Task.cites``: the 文号 if any, else 《title》."""
    return c.cited_number or c.cited


def _balanced(s: str, i: int, limit: int) -> Optional[int]:
    """Index of the 》 closing the 《 at i (nesting counted), or None within the line/limit."""
    depth = 0
    for m in _BRACKET_OR_BREAK.finditer(s, i, min(len(s), i + limit + 2)):  # (other characters change nothing)
        c = m.group()
        if c == "\n":
            return None
        if c in _OPEN:
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start() if c == _CLOSE[_OPEN.index(s[i])] else None
    return None


def _number(m: re.Match, text: str) -> Optional[tuple[int, str]]:
    """(start, 文号 as written or repaired) for a _NUMBER match, None when not a 文号."""
    if not m.group("open") and not m.group("close"):
        return None  # a bare "201913号" is too ambiguous to read
    prefix = m.group("prefix")
    cut = 0
    for st in _rx()["stop"].finditer(prefix):
        cut = st.end()
    prefix = prefix[cut:]
    lex = _lex()
    if len(prefix) > lex["number_prefix_max"]:
        # 财政部国家税务总局财税: the issuing bodies written before the abbreviation are not part of it
        ends = [prefix.rfind(w) + len(w) for w in lex["number_prefix_org_ends"] if w in prefix]
        ends = [e for e in ends if len(prefix) - e >= 2]
        k = max(ends) if ends else len(prefix) - lex["number_prefix_max"]
        cut, prefix = cut + k, prefix[k:]
    if not prefix or prefix in ("第",):
        return None
    a = m.start("prefix") + cut
    if m.group("open") and m.group("close"):
        return a, text[a:m.end()]
    no = m.group("no")
    hao = text[m.end("hao") - 1]
    return a, f"{text[a:m.start('open') if m.group('open') else m.start('year')]}〔{m.group('year')}〕{no}{hao}"


def _is_prefix_char(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch in "*＊"


# the longest _NUMBER_CORE match: bracket, year, bracket, 第, five digits, 号
_CORE_MAX = 13


def _number_matches(s: str, start: int, end: int):
    """The matches of ``_NUMBER.finditer(s, start, end)``, found from their year on.

    A prefix character is never a bracket or a digit, so _NUMBER matches at p exactly when the run of
    prefix characters from p ends, at most 12 characters on, where _NUMBER_CORE matches; the leftmost p
    is the run's start, the previous match's end or 12 characters back.

    A core match ends in the only 号/號 it holds, so the leftmost one is the one ending at the first 号
    that ends any: only the 13 characters before each 号 are searched (_NUMBER_CORE begins with a
    lookbehind, and its scan over a whole document was half the time of the citations)."""
    pos = start
    hao = _hao_positions(s, start, end)
    k = 0
    while True:
        core = None
        while k < len(hao):
            h = hao[k]
            if h > pos:
                core = _NUMBER_CORE.search(s, max(pos + 1, h + 1 - _CORE_MAX), h + 1)
                if core is not None:
                    break  # (the same 号 is looked at again from the new position on)
            k += 1
        if core is None:
            return
        q = core.start()
        p, lo = q - 1, max(pos, q - 12)
        while p > lo and _is_prefix_char(s[p - 1]):
            p -= 1
        m = _NUMBER.match(s, p, end)
        if m is None:  # not reached (see above); never loop on it
            pos = q
            continue
        yield m
        pos = m.end()


def _hao_positions(s: str, start: int, end: int) -> list[int]:
    """Where 号 and 號 stand in s[start:end], in order."""
    out = []
    for c in "号號":
        k = s.find(c, start, end)
        while k != -1:
            out.append(k)
            k = s.find(c, k + 1, end)
    return sorted(out)


class _Bounds:
    """Separator positions in [lo, hi), so that 'start of my clause' is a short search, not a scan of the block.

    Only the clauses around a citation are asked about, so the separators are looked for there, on demand
    (finding every separator of the text once per file took more time than the citations themselves)."""

    def __init__(self, norm: NormText, lo: int, hi: int, chars: str):
        self.s, self.rx = norm.match, _separator_class(chars)
        self.lo, self.hi = lo, hi

    def start_of(self, p: int) -> int:
        """After the last separator in [lo, p), else lo: looked for in windows growing back from p."""
        lo, b = self.lo, min(p, self.hi)
        width = 64
        while b > lo:
            a = max(lo, b - width)
            last = None
            for last in self.rx.finditer(self.s, a, b):
                pass
            if last is not None:
                return last.start() + 1
            b, width = a, width * 4
        return lo

    def end_of(self, p: int) -> int:
        """The first separator in [p, hi), else hi."""
        m = self.rx.search(self.s, max(p, self.lo), self.hi)
        return m.start() if m else self.hi


@lru_cache(maxsize=None)
def _separator_class(chars: str) -> re.Pattern:
    return re.compile("[" + re.escape(chars) + "]")


def _masked(s: str, a: int, b: int, titles: list[tuple[int, int]]) -> str:
    """s[a:b] with the inside of titles blanked, so that their words are no cues (titles sorted, disjoint)."""
    k = max(0, bisect.bisect_right(titles, (a, a)) - 1)
    out, pos = [], a
    while k < len(titles) and titles[k][0] < b:
        ta, tb = max(titles[k][0], pos), min(titles[k][1], b)
        if ta < tb:
            out.append(s[pos:ta])
            out.append("□" * (tb - ta))
            pos = tb
        k += 1
    out.append(s[pos:b])
    return "".join(out)


def _relation(s: str, clauses: _Bounds, a: int, b: int, titles: list[tuple[int, int]]) -> str:
    """Relation of the citation at [a, b) from cue words in its clause."""
    lex, rx = _lex(), _rx()
    before = _masked(s, clauses.start_of(a), a, titles)
    rel = "refers_to"
    last = None
    for m in rx["before"].finditer(before):
        last = m
    if last is not None:
        word = last.group(0)
        if word not in lex["immediate_only"] or last.end() == len(before.rstrip()):
            rel = lex["relations_before"][word]
    after = _masked(s, b, min(clauses.end_of(b), b + lex["after_window"]), titles)
    m = rx["after"].search(after)
    if m:
        rel = lex["relations_after"][m.group(0)]
    return rel


@lru_cache(maxsize=8)
def _aliases(s: str, text: str) -> dict[str, str]:
    """(以下简称《纲要》) → {"纲要": full title}, over the whole text (the alias may be defined earlier).

    Cached per text (str hashes are cached too), so calling per task block stays linear."""
    if not any(w in s for w in _lex()["alias"]):
        return {}
    out = {}
    for m in re.finditer(r"《", s):
        j = _balanced(s, m.start(), _lex()["title_max"])
        if j is None:
            continue
        al = _rx()["alias"].match(s, j + 1)
        if al:
            out[al.group("alias")] = re.sub(r"\s+", "", text[m.start() + 1:j])
    return out


def _self_reference(s: str, sents: _Bounds, p: int) -> bool:
    words = _lex()["self_reference"]
    # the cue may open the next sentence: 印发《…》。全文如下
    sent = s[sents.start_of(p):min(sents.hi, sents.end_of(p) + 1 + max(map(len, words)))]
    return any(w in sent for w in words)


def extract_citations(norm: NormText, start: int, end: int, *, doc_id: str, task_id: str | None,
                      id_prefix: str) -> list[Citation]:
    start, end = max(0, start), min(len(norm.text), end)
    if end <= start:
        return []
    s, text, lex = norm.match, norm.text, _lex()
    if s.find("《", start, end) == -1 and s.find("号", start, end) == -1:  # neither a title nor a 文号: most task texts
        return []
    found: list[tuple[int, int, str, Optional[str], Optional[str], bool]] = []  # a, b, cited, number, title, nested
    titles: list[tuple[int, int]] = []  # title interiors, masked for cue search
    consumed: list[tuple[int, int]] = []
    if "aliases" not in norm.cache:  # once per text: scanning the whole text per call is quadratic
        norm.cache["aliases"] = _aliases(s, text)
    aliases = norm.cache["aliases"]  # (the block holds a 《, or no title is looked up)
    clauses = _Bounds(norm, start, end, _CLAUSE_END)
    sents = _Bounds(norm, start, end, _SENTENCE_END)
    i = s.find("《", start, end)
    while 0 <= i < end:
        j = _balanced(s, i, lex["title_max"])
        if j is None:
            i = s.find("《", i + 1, end)
            continue
        title = _SPACES.sub("", text[i + 1:j])
        titles.append((i + 1, j))
        b, number = j + 1, None
        pm = _PAREN_NUMBER.match(s, j + 1)
        if pm:
            nm = _NUMBER.search(s, pm.start("num"), pm.end("num"))
            got = _number(nm, text) if nm and nm.end() == pm.end("num") else None
            if got:
                number, b = got[1], pm.end()
        al = _rx()["alias"].match(s, b)
        if al:
            b = al.end()  # the alias definition is part of this citation
        consumed.append((i, b))
        if len(title) >= lex["title_min"] and not _self_reference(s, sents, i):
            if title in aliases and not number:
                title = aliases[title]
            found.append((i, b, number or f"《{title}》", number, title, False))
            # titles nested inside this one are cited too (refers_to)
            k = i + 1
            while k < j:
                if s[k] in _OPEN:
                    kj = _balanced(s, k, lex["title_max"])
                    if kj is not None and kj <= j:
                        inner = _SPACES.sub("", text[k + 1:kj])
                        if len(inner) >= lex["title_min"]:
                            found.append((k, kj + 1, f"《{inner}》", None, inner, True))
                        k = kj
                k += 1
        i = s.find("《", j + 1, end)
    consumed_starts = [a for a, _ in consumed]  # in text order
    for m in _number_matches(s, start, end):
        k = bisect.bisect_right(consumed_starts, m.start("year")) - 1
        if k >= 0 and m.start("year") < consumed[k][1]:
            continue
        got = _number(m, text)
        if not got:
            continue
        a, cited = got
        if not _introduced(s, clauses, a, m.end(), titles):
            continue
        found.append((a, m.end(), cited, cited, None, False))
    return _merge(norm, found, titles, clauses, doc_id, task_id, id_prefix)


def _introduced(s: str, clauses: _Bounds, a: int, b: int, titles: list[tuple[int, int]]) -> bool:
    """A 文号 outside 《》(…) is cited when bracketed, introduced by a cue, or followed by 文件/精神…"""
    lo = clauses.lo
    if a > lo and s[a - 1] in "(（":
        return True
    if a - 1 > lo and s[a - 1] in "、,，和及" and s[a - 2] in "号號":
        return True  # the second of a list: (川府发〔2015〕1号、川办发〔2015〕2号)
    if _relation(s, clauses, a, b, titles) != "refers_to":
        return True
    return s.startswith(tuple(_lex()["bare_number_cues_after"]), b)


def _merge(norm: NormText, found: list, titles: list, clauses: _Bounds, doc_id: str,
           task_id: Optional[str], id_prefix: str) -> list[Citation]:
    """One citation per key: first place kept, strongest relation over all places."""
    prio = {r: k for k, r in enumerate(_lex()["priority"])}
    by_key: dict[str, dict] = {}
    title_key: dict[str, str] = {}
    for a, b, cited, number, title, nested in sorted(found, key=lambda x: x[0]):
        rel = "refers_to" if nested else _relation(norm.match, clauses, a, b, titles)
        key = number or title_key.get(title or "", cited)
        if number and title:
            title_key.setdefault(title, number)
        cur = by_key.get(key)
        if cur is None:
            by_key[key] = {"a": a, "b": b, "cited": cited, "number": number, "title": title, "rel": rel}
        else:
            if prio.get(rel, 99) < prio.get(cur["rel"], 99):
                cur["rel"] = rel
            cur["title"] = cur["title"] or title
    sep = "" if not id_prefix or not id_prefix[-1].isdigit() else "."
    out = []
    for n, c in enumerate(sorted(by_key.values(), key=lambda x: x["a"])):
        out.append(Citation(id=f"{id_prefix}{sep}{n + 1}", from_doc=doc_id, cited=c["cited"], relation=c["rel"],
                            span=norm.span(c["a"], c["b"]), cited_number=c["number"], cited_title=c["title"],
                            task_id=task_id))
    return out
