"""Searching from a pattern's first characters (loaders/text/scanning.py) finds exactly what the
plain search finds, for the patterns the extractors search so and for constructs around the first
character (anchors, look-arounds, optional parts, alternatives)."""
import random
import re

from loaders.extract import roles, targets
from loaders.text.scanning import finditer_from, first_chars, search_from

SYNTHETIC = [r"(?:^|(?<=[。；;\n]))\s*由[^，。]{1,6}负责", r"(?m)^[ \t]*牵头单位[:：]", r"(?<!第)[一二三]+条?",
             r"\b\d+年", r"(?=[0-9])(?:\d{4}年)?\d月", r"(?:到|至)?\d+年(?!度)", r"[“\"]?十[三四]五[”\"]?期间",
             r"(?:ab|cd)+e?|x"]


def _strings(tokens: list[str], n: int, seed: int):
    rnd = random.Random(seed)
    for _ in range(n):
        s = "".join(rnd.choice(tokens) for _ in range(rnd.randrange(16)))
        a = rnd.randrange(len(s) + 1)
        yield s, a, rnd.randrange(a, len(s) + 1)


def _found(matches) -> list:
    return [(m.span(), m.groups()) for m in matches]


def test_first_chars_of_the_extractors_patterns():
    assert first_chars(targets._NUM).pattern == "[百千万\\d零〇○一二两三四五六七八九十]"
    assert first_chars(roles._rx("sentence")).pattern == "[\\s由]"
    assert first_chars(re.compile(r"a?")) is None  # a match may be empty
    assert first_chars(re.compile(r".b")) is None and first_chars(re.compile(r"[^a]b")) is None
    assert first_chars(re.compile(r"ab", re.I)) is None


def test_search_from_the_first_characters_finds_what_search_finds():
    tokens = ["由", "市", "财政局", "负责", "，", "。", "；", "\n", " ", "\t", "牵头单位", "：", "第", "一", "二", "三",
              "条", "2016", "12", "年", "度", "月", "到", "至", "“", "”", "十三五", "期间", "ab", "cd", "e", "x", "a"]
    patterns = [targets._NUM, targets._YEAR_MENTION, roles._rx("label_line"), roles._rx("sentence"),
                roles._rx("first_is_lead")] + [re.compile(p) for p in SYNTHETIC]
    firsts = [first_chars(rx) for rx in patterns]
    assert all(f is not None for f in firsts)
    hits = 0
    for s, a, b in _strings(tokens, 4000, 3):
        for rx, first in zip(patterns, firsts):
            want = _found(rx.finditer(s, a, b))
            assert _found(finditer_from(first, rx, s, a, b)) == want, (rx.pattern, s, a, b)
            m = search_from(first, rx, s, a, b)
            assert (m and m.span()) == (want[0][0] if want else None)
            hits += len(want)
    assert hits > 2000


# targets' cheap pre-check says "nothing here" only where the full reading finds nothing
def test_no_ratio_where_may_hold_ratio_says_none():
    tokens = ["比例", "分成", "比", "例", "分", "成", ":", "：", "∶", "4", "3", "0.5", ".", "按", "的", "、", "省", " ", "\n"]
    held = 0
    for s, a, b in _strings(tokens, 20000, 7):
        has_noun = "比例" in s[a:b] or "分成" in s[a:b]
        has_ratio = targets._RATIO.search(s, a, b) is not None
        may = targets._may_hold_ratio(s, a, b)
        held += may
        if has_noun and has_ratio:
            assert may, (s, a, b)
    assert held > 100
