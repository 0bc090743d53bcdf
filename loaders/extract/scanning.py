"""Faster search for patterns that open with optional or grouped parts.

The re engine skips ahead at C speed only to where a pattern's first character can stand when that
first character is a literal or one character set; a pattern opening with a group, an alternation of
groups or an optional part is tried at every position instead (some 50 ns a character). Given a
one-character set ``first`` that every match of ``rx`` opens with, these search for the candidates of
``first`` and try ``rx`` there only: the same matches, leftmost first, in a fraction of the time.
"""
from __future__ import annotations

import re
from typing import Iterator


def search_from(first: re.Pattern, rx: re.Pattern, s: str, pos: int, end: int) -> re.Match | None:
    """``rx.search(s, pos, end)``, when every match of ``rx`` opens with a character ``first`` matches."""
    while True:
        hit = first.search(s, pos, end)
        if hit is None:
            return None
        m = rx.match(s, hit.start(), end)
        if m is not None:
            return m
        pos = hit.start() + 1


def finditer_from(first: re.Pattern, rx: re.Pattern, s: str, pos: int, end: int) -> Iterator[re.Match]:
    """``rx.finditer(s, pos, end)`` under the same condition, for a pattern that never matches empty."""
    while (m := search_from(first, rx, s, pos, end)) is not None:
        yield m
        pos = m.end()
