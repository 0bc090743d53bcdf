"""Precision / recall / F1 of an extraction against a gold file, field by field.

Our own implementation of the matching described in ``shared/gold/README.md``:
documents are paired by number, else by title; tasks by title similarity inside
paired documents (greedy, one to one); names compare in NFKC Simplified form; a
relative deadline (no date) is not scored. The reference scorer in
``shared/tools`` is what judges; ``tests/test_extraction_quality.py`` runs both.
"""
from __future__ import annotations

import difflib
import re
from typing import Any

from loaders.graph_rows import match_key


def _n(s: Any) -> str:
    return match_key(str(s)) if s else ""


def _num(s: Any) -> str:
    return re.sub(r"[〔〕\[\]()（）【】［］]", "|", _n(s))


def _sim(a: Any, b: Any) -> float:
    a, b = _n(a), _n(b)
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 0.5 + 0.5 * min(len(a), len(b)) / max(len(a), len(b))
    return difflib.SequenceMatcher(None, a, b).ratio()


def _prf(tp: int, pred: int, gold: int) -> dict[str, float | int]:
    p = tp / pred if pred else (1.0 if gold == 0 else 0.0)
    r = tp / gold if gold else 1.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "tp": tp, "pred": pred, "gold": gold}


def _pair_docs(gd: list[dict], pd: list[dict]) -> dict[str, str]:
    out: dict[str, str] = {}
    used: set[str] = set()
    for g in gd:
        best, score = None, 0.0
        for p in pd:
            if p["id"] in used:
                continue
            if g.get("doc_number") and _num(g["doc_number"]) == _num(p.get("doc_number")):
                best, score = p, 9.0
                break
            s = _sim(g.get("title"), p.get("title"))
            if s > score:
                best, score = p, s
        if best is not None and score >= 0.6:
            out[g["id"]] = best["id"]
            used.add(best["id"])
    rest_g = [g for g in gd if g["id"] not in out and not g.get("doc_number") and not g.get("title")]
    rest_p = [p for p in pd if p["id"] not in used]
    out.update({g["id"]: p["id"] for g, p in zip(rest_g, rest_p)})
    return out


def _pair_tasks(gt: list[dict], pt: list[dict], docs: dict[str, str]) -> list[tuple[int, int]]:
    cands = []
    for i, g in enumerate(gt):
        for j, p in enumerate(pt):
            if docs.get(g.get("doc")) not in (None, p.get("doc")):
                continue
            s = _sim(g.get("title"), p.get("title"))
            if s >= 0.5:
                cands.append((s, i, j))
    cands.sort(reverse=True)
    gi, pj, pairs = set(), set(), []
    for _, i, j in cands:
        if i not in gi and j not in pj:
            gi.add(i)
            pj.add(j)
            pairs.append((i, j))
    return pairs


def score(gold: dict[str, Any], pred: dict[str, Any]) -> dict[str, dict]:
    res: dict[str, dict] = {}
    gd, pd = gold.get("documents", []), pred.get("documents", [])
    docs = _pair_docs(gd, pd)
    gnums = {_num(d["doc_number"]) for d in gd if d.get("doc_number")}
    pnums = {_num(d["doc_number"]) for d in pd if d.get("doc_number")}
    res["doc_numbers"] = _prf(len(gnums & pnums), len(pnums), len(gnums))
    for kind in ("work_item", "provision"):
        gt = [t for t in gold.get("tasks", []) if (t.get("kind") == "provision") == (kind == "provision")]
        pt = [t for t in pred.get("tasks", []) if (t.get("kind") == "provision") == (kind == "provision")]
        pairs = _pair_tasks(gt, pt, docs)
        res["tasks" if kind == "work_item" else "provisions"] = _prf(len(pairs), len(pt), len(gt))
        if kind != "work_item":
            continue
        counts = {k: [0, 0, 0] for k in ("lead", "responsible", "any_role", "deadlines", "task_cites")}

        def fields(t: dict) -> dict[str, set]:
            lead = {_n(x) for x in t.get("lead") or []}
            resp = {_n(x) for x in t.get("responsible") or []}
            return {"lead": lead, "responsible": resp, "any_role": lead | resp,
                    "deadlines": {d.get("date") for d in t.get("deadlines") or [] if d.get("date")},
                    "task_cites": {_num(c) for c in t.get("cites") or []}}

        pg, pp = {i for i, _ in pairs}, {j for _, j in pairs}
        for i, j in pairs:
            fg, fp = fields(gt[i]), fields(pt[j])
            for k in counts:
                counts[k][0] += len(fg[k] & fp[k])
                counts[k][1] += len(fp[k])
                counts[k][2] += len(fg[k])
        for i, t in enumerate(gt):
            if i not in pg:
                for k, v in fields(t).items():
                    counts[k][2] += len(v)
        for j, t in enumerate(pt):
            if j not in pp:
                for k, v in fields(t).items():
                    counts[k][1] += len(v)
        for k, (tp, np_, ng) in counts.items():
            res[k] = _prf(tp, np_, ng)
    # targets: same value and unit in the paired document, similar metric or text
    used: set[int] = set()
    tp = 0
    pg_ = pred.get("targets", [])
    for g in gold.get("targets", []):
        best, bs = None, -1.0
        for j, p in enumerate(pg_):
            if j in used or _n(p.get("unit")) != _n(g.get("unit")):
                continue
            try:
                if abs(float(p["value"]) - float(g["value"])) > 1e-6:
                    continue
            except (TypeError, ValueError, KeyError):
                continue
            if docs.get(g.get("doc")) not in (None, p.get("doc")):
                continue
            s = max(_sim(g.get("metric"), p.get("metric")), _sim(g.get("text"), p.get("text")))
            if s > bs:
                best, bs = j, s
        if best is not None and bs >= 0.3:
            used.add(best)
            tp += 1
    res["targets"] = _prf(tp, len(pg_), len(gold.get("targets", [])))
    gc = {(docs.get(c["from_doc"], c["from_doc"]), _cited(c["cited"])) for c in gold.get("citations", [])}
    pc = {(c["from_doc"], _cited(c["cited"])) for c in pred.get("citations", [])}
    res["citations"] = _prf(len(gc & pc), len(pc), len(gc))
    gm = {(docs.get(m["doc"], m["doc"]), _n(m["name"])) for m in gold.get("agency_mentions", [])}
    pm = {(m["doc"], _n(m["name"])) for m in pred.get("agency_mentions", [])}
    if gm:
        res["agency_mentions"] = _prf(len(gm & pm), len(pm), len(gm))
    return res


def _cited(s: str) -> str:
    m = re.search(r"[^《》〔〕\[\]()（）]{1,12}[〔\[(（［【][0-9]{4}[〕\])）］】][0-9]+号", _n(s))
    return ("no:" + _num(m.group(0))) if m else ("title:" + _n(s))
