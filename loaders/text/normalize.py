"""Original text → normalised text, with an offset map back to the original.

What changes (only in the derived text, never in the original):
  * running headers (上级文件) and page-number lines (６１) are removed;
  * lines broken inside a sentence are joined (a column layout is detected from
    line widths); hard breaks stay as ``\\n``;
  * NFKC (全角 digits and letters → half width), layout spaces between CJK dropped;
  * the OCR placeholder ``!`` is restored where one rule in ``data/lexicon/ocr.json``
    applies, otherwise kept and its position reported as uncertain;
  * ``match`` is a same-length Traditional→Simplified copy used for matching only,
    so names can be sliced from ``text`` in their written form.

``NormText.span(i, j)`` turns a slice of the normalised text into a
:class:`policykg.model.Span` whose quote is the exact original slice.
"""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain
from typing import Iterator

from loaders.text.nfkc import STABLE, nfkc
from loaders.text.scanning import finditer_from, first_chars
from policykg.config import DATA_DIR
from policykg.model import Span

_SENT_END = set("。；：！？;:!?」』）)”")
_MARKER_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十]+[）)]|[0-9０-９]{1,6}[．.、](?![0-9０-９])"
    r"|[（(][0-9０-９]{1,3}[）)]|第[一二三四五六七八九十百零〇]+[章条節节]|牵头单位|责任单位|牽頭單位|責任單位|配合单位|[（(〔][^（()）〕]{1,60}(?:牵头|负责|牽頭|負責))"
)
# lines that always stand alone: a 文号, a date, a chapter heading
_STANDALONE = re.compile(
    r"^\s*(?:[^\s，。,]{1,12}[〔\[［(（【][0-9０-９]{4}[〕\]］)）】][0-9０-９]{1,4}[号號]"
    r"|[0-9０-９一二三四五六七八九十〇○零]{4}年[0-9０-９一二三四五六七八九十]{1,2}月[0-9０-９一二三四五六七八九十]{1,3}日"
    r"|第[一二三四五六七八九十百零〇]+章.{0,20})\s*$"
)
# what those lines can start or end with (a cheap test before the patterns)
_MARKER_FIRST = frozenset("一二三四五六七八九十百（(0123456789０１２３４５６７８９第牵责牽責配〔")
_STANDALONE_LAST = frozenset("号號日")


def _starts_with_marker(s: str) -> bool:
    """``_MARKER_START`` matches the stripped line ``s``."""
    return s[:1] in _MARKER_FIRST and _MARKER_START.match(s) is not None


def _stands_alone(s: str) -> bool:
    """``_STANDALONE`` matches the stripped line ``s``: a 文号 ends in 号, a date in 日, a chapter starts with 第."""
    return (s[-1:] in _STANDALONE_LAST or s[:1] == "第") and _STANDALONE.match(s) is not None


_PAGE_NO = re.compile(r"^\s*[0-9０-９]{1,%d}\s*$")


