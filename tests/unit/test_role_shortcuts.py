"""Shortcuts in roles / provisions give what the general reading gives."""
import random

from loaders.extract import provisions, roles

_ALPHA = list("市局委办、，,；;：:各和及等由 。1") + ["发展改革委", "财政局", "人民政府", "排名第一的部门牵头"]


def _random_lists(n: int) -> list[str]:
    rnd = random.Random(3)
    return ["".join(rnd.choice(_ALPHA) for _ in range(rnd.randint(0, 30))) for _ in range(n)]


def test_plain_units_match_general_reading(monkeypatch):
    texts = ["市委农办、市农业局、市水务局", "市财政局,市发展改革委；县人民政府", "市局、各县", ""] + _random_lists(3000)
    plain = {s: roles._plain_units(s, s, 0, len(s)) for s in texts}
    monkeypatch.setattr(roles, "_plain_units", lambda *a: None)
    for s, got in plain.items():
        if got is not None:
            assert got == roles.split_units(s, s, 0, len(s)), s


def test_line_marker_tries_only_patterns_that_can_open_the_line():
    for line in ["第一章 总则", "第三条 本办法", "一、总体要求", "（二）加强", "(3)落实", "12.推进", "１２、推进", "甲", "2016.年"]:
        found = next(((level, m) for level, rx in provisions.MARKERS if (m := rx.match(line))), None)
        got = provisions._line_marker(line, False, False)
        assert (got and (got[0], got[1].span())) == (found and (found[0], found[1].span())), line
