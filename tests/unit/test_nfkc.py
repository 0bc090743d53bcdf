"""loaders.text.nfkc gives the same string as unicodedata's NFKC, normalising only the unstable pieces."""
import random
import re
import unicodedata

from loaders.text.nfkc import STABLE, nfkc


def test_stable_characters_are_starters_unchanged_by_nfkc():
    stable = [chr(c) for c in range(0x10000) if re.fullmatch(f"[{STABLE}]", chr(c))]
    assert len(stable) > 20000
    for c in stable:
        assert unicodedata.normalize("NFKC", c) == c and unicodedata.combining(c) == 0, hex(ord(c))


def test_stable_characters_never_compose_with_the_one_before():
    probes = "a\u4e00\u3001\u3002《》「」【】·—“”"
    for x in map(chr, range(0x10000)):
        if 0xD800 <= ord(x) < 0xE000:
            continue
        for c in probes:
            assert unicodedata.normalize("NFKC", x + c) == unicodedata.normalize("NFKC", x) + c, (hex(ord(x)), c)


def test_same_as_unicodedata_on_mixed_text():
    pool = ("e\u0301\u0308\u1100\u1161\u11a8가각，（）：；ＡＢ０１\u3000ｆｉ㈠①\u3099\u309aか\u4e00。、《》·“”—…／"
            "市财政局牵头abc 1\n")
    rnd = random.Random(7)
    for _ in range(20000):
        s = "".join(rnd.choice(pool) for _ in range(rnd.randrange(16)))
        assert nfkc(s) == unicodedata.normalize("NFKC", s), repr(s)
    text = "（一）市发展改革委牵头，２０１６年底前完成。\n关(guān)于ｆｉ㈠e\u0301" * 50
    assert nfkc(text) == unicodedata.normalize("NFKC", text)
