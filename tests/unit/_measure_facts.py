"""Measure the fact extractors (targets, deadlines, citations) against the gold files.

Not a test: a tuning aid. Documents and tasks are cut from the text with the gold
titles (so segmentation errors do not blur the figures), then the extractors run
per document (targets, citations) and per task block (deadlines, task cites); the
result is scored with the shared scorer and the differences are listed.

    python3 tests/unit/_measure_facts.py [--quiet] [--only seed|dev]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from loaders.extract.citations import citation_key, extract_citations  # noqa: E402
from loaders.extract.deadlines import extract_deadlines  # noqa: E402
from loaders.extract.targets import extract_targets  # noqa: E402
from loaders.text import normalize, read_source  # noqa: E402

SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))  # as tests/conftest.py
_HEAD = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+章)")


def _scorer():
    spec = importlib.util.spec_from_file_location("score_extraction", SHARED / "tools" / "score_extraction.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _flex(s: str) -> str:
    """Regex for a written string (NFKC, as the normalised text) that may be broken by line breaks."""
    return r"\s*".join(re.escape(c) for c in re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)))


def _doc_ranges(text: str, docs: list[dict]) -> dict[str, tuple[int, int]]:
    """Each gold document starts where its title stands as a heading (whole lines)."""
    starts: list[tuple[str, int]] = []
    for i, d in enumerate(docs):
        pos = None
        for m in re.finditer(_flex(d["title"] or "\x00"), text):
            at_line = m.start() == 0 or text[m.start() - 1] == "\n"
            ends_line = m.end() == len(text) or text[m.end()] == "\n"
            if at_line and ends_line and (not starts or m.start() > starts[-1][1]):
                pos = m.start()
                break
        if pos is None:
            pos = 0 if not starts else starts[-1][1]
        starts.append((d["id"], pos))
    out = {}
    for k, (did, pos) in enumerate(starts):
        end = starts[k + 1][1] if k + 1 < len(starts) else len(text)
        out[did] = (pos, max(pos, end))
    return out


def _task_ranges(text: str, tasks: list[dict], docs: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    found = []
    last_by_doc: dict[str, int] = {}
    for t in tasks:
        a, b = docs[t["doc"]]
        frm = max(a, last_by_doc.get(t["doc"], a))
        m = re.compile(_flex(t["title"][:15])).search(text, frm, b)
        if not m:
            continue
        last_by_doc[t["doc"]] = m.end()
        found.append((t["id"], t["doc"], m.start()))
    out = {}
    for k, (tid, did, pos) in enumerate(found):
        nxt = [p for i2, d2, p in found[k + 1:] if d2 == did]
        end = nxt[0] if nxt else docs[did][1]
        # the last task of a document stops at the next top-level heading
        if not nxt:
            ls = text.find("\n", pos)
            while 0 <= ls < end:
                if _HEAD.match(text, ls + 1):
                    end = ls
                    break
                ls = text.find("\n", ls + 1)
        out[tid] = (pos, end)
    return out


def measure(src_path: Path, gold_path: Path, quiet: bool) -> dict:
    gold = json.load(open(gold_path, encoding="utf-8"))
    source = read_source(src_path)
    norm = normalize(source.text, source.id)
    text = norm.text
    docs = _doc_ranges(text, gold["documents"])
    tasks = _task_ranges(text, gold["tasks"], docs)
    gdocs = {d["id"]: d for d in gold["documents"]}
    t0 = time.perf_counter()
    pred = {"documents": [dict(d) for d in gold["documents"]], "tasks": [], "targets": [], "citations": []}
    spans_ok = True
    for did, (a, b) in docs.items():
        issue = date.fromisoformat(gdocs[did]["date"]) if gdocs[did].get("date") else None
        for g in extract_targets(norm, a, b, doc_id=did, task_id=None, default_year=None, id_prefix=f"{did}-g"):
            spans_ok &= norm.original[g.span.start:g.span.end] == g.span.quote
            pred["targets"].append({"doc": did, "text": g.text, "metric": g.metric, "comparator": g.comparator,
                                    "value": g.value, "unit": g.unit, "year": g.year, "kind": g.kind})
        seen = set()
        for c in extract_citations(norm, a, b, doc_id=did, task_id=None, id_prefix=f"{did}-c"):
            spans_ok &= norm.original[c.span.start:c.span.end] == c.span.quote
            if citation_key(c) in seen:
                continue
            seen.add(citation_key(c))
            pred["citations"].append({"from_doc": did, "cited": c.cited, "cited_title": c.cited_title,
                                      "relation": c.relation})
    for t in gold["tasks"]:
        a, b = tasks.get(t["id"], (0, 0))
        issue = date.fromisoformat(gdocs[t["doc"]]["date"]) if gdocs[t["doc"]].get("date") else None
        dls = extract_deadlines(norm, a, b, issue_date=issue)
        cites = extract_citations(norm, a, b, doc_id=t["doc"], task_id=t["id"], id_prefix=f"{t['id']}-c")
        for x in list(dls) + list(cites):
            spans_ok &= norm.original[x.span.start:x.span.end] == x.span.quote
        pred["tasks"].append({**t, "deadlines": [{"text": d.text, "date": d.date.isoformat() if d.date else None,
                                                  "kind": d.kind} for d in dls],
                              "cites": list(dict.fromkeys(citation_key(c) for c in cites))})
    secs = time.perf_counter() - t0
    res = _scorer().score(gold, pred)
    if not quiet:
        _diff(gold, pred, tasks)
    return {"file": src_path.name, "seconds": round(secs, 3), "spans_ok": spans_ok,
            **{k: res[k] for k in ("targets", "citations", "deadlines", "task_cites")}}


def _diff(gold: dict, pred: dict, tasks: dict) -> None:
    def tkey(t):
        return (t["doc"], float(t["value"]), t["unit"])
    g, p = Counter(tkey(t) for t in gold["targets"]), Counter(tkey(t) for t in pred["targets"])
    for k in sorted(g - p, key=str):
        print("  target missing", k, [t["text"] for t in gold["targets"] if tkey(t) == k][:1])
    for k in sorted(p - g, key=str):
        print("  target extra  ", k, [t["text"] for t in pred["targets"] if tkey(t) == k][:1])
    gc = {(c["from_doc"], unicodedata.normalize("NFKC", c["cited"])): c["relation"] for c in gold["citations"]}
    pc = {(c["from_doc"], unicodedata.normalize("NFKC", c["cited"])): c["relation"] for c in pred["citations"]}
    for k in gc.keys() - pc.keys():
        print("  cite missing", k, gc[k])
    for k in pc.keys() - gc.keys():
        print("  cite extra  ", k, pc[k])
    for k in gc.keys() & pc.keys():
        if gc[k] != pc[k]:
            print("  cite relation", k, "gold", gc[k], "pred", pc[k])
    gt = {t["id"]: t for t in gold["tasks"]}
    for t in pred["tasks"]:
        gd = {d["date"] for d in gt[t["id"]].get("deadlines", []) if d.get("date")}
        pd = {d["date"] for d in t["deadlines"] if d.get("date")}
        if gd != pd:
            print("  deadlines", t["id"], "gold", sorted(gd), "pred", sorted(pd),
                  [d["text"] for d in t["deadlines"]], "" if t["id"] in tasks else "(task not located)")
        gcs = {unicodedata.normalize("NFKC", c) for c in gt[t["id"]].get("cites", [])}
        pcs = {unicodedata.normalize("NFKC", c) for c in t["cites"]}
        if gcs != pcs:
            print("  task cites", t["id"], "gold", sorted(gcs), "pred", sorted(pcs))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--only", choices=["seed", "dev"])
    a = ap.parse_args()
    pairs = []
    if a.only != "dev":
        pairs.append((ROOT / "data" / "mianyang-gazette-2016-06.txt", SHARED / "gold" / "seed.json"))
    if a.only != "seed":
        for gp in sorted((SHARED / "gold" / "dev").glob("*.json")):
            pairs.append((SHARED / "corpus" / "dev" / (gp.stem + ".txt"), gp))
    totals = Counter()
    for sp, gp in pairs:
        if not a.quiet:
            print("==", sp.name)
        r = measure(sp, gp, a.quiet)
        print(f"{r['file']:32s} {r['seconds']:.3f}s spans_ok={r['spans_ok']}  " + "  ".join(
            f"{k}: p={r[k]['p']} r={r[k]['r']} ({r[k]['tp']}/{r[k]['pred']}/{r[k]['gold']})"
            for k in ("targets", "citations", "deadlines", "task_cites"))
            + f"  year_acc={r['targets'].get('year_acc')} cmp_acc={r['targets'].get('comparator_acc')}"
            + f" rel_acc={r['citations'].get('relation_acc')}")
        if r["file"] != "mianyang-gazette-2016-06.txt":
            for k in ("targets", "citations", "deadlines", "task_cites"):
                for f in ("tp", "pred", "gold"):
                    totals[(k, f)] += r[k][f]
    if a.only != "seed":
        line = []
        for k in ("targets", "citations", "deadlines", "task_cites"):
            tp, pr, gd = totals[(k, "tp")], totals[(k, "pred")], totals[(k, "gold")]
            p = tp / pr if pr else 1.0
            r_ = tp / gd if gd else 1.0
            f = 2 * p * r_ / (p + r_) if p + r_ else 0.0
            line.append(f"{k}: p={p:.3f} r={r_:.3f} f1={f:.3f} ({tp}/{pr}/{gd})")
        print("dev total  " + "  ".join(line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
