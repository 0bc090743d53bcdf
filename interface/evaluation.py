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
from dataclasses import dataclass
from pathlib import Path
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
            s = max(_sim(g.get("title"), p.get("title")), _sim(g.get("title"), p.get("text")) if p.get("text") else 0.0)
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


# ----------------------------------------------------------------------------
# coverage: a measure that needs no gold (``policykg evaluate --coverage PATH…``)

_ARTICLE_LINE = re.compile(r"(?m)^[ \t　]*第[一二三四五六七八九十百千零〇]+条(?:之[一二三四五六七八九十]+)?(?=[ \t　\u4e00-\u9fff(（])")
_HEADING_LINE = re.compile(r"(?m)^[ \t　#]*第[一二三四五六七八九十百零〇]+[章节編编]")
_ITEM_LINE = re.compile(r"(?m)^[ \t　]*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,3}[.．、](?!\d)"
                        r"|[（(]\d{1,3}[）)]|\d{1,3}[)）](?=\s*[\u4e00-\u9fff]))")


@dataclass
class FileCoverage:
    path: str
    genre: str
    duty_articles: int = 0  # articles holding a duty word
    duty_covered: int = 0  # … that became provisions with at least one duty-bearer
    markers: int = 0  # 牵头 / 责任单位 markers
    markers_covered: int = 0  # … inside a task that has a role
    articles: int = 0  # 第X条 lines
    articles_seen: int = 0  # … read as an article by the structure parser
    items: int = 0  # numbered lines (一、 （一） 1. （1） 1）)
    items_seen: int = 0  # … read as a provision node or held by an article

    @property
    def score(self) -> float:
        """One figure to rank files by: the mean of the shares that apply."""
        shares = [c / n for c, n in ((self.duty_covered, self.duty_articles), (self.markers_covered, self.markers),
                                     (self.articles_seen, self.articles), (self.items_seen, self.items)) if n]
        return sum(shares) / len(shares) if shares else 1.0


def _genre(path: Path) -> str:
    """The corpus folder a file sits in: the laws category (行政法规 …) or the gazette/dev folder."""
    from loaders.laws import KNOWN_CATEGORIES

    for anc in path.resolve().parents:
        if anc.name in KNOWN_CATEGORIES:
            return anc.name
    return path.parent.name


def file_coverage(path: Path) -> FileCoverage:
    """How much of one file's structure and duty language the extractor turned into facts."""
    import bisect

    from loaders.extract.documents import segment
    from loaders.extract.lexicon import lexicon
    from loaders.extract.provisions import build_tree
    from loaders.pipeline import extract_source
    from loaders.text import normalize, read_source

    src = read_source(path)
    ex = extract_source(src)
    norm = normalize(src.text, src.id)
    text = norm.match
    cov = FileCoverage(str(path), _genre(path))
    lex = lexicon("provisions")
    duty = re.compile("|".join(map(re.escape, lex["duty_cues"])))
    marker = re.compile("|".join(map(re.escape, lex["role_markers"])))
    # facts in normalised offsets
    starts = norm.offsets
    def npos(orig: int) -> int:
        return bisect.bisect_left(starts, orig)
    with_role = sorted((npos(t.span.start), npos(t.span.end)) for t in ex.tasks if t.lead or t.responsible)
    prov_starts = sorted(npos(t.span.start) for t in ex.tasks if t.kind == "provision" and (t.lead or t.responsible))
    # articles: from one 第X条 line to the next article or heading
    bounds = sorted([m.start() for m in _ARTICLE_LINE.finditer(text)] + [m.start() for m in _HEADING_LINE.finditer(text)])
    art_starts = [m.start() for m in _ARTICLE_LINE.finditer(text)]
    nodes = [n for d in segment(norm) for n in build_tree(text, d.body_start, d.end)]
    node_starts = {n.start for n in nodes}
    article_nodes = [(n.start, n.end) for n in nodes if n.level == "article"]
    article_starts = {s for s, _ in article_nodes}
    for a in art_starts:
        k = bisect.bisect_right(bounds, a)
        b = bounds[k] if k < len(bounds) else len(text)
        cov.articles += 1
        cov.articles_seen += (a + len(text[a:a + 4]) - len(text[a:a + 4].lstrip(" \t　"))) in article_starts
        if duty.search(text, a, b):
            cov.duty_articles += 1
            i = bisect.bisect_left(prov_starts, a)
            cov.duty_covered += i < len(prov_starts) and prov_starts[i] < b
    for m in marker.finditer(text):
        cov.markers += 1
        cov.markers_covered += any(s <= m.start() < e for s, e in with_role)
    art_ranges = sorted(article_nodes)
    for m in _ITEM_LINE.finditer(text):
        a = m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" \t　")))
        cov.items += 1
        k = bisect.bisect_right(art_ranges, (a, len(text))) - 1
        inside = k >= 0 and art_ranges[k][0] <= a < art_ranges[k][1]
        cov.items_seen += a in node_starts or inside
    return cov


def coverage(paths: list[Path], worst: int = 10) -> dict[str, Any]:
    """Per genre: shares of duty articles → provisions with a duty-bearer, markers → roles, 第X条 and
    numbered items → nodes; and the files with the lowest coverage."""
    files: list[Path] = []
    for p in map(Path, paths):
        files.extend(sorted(x for x in p.rglob("*") if x.suffix in (".txt", ".md")) if p.is_dir() else [p])
    per = [file_coverage(f) for f in files]
    genres: dict[str, dict[str, Any]] = {}
    keys = (("duty_articles", "duty_covered"), ("markers", "markers_covered"), ("articles", "articles_seen"),
            ("items", "items_seen"))
    for c in per:
        g = genres.setdefault(c.genre, {"files": 0, **{k: 0 for pair in keys for k in pair}})
        g["files"] += 1
        for pair in keys:
            for k in pair:
                g[k] += getattr(c, k)
    for g in genres.values():
        for n, c in keys:
            g[c.replace("_covered", "").replace("_seen", "") + "_share"] = round(g[c] / g[n], 4) if g[n] else None
    lowest = sorted(per, key=lambda c: (c.score, c.path))[:worst]
    return {"genres": dict(sorted(genres.items())),
            "lowest": [{"path": c.path, "genre": c.genre, "score": round(c.score, 4),
                        "duty": f"{c.duty_covered}/{c.duty_articles}", "markers": f"{c.markers_covered}/{c.markers}",
                        "articles": f"{c.articles_seen}/{c.articles}", "items": f"{c.items_seen}/{c.items}"}
                       for c in lowest]}
