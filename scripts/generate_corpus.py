#!/usr/bin/env python3
"""A deterministic scale corpus: N copies of the bundled gazette and the dev excerpts.

    python scripts/generate_corpus.py OUT --copies 350          # ≈ 10,000 documents, ≈ 50 MB
    python scripts/generate_corpus.py OUT --copies 100 --dev ../shared/corpus/dev

Copy 0 is the originals, unchanged (the seed keeps its file name, so the seed's documented
examples answer the same rows at every size). Copy k ≥ 1 is its own city, document numbers and
years:
- the gazette's city 绵阳 becomes a made-up two-character city (绵阳市 → 青禾市), and its
  document-number abbreviation 绵 (绵府发, 绵委办 …) the same two characters;
- every document number ``〔YYYY〕N号`` (any bracket, 号 or 號) becomes ``〔YYYY+s〕(N + 100·⌈k/9⌉)号``,
  consistently inside the copy, so citations between the copy's documents still resolve and no two
  copies share a number;
- every year ``YYYY年`` (and the years of dates) is shifted by the same s = 1 + (k − 1) mod 9.
Full-width digits stay full-width.
The dev excerpts keep their own jurisdictions (国务院, 天津市 …): only numbers and years change.

Nothing is random: the same arguments write byte-identical files. Files are written as
``copy-NNN/<name>``; a copy's source ids are ``cNNN-<stem>``.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZETTE = ROOT / "data" / "mianyang-gazette-2016-06.txt"
DEV = ROOT.parent / "shared" / "corpus" / "dev"

# syllables for made-up city names (none of them 绵 or 阳, so no name collides with the original)
_FIRST = "青禾安临泽云松清宁和永兴华嘉瑞长丰文德泰福明新远乐平隆昌盛康顺"
_SECOND = "川源岭州江城山原溪湖陵阜河都林峰水口坪庆塘岗沙桥渡台池"
_D = "[0-9０-９]"
_TO_ASCII = str.maketrans("０１２３４５６７８９", "0123456789")
_TO_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")
_NUMBER = re.compile(rf"([〔\[［(（【﹝])((?:19|20|１９|２０){_D}{{2}})([〕\]］)）】﹞])(\s*)({_D}+)(\s*[号號])")
_YEAR = re.compile(rf"(?<![0-9０-９])((?:19|20|１９|２０){_D}{{2}})(?=\s*(?:年|[-./－]{_D}))")
_ABBREV = re.compile(r"绵(?=[府发城苍西设购遂高委办政])")


def _plus(digits: str, n: int) -> str:
    """``digits`` (ASCII or full-width) + n, written in the same width."""
    value = str(int(digits.translate(_TO_ASCII)) + n)
    return value.translate(_TO_WIDE) if digits[0] in "０１２３４５６７８９" else value


def city_name(k: int) -> str:
    """The made-up city of copy k ≥ 1 (distinct for k < 900)."""
    i = k - 1
    return _FIRST[i % len(_FIRST)] + _SECOND[(i // len(_FIRST)) % len(_SECOND)]


def year_shift(k: int) -> int:
    return 0 if k == 0 else 1 + (k - 1) % 9


def number_shift(k: int) -> int:
    """Added to every document number of copy k: with the year shift, no two copies share a number."""
    return 0 if k == 0 else 100 * ((k - 1) // 9 + 1)


def transform(text: str, k: int, is_gazette: bool) -> str:
    """Copy k of ``text`` (k = 0: the text itself)."""
    if k == 0:
        return text
    s = year_shift(k)
    text = _NUMBER.sub(lambda m: m.group(1) + _plus(m.group(2), s) + m.group(3) + m.group(4)
                       + _plus(m.group(5), number_shift(k)) + m.group(6), text)
    text = _YEAR.sub(lambda m: _plus(m.group(1), s), text)
    if is_gazette:
        city = city_name(k)
        text = text.replace("绵阳", city)
        text = _ABBREV.sub(city, text)
    return text


def sources(dev: Path) -> list[tuple[Path, bool]]:
    """(file, is the gazette) in a fixed order."""
    out = [(GAZETTE, True)]
    if dev.is_dir():
        out += [(p, False) for p in sorted(dev.glob("*.txt"))]
    return out


def generate(out: Path, copies: int, dev: Path = DEV) -> list[Path]:
    files = sources(dev)
    texts = [(p, gaz, p.read_text(encoding="utf-8")) for p, gaz in files]
    written = []
    for k in range(copies):
        folder = out / f"copy-{k:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        for p, gaz, text in texts:
            stem = p.stem if gaz else f"dev{p.stem}"
            name = f"{stem}.txt" if k == 0 else f"c{k:03d}-{stem}.txt"
            target = folder / name
            target.write_text(transform(text, k, gaz), encoding="utf-8")
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path, help="folder to write (copy-000/, copy-001/ …)")
    ap.add_argument("--copies", type=int, default=1, help="how many copies (copy 0 = the originals)")
    ap.add_argument("--dev", type=Path, default=DEV, help=f"the dev excerpts (default {DEV})")
    args = ap.parse_args(argv)
    if args.copies < 1:
        ap.error("--copies must be at least 1")
    files = generate(args.out, args.copies, args.dev)
    mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"{len(files)} files, {mb:.1f} MB in {args.out} ({args.copies} copies)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
