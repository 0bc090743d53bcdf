"""The provision tree of one document: 第X章 / 第X条 / 一、 / （一） / 1. / （1）.

Each node covers the normalised text from its marker to the next marker of the
same or a higher level. Inside an article (第X条) the enumerations （一）… are
part of the article, not sections of their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from loaders.text.scanning import first_chars

MARKERS = [
    ("chapter", re.compile(r"第(?P<n>[一二三四五六七八九十百千零〇]+)[章節节](?!\S{0,3}[的规定])")),
    ("article", re.compile(r"第(?P<n>[一二三四五六七八九十百千零〇]+)[条條](?=\s|[\u4e00-\u9fff(（《“])")),
    ("part", re.compile(r"(?P<n>[一二三四五六七八九十]+)、")),
    ("section", re.compile(r"[（(](?P<n>[一二三四五六七八九十]+)[）)]")),
    ("item", re.compile(r"(?P<n>\d{1,6})(?:[.．、](?!\d)|\s*[.．](?!\d)|[)）](?=\s*[\u4e00-\u9fff“]))")),
    ("subitem", re.compile(r"[（(](?P<n>\d{1,3})[）)]")),
]
# the characters a marker can start with (besides the decimal digits of "item", \d): a line starting with
# anything else is tested against no pattern
_MARKER_FIRST = frozenset("第一二三四五六七八九十（(")
_ARTICLE_LINE = re.compile(r"第[一二三四五六七八九十百千零〇]+条")
RANK = {"chapter": 0, "article": 1, "part": 2, "section": 3, "item": 4, "subitem": 5}


@dataclass(eq=False)
class Node:
    level: str
    label: str  # as written in the normalised text, e.g. "(一)"
    start: int  # normalised offset of the marker
    body_start: int  # just after the marker
    end: int = 0
    parent: Optional["Node"] = None
    children: list["Node"] = field(default_factory=list)

    @property
    def path(self) -> str:
        parts, n = [], self
        while n is not None:
            parts.append(_path_label(n))
            n = n.parent
        return "/".join(reversed(parts))

    @property
    def is_leaf(self) -> bool:
        return not self.children


def _path_label(n: Node) -> str:
    if n.level in ("part", "item"):
        return n.label.rstrip("、.．)）").strip()
    return n.label


def _line_marker(line: str, in_article: bool, table_row: bool) -> Optional[tuple[str, re.Match]]:
    s = line
    if table_row:  # "重点工作: | 135.统筹… |"
        m = re.match(r"^[^|]{0,12}[:：]?\s*\|\s*", s)
        if m:
            s = s[m.end():]
            mm = MARKERS[4][1].match(s)
            if mm:
                return "item", _Shifted(mm, m.end())
        return None
    for level, rx in _markers_opening(s[:1]):
        m = rx.match(s)
        if not m:
            continue
        if in_article and level in ("section", "subitem", "item"):
            return None
        return level, m
    return None


_FIRSTS = [(level, rx, first_chars(rx)) for level, rx in MARKERS]
_BY_FIRST: dict[str, tuple[tuple[str, re.Pattern], ...]] = {}


def _markers_opening(c: str) -> tuple[tuple[str, re.Pattern], ...]:
    """The MARKERS (in their order) whose pattern can match a line starting with c: the others cannot match
    it, so trying only these finds the same first match. (Read from the patterns by first_chars; a pattern
    whose first characters are not known is always tried. Per character, from constant patterns.)"""
    found = _BY_FIRST.get(c)
    if found is None:
        found = _BY_FIRST[c] = tuple((level, rx) for level, rx, first in _FIRSTS
                                     if first is None or first.match(c))
    return found


class _Shifted:
    """A regex match moved right by ``k`` characters (for markers inside table cells)."""

    def __init__(self, m: re.Match, k: int):
        self._m, self._k = m, k

    def start(self, g=0):
        return self._m.start(g) + self._k

    def end(self, g=0):
        return self._m.end(g) + self._k

    def group(self, g=0):
        return self._m.group(g)


def _continues(stack: list[Node], n: str) -> bool:
    """Does item number n follow the open item (999. → 1000.)? Long numbers count only in sequence."""
    prev = next((x for x in reversed(stack) if x.level == "item"), None)
    return prev is not None and _path_label(prev).isdigit() and int(_path_label(prev)) + 1 == int(n)


def build_tree(text: str, start: int, end: int) -> list[Node]:
    """All nodes of text[start:end], in order, with parents linked."""
    nodes: list[Node] = []
    stack: list[Node] = []
    pos = start
    lines = text[start:end].split("\n")
    has_articles = any(ln.startswith("第") and _ARTICLE_LINE.match(ln) for ln in lines)
    for line in lines:
        a = pos
        pos += len(line) + 1
        stripped = line.lstrip(" \t#")  # a Markdown heading (## 第一章 总则) is a chapter like any other
        if not stripped or not (stripped[0] in _MARKER_FIRST or stripped[0].isdecimal() or "|" in stripped[:20]):
            continue  # no marker can start the line, and it is no table row
        lead = len(line) - len(stripped)
        in_article = has_articles and any(n.level == "article" for n in stack)
        found = _line_marker(stripped, in_article, "|" in stripped[:20])
        if not found:
            continue
        level, m = found
        if level == "article" and not has_articles:
            continue
        if level == "item" and len(m.group("n")) > 3 and not _continues(stack, m.group("n")):
            continue  # 2016. at a line start is a year; 1000. follows 999.
        node = Node(level=level, label=m.group(0).strip(), start=a + lead + m.start(), body_start=a + lead + m.end())
        while stack and RANK[stack[-1].level] >= RANK[level]:
            stack.pop().end = node.start
        if stack:
            node.parent = stack[-1]
            stack[-1].children.append(node)
        stack.append(node)
        nodes.append(node)
    for n in stack:
        n.end = end
    for n in nodes:
        if n.end == 0:
            n.end = end
    return nodes
