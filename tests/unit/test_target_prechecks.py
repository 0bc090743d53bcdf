"""The cheap pre-checks of targets.py say "nothing here" only where the full reading finds nothing."""
import random

from loaders.extract import targets


def _strings(tokens: list[str], n: int, seed: int):
    rnd = random.Random(seed)
    for _ in range(n):
        s = "".join(rnd.choice(tokens) for _ in range(rnd.randrange(16)))
        a = rnd.randrange(len(s) + 1)
        yield s, a, rnd.randrange(a, len(s) + 1)


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
