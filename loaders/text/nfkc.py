"""NFKC of a long text, normalising only the pieces that can change.

``unicodedata.normalize("NFKC", s)`` normalises the whole string once one character of it is not
already NFKC (a full-width comma is enough): 8–9 ms for the 41,000 characters of the bundled gazette.
Unicode (UAX #15, stable code points) lets a text be split before any character that is a starter,
unchanged by NFKC and never composed with the character before it; ASCII, the CJK unified ideographs,
the CJK punctuation 、。〈〉《》「」『』【】 and ·—‘’“” are such characters. So only the pieces from one of
them up to the next, where something else follows it, are normalised; the result is the same string.
The pieces repeat (，（）：), so each is normalised once per process.

The commonest unstable characters of Chinese text (full-width ，（）：； digits and the ideographic
space) are first replaced by their NFKC form with ``str.replace``: a character and its NFKC form have
the same NFKD, so the NFKC of the whole text does not change, and few pieces are left to normalise.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

STABLE = "\x00-\x7f\u00b7\u2014\u2018\u2019\u201c\u201d\u3001\u3002\u3008-\u3011\u4e00-\u9fff"
# a maximal run of characters that are not stable (the stable character before it is added by hand:
# a pattern with an optional stable character in front scans twice as slowly)
_UNSTABLE_RUN = re.compile(f"[^{STABLE}]+")
# full-width punctuation, digits and the ideographic space: most of what NFKC changes in a gazette
_FREQUENT = "，（）：；．％０１２３４５６７８９\u3000"
_FREQUENT_NFKC = tuple((c, unicodedata.normalize("NFKC", c)) for c in _FREQUENT)


@lru_cache(maxsize=4096)
def _piece_nfkc(piece: str) -> str:
    return unicodedata.normalize("NFKC", piece)


def nfkc(s: str) -> str:
    """The same string as ``unicodedata.normalize("NFKC", s)``."""
    if unicodedata.is_normalized("NFKC", s):
        return s
    for c, n in _FREQUENT_NFKC:
        s = s.replace(c, n)
    if unicodedata.is_normalized("NFKC", s):  # (a C loop: the frequent characters were all there was)
        return s
    out: list[str] = []
    pos = 0
    for m in _UNSTABLE_RUN.finditer(s):
        # the run with the stable character before it (the run may compose with it: e + U+0301);
        # runs are maximal, so that character is stable and after the previous run
        a = max(m.start() - 1, 0)
        out.append(s[pos:a])
        out.append(_piece_nfkc(s[a:m.end()]))
        pos = m.end()
    out.append(s[pos:])
    return "".join(out)
