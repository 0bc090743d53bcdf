"""The faster scans find exactly what the plain patterns find (extraction throughput, issue 12).

* citations: ``_number_matches`` (from the year on) == ``_NUMBER.finditer``;
* deadlines: each pattern gated by a lookahead on its first character == the pattern without it.
"""
import random
import re

from loaders.extract import citations, deadlines

_GATE = re.compile(r"^\(\?=\[[^\]]*\]\)\(\?:(?P<plain>.*)\)$", re.S)


def _strings(tokens: list[str], n: int, seed: int):
    rnd = random.Random(seed)
    for _ in range(n):
        s = "".join(rnd.choice(tokens) for _ in range(rnd.randrange(14)))
        a = rnd.randrange(len(s) + 1)
        yield s, a, rnd.randrange(a, len(s) + 1)


def _found(matches) -> list:
    return [(m.span(), m.groupdict()) for m in matches]


def test_document_numbers_found_from_the_year_on_are_the_pattern_matches():
    tokens = ["川府发〔2015〕12号", "国发2019〕13号", "黔府办发〔201930号", "2016年第3号", "财税[2014]1號", "国", "发",
              "办", "〔", "〕", "(", "【", "】", "„", "「", "”", "第", "号", "號", "*", "＊", "2015", "1999", "20", "19",
              "3", "12", "，", " ", "a", "国发", "川府办发"]
    hits = 0
    for s, a, b in _strings(tokens, 30000, 1):
        want = _found(citations._NUMBER.finditer(s, a, b))
        assert _found(citations._number_matches(s, a, b)) == want, (s, a, b)
        hits += len(want)
    assert hits > 1000


def test_gated_deadline_patterns_match_as_the_plain_ones():
    tokens = ["2016", "年", "6", "月", "底", "前", "之前", "于", "在", "到", "至", "自", "从", "起", "—", "12", "30", "日",
              "号", "三十", "二〇一六", "十", "一", "第", "季度", "上半年", "下半年", "内", "今", "本", "明", "年度", "“",
              "十三五", "”", "期间", "个工作日", "天", "个月", "两", "半", "５", "٣", "有效期", "为", " ", "，", "市"]
    gated = [(name, rx, re.compile(_GATE.match(rx.pattern).group("plain")))
             for name, rx in deadlines._PATTERNS if rx is not None and _GATE.match(rx.pattern)]
    assert len(gated) >= 8
    hits = 0
    for s, a, b in _strings(tokens, 10000, 2):
        for name, rx, plain in gated:
            want = _found(plain.finditer(s, a, b))
            assert _found(rx.finditer(s, a, b)) == want, (name, s, a, b)
            hits += len(want)
    assert hits > 300