@lru_cache(maxsize=1)
def ocr_lexicon() -> dict:
    with open(DATA_DIR / "lexicon" / "ocr.json", encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(s: str) -> str:
    """Traditional → Simplified, same length as the input (for matching)."""
    if not s:
        return s
    conv = _t2s().convert(s)
    if len(conv) == len(s):
        return conv
    return "".join(c2 if len(c2 := _t2s().convert(c)) == 1 else c for c in s)


_WIDE = re.compile(r"[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   r"\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")


@lru_cache(maxsize=65536)
def _width(s: str) -> int:
    """Display width: wide (CJK, full-width) characters count two columns."""
    s = s.strip()
    return len(s) + len(_WIDE.findall(s))


def _is_cjk(c: str) -> bool:
    return "\u3000" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or "\uff00" <= c <= "\uffef"


@dataclass
class NormText:
    original: str
    source_id: str
    text: str
    match: str
    offsets: list[int]
    uncertain: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cache: dict = field(default_factory=dict, repr=False)  # per-text results extractors reuse (aliases …)

    def orig_start(self, i: int) -> int:
        return self.offsets[i] if i < len(self.offsets) else len(self.original)

    def orig_end(self, j: int) -> int:
        if j <= 0:
            return self.offsets[0] if self.offsets else 0
        return self.offsets[j - 1] + 1

    def span(self, start: int, end: int) -> Span:
        """Span of normalised ``text[start:end]`` in the original text."""
        n = len(self.text)
        start = 0 if start < 0 else n if start > n else start
        end = start if end < start else n if end > n else end
        offsets = self.offsets
        # orig_start and orig_end inlined (a span is made for every fact): end > start >= 0 below
        o1 = offsets[start] if start < len(offsets) else len(self.original)
        if end == start:
            return Span(self.source_id, o1, o1, "")
        o2 = offsets[end - 1] + 1
        return Span(self.source_id, o1, o2, self.original[o1:o2])

    def lines(self) -> list[tuple[int, int]]:
        """(start, end) of each hard line of the normalised text, without the newline."""
        out, pos = [], 0
        for ln in self.text.split("\n"):
            out.append((pos, pos + len(ln)))
            pos += len(ln) + 1
        return out


def _kept_lines(stripped: list[str]) -> list[int]:
    """Indices of the lines that are neither blank nor print furniture (running headers, page numbers and page
    footers; lines given stripped)."""
    headers, furniture = _noise_patterns()
    is_furniture = furniture.match
    return [i for i, s in enumerate(stripped) if s and s not in headers and not is_furniture(s)]


@lru_cache(maxsize=1)
def _noise_patterns() -> tuple[frozenset[str], re.Pattern]:
    """The running headers, and one alternation of the page-number and page-footer patterns (one match
    call per line instead of one per pattern; a page-number line ``^\\s*6\\s*$`` matches stripped too)."""
    lex = ocr_lexicon()
    page = _PAGE_NO.pattern % lex["page_number_max_digits"]
    alternatives = [page, *lex.get("page_footer_patterns", [])]
    return frozenset(lex["running_headers"]), re.compile("|".join(f"(?:{p})" for p in alternatives))


def _layout_width(lines: list[str]) -> int | None:
    """Typical width of a full line in a column layout, or None for paragraph text (lines stripped, none blank)."""
    if len(lines) < 20:
        return None
    # a line is at least as wide as it is long: a median length over 80 is a median width over 80
    if sorted(map(len, lines))[len(lines) // 2] > 80:
        return None
    widths = sorted(map(_width, lines))
    median = widths[len(widths) // 2]
    p80 = widths[int(len(widths) * 0.8)]
    # a printed column: most lines are (nearly) as wide as the column (counted in the sorted widths)
    share = (bisect_right(widths, p80 + 2) - bisect_left(widths, p80 - 4)) / len(widths)
    if median > 80 or share < 0.4:
        return None
    return p80


def normalize(original: str, source_id: str = "text") -> NormText:
    lex = ocr_lexicon()
    raw_lines = original.split("\n")
    starts = list(accumulate((len(ln) + 1 for ln in raw_lines), initial=0))
    stripped = [ln.strip() for ln in raw_lines]
    kept = _kept_lines(stripped)
    full_width = _layout_width([stripped[i] for i in kept])
    raw, offs = _join_lines(original, raw_lines, stripped, starts, kept, full_width, lex["placeholder"])
    raw, offs, hidden = _drop_invisible(raw, offs)
    text = nfkc(raw)
    if len(text) != len(raw):  # an expanding character (㈠, ﬁ …): map character by character
        text, offs = _nfkc_mapped(raw, offs)
    # layout spaces between CJK characters or digits are OCR / typesetting noise
    text, offs = _drop_layout_spaces(text, offs)
    text, offs = _drop_matches(text, offs, lex.get("injected_reading"))
    text, uncertain = _restore_placeholders(text, offs, original, lex)
    norm = NormText(original=original, source_id=source_id, text=text, match=to_simplified(text),
                    offsets=offs, uncertain=uncertain)
    if hidden:
        norm.warnings.append(f"{source_id}: {hidden} invisible or control character(s) (zero-width, bidi, "
                             "C0/C1 controls) ignored in names and titles")
    if uncertain:
        norm.warnings.append(f"{len(uncertain)} OCR placeholder(s) '{lex['placeholder']}' left unresolved")
    return norm


def _join_lines(original: str, raw_lines: list[str], stripped: list[str], starts: list[int], kept: list[int],
                full_width: int | None, ph: str) -> tuple[str, list[int]]:
    """The kept lines joined, with a hard break only where a sentence ends; the original offset of each character."""
    lines = [stripped[i] for i in kept]
    if not lines:
        return "", []
    if full_width is None:
        hard = _paragraph_breaks(lines, ph)
    else:
        hard = _column_breaks(lines, [raw_lines[i] for i in kept], full_width, ph)
    # each kept line is the original from its start to its end; a hard break after it is the newline that
    # follows it in the original: one original range per line, the newline included when the break is hard
    begins = [starts[i] for i in kept]
    ends = [starts[i] + len(raw_lines[i]) + h for i, h in zip(kept, hard)]
    text = "".join([original[a:b] for a, b in zip(begins, ends)])
    return text, list(chain.from_iterable(map(range, begins, ends)))


def _paragraph_breaks(lines: list[str], ph: str) -> list[bool]:
    """Whether a newline follows each line of paragraph text (stripped, none blank; the last: False): all but
    the breaks next to a placeholder line (OCR split the line there) and before a wrapped agency marker."""
    hard = [True] * len(lines)
    hard[-1] = False
    for k, s in enumerate(lines):
        if s == ph:
            hard[k] = False
            if k:
                hard[k - 1] = False
        elif k and s[0] in "（(" and _wrapped_marker(lines[k - 1], s):
            hard[k - 1] = False
    return hard


def _column_breaks(lines: list[str], raw: list[str], full_width: int, ph: str) -> list[bool]:
    """Whether a newline follows each line of a column layout (``lines`` stripped, none blank, ``raw`` as
    written; the last: False)."""
    widths = list(map(_width, lines))
    # 文号, date and chapter lines stand alone (the test of _stands_alone's first step inlined: few lines pass it)
    alone = [(s[-1] in _STANDALONE_LAST or s[0] == "第") and _STANDALONE.match(s) is not None for s in lines]
    hard = [False] * len(lines)
    short = full_width * 0.6  # (narrower lines end paragraphs or are headings)
    physical = None  # the printed line so far when placeholder pieces were glued to the last line
    for k in range(1, len(lines)):
        prev, nxt = lines[k - 1], lines[k]
        if nxt == ph or prev == ph:  # OCR split the printed line at the placeholder: glue the pieces
            physical = (raw[k - 1] if physical is None else physical) + nxt
            continue
        if physical is None:
            prev_alone, prev_width = alone[k - 1], widths[k - 1]
        else:
            prev = physical.strip()
            prev_alone, prev_width = _stands_alone(prev), _width(prev)
            physical = None
        if prev[-1] not in _ENDS_CLAUSE and prev_width >= short and nxt[0] not in _MARKER_FIRST:
            hard[k - 1] = alone[k] or prev_alone  # a wide line running on (most lines): _column_soft_break is True
        else:
            hard[k - 1] = alone[k] or prev_alone or not _column_soft_break(prev, nxt, prev_width, widths[k],
                                                                           full_width)
    return hard


# a line ending in one of these may end its sentence or open a list
_ENDS_CLAUSE = _SENT_END | set("：:")


_WRAPPED_MARKER = re.compile(r"^[（(][^（()）]{1,60}(?:牵头|负责|牽頭|負責)")


def _wrapped_marker(prev: str, nxt: str) -> bool:
    """In paragraph text the break between two kept lines (stripped) falls inside a sentence only where an
    agency marker was wrapped onto the next line."""
    return _WRAPPED_MARKER.match(nxt) is not None and prev[-1] not in "。；;)）"


def _column_soft_break(prev: str, nxt: str, prev_width: int, nxt_width: int, full_width: int) -> bool:
    """True when the break between two kept lines of a column layout (stripped, neither a 文号, a date or a
    chapter heading, of the display widths given) falls inside a sentence."""
    ends_sentence = prev[-1] in _SENT_END
    if prev[-1] not in "，、,（(《“" and nxt[0] in _MARKER_FIRST and _MARKER_START.match(nxt):
        return False
    if ends_sentence and prev_width < full_width - 4:
        return False
    if prev[-1] in "：:" and prev.count("（") + prev.count("(") <= prev.count("）") + prev.count(")"):
        return False
    if ends_sentence and nxt_width < full_width * 0.6 and nxt[-1] not in _SENT_END and nxt[-1] not in "，、,":
        return False  # a signature (issuer name) or a heading after a full last line
    if prev_width < full_width * 0.6 and prev[-1] not in "，、,（(《“":
        return False
    return True


def _nfkc_mapped(raw: str, offs: list[int]) -> tuple[str, list[int]]:
    """NFKC character by character (an expanding character gets the offset of its source for each output
    character); only the characters NFKC may change are looked at."""
    out: list[str] = []
    new_offs: list[int] = []
    pos = 0
    for m in _MAY_CHANGE.finditer(raw):
        k = m.start()
        out.append(raw[pos:k])
        new_offs.extend(offs[pos:k])
        nc = unicodedata.normalize("NFKC", m.group(0))
        out.append(nc)
        new_offs.extend([offs[k]] * len(nc))
        pos = k + 1
    out.append(raw[pos:])
    new_offs.extend(offs[pos:])
    return "".join(out), new_offs


_MAY_CHANGE = re.compile(f"[^{STABLE}]")


# zero-width characters, bidi controls, soft hyphens and C0/C1 controls (tabs and newlines excepted):
# invisible in print, they would split or disguise a name (市财\u200b政局, a reversed title)
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2064\u2066-\u2069\ufeff]+")


def _drop_invisible(text: str, offs: list[int]) -> tuple[str, list[int], int]:
    """The text without invisible characters, its offsets, and how many were dropped."""
    if _all_printable(text) or not _INVISIBLE.search(text):
        return text, offs, 0
    chars: list[str] = []
    new_offs: list[int] = []
    pos = dropped = 0
    for m in _INVISIBLE.finditer(text):
        chars.append(text[pos:m.start()])
        new_offs.extend(offs[pos:m.start()])
        dropped += m.end() - m.start()
        pos = m.end()
    chars.append(text[pos:])
    new_offs.extend(offs[pos:])
    return "".join(chars), new_offs, dropped


def _all_printable(text: str) -> bool:
    """No character but line breaks, tabs and spaces is unprintable (a control or format character): then
    none is invisible. ``str.isprintable`` runs some 20 times faster than a regular expression scan."""
    return text.replace("\n", "").replace("\t", "").replace("\u3000", "").replace("\xa0", "").isprintable()


_SPACE = re.compile(r"[ \t\u3000\xa0]+")


def _space_runs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of spaces and tabs, as ``_SPACE.finditer`` gives them. In an NFKC text (no
    ideographic or no-break space left) they are found with ``str.find``: layout spaces are rare, and a
    regular expression scan of the whole text costs some 20 times more."""
    if "\u3000" in text or "\xa0" in text:
        yield from (m.span() for m in _SPACE.finditer(text))
        return
    n = len(text)
    space, tab = text.find(" "), text.find("\t")  # the next of each (-1: none left)
    while space != -1 or tab != -1:
        a = space if tab == -1 or (space != -1 and space < tab) else tab
        b = a + 1
        while b < n and text[b] in " \t":
            b += 1
        yield a, b
        if space != -1 and space < b:
            space = text.find(" ", b)
        if tab != -1 and tab < b:
            tab = text.find("\t", b)


def _drop_layout_spaces(text: str, offs: list[int]) -> tuple[str, list[int]]:
    """Drop spaces that are layout, not content: around CJK, at line ends, between digits."""
    keep_chars: list[str] = []
    keep_offs: list[int] = []
    pos = 0
    n = len(text)
    for a, b in _space_runs(text):
        left = text[a - 1] if a > 0 else "\n"
        right = text[b] if b < n else "\n"
        drop = (left == "\n" or right == "\n" or _is_cjk(left) or _is_cjk(right)
                or (left.isdigit() and right.isdigit()))
        if drop and left != "\n" and right != "\n" and _is_column_gap(text, a, b):
            keep_chars.append(text[pos:a] + "\t")  # a table flattened with spaces keeps its columns
            keep_offs.extend(offs[pos:a + 1])
            pos = b
            continue
        if not drop:  # keep one space between Latin words
            keep_chars.append(text[pos:a + 1])
            keep_offs.extend(offs[pos:a + 1])
            pos = b
            continue
        keep_chars.append(text[pos:a])
        keep_offs.extend(offs[pos:a])
        pos = b
    keep_chars.append(text[pos:])
    keep_offs.extend(offs[pos:])
    return "".join(keep_chars), keep_offs


def _drop_matches(text: str, offs: list[int], pattern: str | None) -> tuple[str, list[int]]:
    """Remove what ``pattern`` matches from the derived text (the offsets of what stays are kept)."""
    if not pattern:
        return text, offs
    matches = list(_finditer(pattern, text))
    if not matches:
        return text, offs
    chars: list[str] = []
    kept: list[int] = []
    pos = 0
    for m in matches:
        chars.append(text[pos:m.start()])
        kept.extend(offs[pos:m.start()])
        pos = m.end()
    chars.append(text[pos:])
    kept.extend(offs[pos:])
    return "".join(chars), kept


def _finditer(pattern: str, text: str) -> Iterator[re.Match]:
    """``re.finditer(pattern, text)``, tried only where a match can open (the injected reading 關(guān)于 opens
    with a look-behind, which a plain search tries at every position of the text)."""
    rx, first = _compiled(pattern)
    return finditer_from(first, rx, text, 0, len(text))


@lru_cache(maxsize=16)
def _compiled(pattern: str) -> tuple[re.Pattern, re.Pattern | None]:
    """The pattern compiled, and the characters its matches open with (scanning.first_chars)."""
    rx = re.compile(pattern)
    return rx, first_chars(rx)


def _is_column_gap(text: str, a: int, b: int) -> bool:
    """A run of two or more spaces between two words (not letter spacing 目  标  任  务): a column gap."""
    if "\t" in text[a:b]:
        return True  # a tab between words separates cells
    if b - a < 2:  # (NFKC has made full-width spaces plain ones)
        return False
    before = text[a - 2] if a >= 2 else "\n"
    after = text[b + 1] if b + 1 < len(text) else "\n"
    return not (before in " \t\n\u3000\xa0" and after in " \t\n\u3000\xa0")


def _restore_placeholders(text: str, offs: list[int], original: str, lex: dict) -> tuple[str, list[int]]:
    ph = lex["placeholder"]
    if ph not in text:
        return text, []
    rules = lex["restorations"]
    restored: list[tuple[int, str]] = []  # (position, the restored character)
    uncertain = []
    k = text.find(ph)
    while k != -1:
        if original[offs[k]] == ph:  # (a full-width ！ typed by the author is punctuation)
            left1 = text[k - 1] if k > 0 else ""
            left2 = text[max(0, k - 2):k]
            right = text[k + 1] if k + 1 < len(text) else ""
            if _is_cjk(left1) or _is_cjk(right):  # (else an ordinary exclamation mark in Latin text)
                found = {rules[key] for key in (left1, left2, ">" + right) if key in rules}
                if len(found) == 1:
                    restored.append((k, found.pop()))
                else:
                    uncertain.append(k)
        k = text.find(ph, k + len(ph))
    if not restored:
        return text, uncertain
    pieces, pos = [], 0
    for k, c in restored:
        pieces += (text[pos:k], c)
        pos = k + 1
    pieces.append(text[pos:])
    return "".join(pieces), uncertain
