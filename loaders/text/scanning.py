"""Faster search for patterns that open with optional or grouped parts.

The re engine skips ahead at C speed only to where a pattern's first character can stand when that
first character is a literal or one character set; a pattern opening with a group, an alternation of
groups, an optional part or a look-around is tried at every position instead (some 50 ns a character).
:func:`first_chars` reads from the parsed pattern the one-character set every match opens with;
:func:`search_from` and :func:`finditer_from` search for its candidates and try the pattern there only:
the same matches, leftmost first, in a fraction of the time.
"""
from __future__ import annotations

import re
from re import _constants as C  # the parsed-pattern opcodes (CPython's own re modules)
from re import _parser
from typing import Iterator, Optional

_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
               C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W"}


class _Unknown(Exception):
    """A construct whose first characters are not read here (., [^…], back-references …)."""


def _class_items(items) -> list[str]:
    """The inside of a [...] class as pattern text."""
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is C.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is C.CATEGORY and av in _CATEGORIES:
            out.append(_CATEGORIES[av])
        else:  # NEGATE and the rest
            raise _Unknown(op)
    return out


def _sequence(seq) -> tuple[list[str], bool]:
    """(class items a match of the sequence can open with, whether it can match empty)."""
    chars: list[str] = []
    for op, av in seq:
        got, nullable = _element(op, av)
        chars += got
        if not nullable:
            return chars, False
    return chars, True


def _element(op, av) -> tuple[list[str], bool]:
    if op is C.LITERAL:
        return [re.escape(chr(av))], False
    if op is C.IN:
        return _class_items(av), False
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):  # anchors and look-arounds consume nothing
        return [], True
    if op is C.SUBPATTERN:
        return _sequence(av[3])
    if op is getattr(C, "ATOMIC_GROUP", None):
        return _sequence(av)
    if op is C.BRANCH:
        chars, nullable = [], False
        for alternative in av[1]:
            got, empty = _sequence(alternative)
            chars += got
            nullable = nullable or empty
        return chars, nullable
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) or op is getattr(C, "POSSESSIVE_REPEAT", None):
        lo, _, item = av
        chars, nullable = _sequence(item)
        return chars, nullable or lo == 0
    raise _Unknown(op)


def first_chars(rx: re.Pattern) -> Optional[re.Pattern]:
    """A one-character class every match of ``rx`` opens with, or None when that is not known (a match
    may be empty, the pattern ignores case, or opens with a construct read nowhere here)."""
    if rx.flags & (re.IGNORECASE | re.LOCALE) or not isinstance(rx.pattern, str):
        return None
    try:
        chars, nullable = _sequence(_parser.parse(rx.pattern, rx.flags))
    except _Unknown:
        return None
    if nullable or not chars:
        return None
    return re.compile("[" + "".join(dict.fromkeys(chars)) + "]", rx.flags & re.ASCII)


def search_from(first: Optional[re.Pattern], rx: re.Pattern, s: str, pos: int, end: int) -> Optional[re.Match]:
    """``rx.search(s, pos, end)``, with ``first`` from :func:`first_chars` (None: a plain search)."""
    if first is None:
        return rx.search(s, pos, end)
    while True:
        hit = first.search(s, pos, end)
        if hit is None:
            return None
        m = rx.match(s, hit.start(), end)
        if m is not None:
            return m
        pos = hit.start() + 1


def finditer_from(first: Optional[re.Pattern], rx: re.Pattern, s: str, pos: int, end: int) -> Iterator[re.Match]:
    """``rx.finditer(s, pos, end)``, with ``first`` from :func:`first_chars` (None: a plain finditer; with
    one, ``rx`` never matches empty)."""
    if first is None:
        yield from rx.finditer(s, pos, end)
        return
    while (m := search_from(first, rx, s, pos, end)) is not None:
        yield m
        pos = m.end()
