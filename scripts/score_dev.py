"""Score extraction on the seed, the dev excerpts and the dev regulations with the reference scorer.

    python scripts/score_dev.py [--set seed|dev|laws|all] [--per-file] [--fields tasks,lead]

Summed tp/pred/gold over each set, as the extraction issue measures it. In-process (no subprocess per
file), so it takes seconds; the before-stop hook measures the same through `policykg extract`.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))

SETS = {
    "seed": ("gold", ("doc_numbers", "tasks", "lead", "responsible", "any_role", "targets", "deadlines",
                      "citations", "provisions", "provision_roles", "agency_mentions")),
    "dev": ("gold/dev", ("tasks", "lead", "responsible", "any_role", "targets", "deadlines", "citations")),
    "laws": ("gold/dev-laws", ("doc_numbers", "provisions", "provision_roles", "targets", "citations")),
}


def scorer():
    spec = importlib.util.spec_from_file_location("score_extraction", SHARED / "tools/score_extraction.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def gold_files(name: str):
    if name == "seed":
        yield SHARED / "gold/seed.json", SHARED / "corpus/seed/mianyang-gazette-2016-06.txt"
        return
    for g in sorted((SHARED / SETS[name][0]).glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        f = gold.get("file")
        yield g, (SHARED / "corpus" / f) if f and "/" in f else SHARED / "corpus/dev" / (g.stem + ".txt")


def main() -> None:
    from graph_api import extract_to_json

    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default="all", choices=["all", *SETS])
    ap.add_argument("--per-file", action="store_true")
    ap.add_argument("--fields", default="")
    args = ap.parse_args()
    sc = scorer()
    for name in (SETS if args.set == "all" else [args.set]):
        fields = args.fields.split(",") if args.fields else SETS[name][1]
        tot: dict[str, list[int]] = {}
        for gpath, src in gold_files(name):
            gold = json.loads(gpath.read_text(encoding="utf-8"))
            pred = json.loads(json.dumps(extract_to_json([src]), ensure_ascii=False))
            res = sc.score(gold, pred)
            for k, v in res.items():
                if "tp" in v:
                    t = tot.setdefault(k, [0, 0, 0])
                    t[0] += v["tp"]; t[1] += v["pred"]; t[2] += v["gold"]
            if args.per_file:
                print(f"  {gpath.stem[:28]:28} " + " ".join(
                    f"{k}={res[k]['f1']:.2f}({res[k]['tp']}/{res[k]['pred']}/{res[k]['gold']})"
                    for k in fields if k in res and res[k].get("gold", 0) + res[k].get("pred", 0)))
        print(f"{name}: " + "  ".join(f"{k}={sc.prf(*tot[k])['f1']:.3f}" for k in fields if k in tot))


if __name__ == "__main__":
    main()
