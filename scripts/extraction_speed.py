"""Extraction throughput in one process: MB/s per core (CPU time, best of N) on the seed, the dev
excerpts and a sample of the laws corpus; ``--snapshot FILE`` also writes every extracted fact
(one line per file: its facts' digest) so two versions of the extractor can be compared exactly.

    python scripts/extraction_speed.py [--runs 5] [--laws 40] [--snapshot out.txt]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))


def corpus_sets(n_laws: int) -> dict[str, list[Path]]:
    laws = sorted((SHARED / "corpus/laws").rglob("*.md"))
    step = max(1, len(laws) // n_laws) if n_laws else 0
    return {"seed": [SHARED / "corpus/seed/mianyang-gazette-2016-06.txt"],
            "dev": sorted((SHARED / "corpus/dev").glob("*.txt")),
            "laws": laws[::step][:n_laws] if n_laws else []}


def rate(paths: list[Path], runs: int) -> tuple[float, float]:
    """(MB, best MB/s of CPU time) over ``runs`` passes of extract_file on every path."""
    from loaders.pipeline import extract_file

    mb = sum(p.stat().st_size for p in paths) / 1e6
    best = float("inf")
    for _ in range(runs):
        t0 = time.process_time()
        for p in paths:
            extract_file(p)
        best = min(best, time.process_time() - t0)
    return mb, mb / best


def digest(path: Path) -> str:
    from loaders.pipeline import extract_file

    ex = extract_file(path)
    parts = [ex.documents, ex.provisions, ex.tasks, ex.targets, ex.citations, ex.mentions, ex.warnings]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--laws", type=int, default=40, help="laws files, evenly spaced over the corpus")
    ap.add_argument("--snapshot", type=Path, help="write per-file digests of the extracted facts here")
    ap.add_argument("--sets", default="seed,dev,laws")
    args = ap.parse_args()
    sets = corpus_sets(args.laws)
    if args.snapshot:
        with args.snapshot.open("w", encoding="utf-8") as f:
            for name, paths in sets.items():
                for p in paths:
                    f.write(f"{name}\t{p.name}\t{digest(p)}\n")
    for name in args.sets.split(","):
        mb, r = rate(sets[name], args.runs)
        print(f"{name}: {len(sets[name])} files, {mb:.3f} MB, {r:.2f} MB/s per core (CPU time, best of {args.runs})")


if __name__ == "__main__":
    main()
