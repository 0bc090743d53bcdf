"""Cross-document impact: what a repeal, an agency reform or an expiry touches — as a model, a table,
JSON, CSV and a self-contained HTML report with a picture of the affected subgraph.

Three analyses build one :class:`ImpactReport`:

* :func:`repeal_report` — a regulation repealed or amended → the documents implementing it or based
  on it (transitively, with their annexes: ``PolicyGraph.impact`` / ``queries/impact_of_document``)
  → their tasks (the ones citing it themselves first) → lead and responsible agencies → deadlines
  and targets;
* :func:`reform_report` — an agency-change file (机构改革, :mod:`loaders.reforms`) → every task
  whose lead or responsible unit no longer exists, with its successor (``queries/reform_impact``);
* :func:`expiry_report` — documents with a validity (有效期5年 → ``validUntil``) and task windows
  that end → what lapses on which date (``queries/expiring_documents``, ``deadlines_between``).

Every report lists the named queries it ran (:class:`QueryRun`: name, parameters, the SPARQL or
Cypher text). This module is the analysis: each report is gathered from the facade's answers
(``*_report(g, …)``) and then computed by a pure function of those answers (``analyse_*``). The
models are :mod:`interface.report_model`; tables, JSON, CSV and HTML are
:mod:`interface.report_render`, the picture :mod:`interface.report_svg`.
"""
from __future__ import annotations

import contextlib
import json
import re
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator, Optional

from interface.report_model import (AffectedAgency, AgencyProfile, AgencySummary, DocumentRow, GEdge,  # noqa: F401
                                    GNode, ImpactItem, ImpactReport, QueryRun, SubGraph, doc_label)
from policykg.answers import DeadlineInfo
from policykg.dates import ALL_TIME, LATEST, iso_or_none
from policykg.ids import natural_key

# ----------------------------------------------------------------------------
# which queries ran


def query_run(backend: Any, name: str, params: dict[str, Any]) -> QueryRun:
    """The text ``backend`` (a backends.Backend) runs for the named query ``name`` with ``params``."""
    return QueryRun(name, backend.name, backend.language, _plain(params), backend.query_text(name, params))


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items()}


@contextlib.contextmanager
def trace_queries(g: Any) -> Iterator[list[QueryRun]]:
    """``with trace_queries(graph) as runs:`` — every named query run on ``graph`` inside is recorded."""
    runs: list[QueryRun] = []
    backend = g.backend
    with backend.trace(lambda name, params: runs.append(query_run(backend, name, params))):
        yield runs


def unique_runs(runs: list[QueryRun]) -> tuple[QueryRun, ...]:
    seen, out = set(), []
    for r in runs:
        key = (r.name, json.dumps(r.params, sort_keys=True, ensure_ascii=False, default=str))
        if key not in seen:
            seen.add(key)
            out.append(r)
    return tuple(out)


# ----------------------------------------------------------------------------
# shared helpers



def _task_details(g: Any) -> tuple[dict[str, list[DeadlineInfo]], dict[str, list[str]]]:
    """Every dated deadline and every target, by task id (two named queries)."""
    deadlines: dict[str, list[DeadlineInfo]] = defaultdict(list)
    for d in g.deadlines(ALL_TIME):
        if d.deadline not in deadlines[d.task_id]:
            deadlines[d.task_id].append(d.deadline)
    targets: dict[str, list[str]] = defaultdict(list)
    for t in g.targets():
        if t.task_id:
            label = (t.text or f"{t.metric} {t.comparator} {t.value:g}{t.unit}") + (f"（{t.year}年）" if t.year else "")
            if label not in targets[t.task_id]:
                targets[t.task_id].append(label)
    return deadlines, targets


def _open(deadlines: list[DeadlineInfo], on: Optional[str]) -> tuple[DeadlineInfo, ...]:
    """Deadlines still open on ``on`` (all when None); undated ones are always kept."""
    out = [d for d in deadlines if on is None or d.date is None or d.date >= on]
    return tuple(sorted(out, key=lambda d: (d.date is None, d.date or "", d.text)))


def _now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M")


# ----------------------------------------------------------------------------
# (a) repeal / amendment


def repeal_report(g: Any, regulation: str, change: str = "repeal", on: Any = None) -> ImpactReport:
    """What repealing (or amending) ``regulation`` touches, with the deadlines still open on ``on``."""
    from policykg.errors import QueryError

    if change not in ("repeal", "amend"):
        raise QueryError("change must be 'repeal' or 'amend'")
    on_iso = iso_or_none(on, "on")
    with trace_queries(g) as runs:
        impact = g.impact(regulation, on=on_iso)
        direct = g.tasks_citing(regulation)
        deadlines, targets = _task_details(g)
    return analyse_repeal(regulation, change, on_iso, impact, direct, deadlines, targets, runs, _now())


def analyse_repeal(regulation: str, change: str, on_iso: Optional[str], impact: Any, direct: list[Any],
                   deadlines: dict[str, list[DeadlineInfo]], targets: dict[str, list[str]], runs: list[QueryRun],
                   generated: str) -> ImpactReport:
    """The repeal report as a pure function of the facade's answers (``PolicyGraph.impact`` and
    ``tasks_citing``, every dated deadline and target by task) and the queries that ran."""
    direct_ids = {c.task_id: c for c in direct}
    items: list[ImpactItem] = []
    docs: list[DocumentRow] = []
    seen_tasks: set[str] = set()
    verb = "废止" if change == "repeal" else "修订"
    for d in impact.documents:
        link = d.links[0] if d.links else None
        rel = {"implements": "implements", "based_on": "is based on", "continues": "continues"}.get(
            link.relation if link else "", "cites")
        via = "" if not link or link.through_doc == d.doc_id else f" (through {link.through_doc.rsplit('-', 1)[-1]})"
        docs.append(DocumentRow(d.doc_id, d.doc_title, d.doc_number, f"{rel} {link.cited if link else regulation}{via}",
                                None, len(d.tasks)))
        for t in d.tasks:
            seen_tasks.add(t.task_id)
            c = direct_ids.get(t.task_id)
            how = (f"cites {c.cited} itself ({c.relation})" if c else
                   f"in a document that {rel} {link.cited if link else regulation}")
            items.append(ImpactItem(
                task_id=t.task_id, task_title=t.task_title, doc_id=d.doc_id, doc_title=d.doc_title,
                doc_number=d.doc_number, how=how, direct=c is not None, date=None, certain=c is not None,
                agencies=tuple(AffectedAgency(a.name, a.canonical, a.role) for a in t.agencies),
                deadlines=_open(deadlines.get(t.task_id, []), on_iso),
                targets=tuple(targets.get(t.task_id, ())), evidence=t.evidence))
    # tasks citing it whose document does not implement it (e.g. 参照 …): affected all the same
    for c in direct:
        if c.task_id in seen_tasks:
            continue
        seen_tasks.add(c.task_id)
        items.append(ImpactItem(
            task_id=c.task_id, task_title=c.task_title, doc_id=c.evidence.doc_id, doc_title=c.evidence.doc_title,
            doc_number=c.evidence.doc_number, how=f"cites {c.cited} itself ({c.relation})", direct=True, date=None,
            certain=True, agencies=tuple(AffectedAgency(n, None, "lead") for n in c.leads),
            deadlines=_open(deadlines.get(c.task_id, []), on_iso), targets=tuple(targets.get(c.task_id, ())),
            evidence=c.evidence))
        if not any(x.doc_id == c.evidence.doc_id for x in docs):
            docs.append(DocumentRow(c.evidence.doc_id, c.evidence.doc_title, c.evidence.doc_number,
                                    f"a task {c.relation.replace('_', ' ')} {c.cited}", None, 1))
    items.sort(key=lambda i: (not i.direct, natural_key(i.task_id)))
    agencies = _agency_summary(items)
    n_direct = sum(1 for i in items if i.direct)
    open_dl = sum(len(i.deadlines) for i in items)
    summary = (
        ("regulation", regulation),
        ("change", "repeal (废止)" if change == "repeal" else "amendment (修订)"),
        ("documents affected", str(len(docs))),
        ("tasks citing it themselves", str(n_direct)),
        ("other tasks of those documents", str(len(items) - n_direct)),
        ("agencies (lead / responsible)", f"{sum(1 for a in agencies if a.lead)} / "
                                          f"{sum(1 for a in agencies if a.responsible)}"),
        ("deadlines " + (f"open on {on_iso}" if on_iso else "(all)"), str(open_dl)),
        ("targets", str(sum(len(i.targets) for i in items))),
    )
    notes = [
        "Tasks that cite the regulation themselves come first (certain); the other tasks of a document "
        "that implements it or is based on it are listed because the whole document is (review them).",
    ]
    if change == "amend":
        notes.append("An amendment does not end the tasks: review them against the amended text.")
    if not items:
        notes.append(f"Nothing in the graph implements, is based on or cites {regulation}.")
    report = ImpactReport(
        kind=change, subject=regulation, title=f"{verb}{regulation}的影响 — impact of {'repealing' if change == 'repeal' else 'amending'} {regulation}",
        on=on_iso, summary=summary, items=tuple(items), documents=tuple(docs), agencies=tuple(agencies),
        notes=tuple(notes), queries=unique_runs(runs), generated=generated)
    return _with_graph(report, _repeal_graph(regulation, report))


def _agency_summary(items: list[ImpactItem]) -> list[AgencySummary]:
    counts: dict[str, Counter] = defaultdict(Counter)
    info: dict[str, AffectedAgency] = {}
    for i in items:
        for a in i.agencies:
            counts[a.name][a.role] += 1
            info.setdefault(a.name, a)
    out = [AgencySummary(n, info[n].canonical, c["lead"], c["responsible"], info[n].successor,
                         info[n].change_date, info[n].kind, info[n].certain) for n, c in counts.items()]
    return sorted(out, key=lambda a: (-a.lead, -(a.lead + a.responsible), a.name))


def _repeal_graph(regulation: str, r: ImpactReport) -> SubGraph:
    nodes: list[GNode] = [GNode("reg", regulation, "regulation", 0, regulation)]
    edges: list[GEdge] = []
    for d in r.documents:
        nodes.append(GNode(d.doc_id, doc_label(d.doc_title, d.doc_number, d.doc_id), "document", 1, d.how))
        edges.append(GEdge(d.doc_id, "reg", d.how.split(" ")[0]))
    shown = [i for i in r.items if i.direct]
    others = [i for i in r.items if not i.direct]
    fill = max(0, 6 - len(shown))  # a few of the other tasks, when few tasks cite it themselves
    shown, others = shown + others[:fill], others[fill:]
    with_agencies = [i for i in shown if i.direct] or shown
    for i in shown:
        nodes.append(GNode(i.task_id, i.task_title, "task", 2, i.how))
        edges.append(GEdge(i.doc_id, i.task_id, "", not i.direct))
        for a in (i.agencies if i in with_agencies else ()):
            aid = "ag:" + a.name
            if not any(n.id == aid for n in nodes):
                nodes.append(GNode(aid, a.name, "agency", 3, a.canonical or a.name))
            edges.append(GEdge(i.task_id, aid, "", a.role != "lead", role=a.role))
        for k, dl in enumerate(i.deadlines if i in with_agencies else ()):
            did = f"dl:{i.task_id}:{k}"
            dated = dl.date and not re.search(r"\d{4}年", dl.text)  # 年内 → 年内（2016-12-31）
            nodes.append(GNode(did, dl.text + (f"（{dl.date}）" if dated else ""), "deadline", 4,
                               f"{dl.text} — {dl.kind} {dl.date or ''}"))
            edges.append(GEdge(i.task_id, did, ""))
    by_doc = Counter(i.doc_id for i in others)
    for doc_id, n in by_doc.items():
        mid = f"more:{doc_id}"
        nodes.append(GNode(mid, f"… 另有{n}项任务", "more", 2, f"{n} more tasks in this document"))
        edges.append(GEdge(doc_id, mid, "", True))
    return SubGraph(tuple(nodes), tuple(edges), ("法规 regulation", "文件 documents", "任务 tasks",
                                                 "部门 agencies", "期限 deadlines"))


# ----------------------------------------------------------------------------
# (b) agency reform


def reform_report(g: Any, reform: Any, on: Any = None, units: Any = ()) -> ImpactReport:
    """Load ``reform`` (a path or a :class:`loaders.reforms.Reform`) into ``g`` and report every task
    whose lead or responsible unit no longer exists, with its successor. ``units`` (written or canonical
    names) keeps the changes of those units only, e.g. ("市国税局", "市地税局") for the tax merger."""
    from policykg.errors import QueryError
    from loaders.reforms import Reform, load_reform

    if not isinstance(reform, Reform):
        reform = load_reform(reform)
    on_iso = iso_or_none(on, "on")
    wanted: Optional[set[str]] = None
    if units:
        wanted = set()
        for u in units:
            hits = reform.successor_of(u)
            if not hits:
                raise QueryError(f"{u} is not a 'from' unit of any change in {Path(reform.path).name}")
            wanted.update(c.id for c in hits)
    g.load_reform(reform)
    with trace_queries(g) as runs:
        rows = g.query_rows("reform_impact", reform=reform.id)
        deadlines, targets = _task_details(g)
    evidence = {r["task_id"]: g.evidence_for(r) for r in rows}
    return analyse_reform(reform, on_iso, wanted, tuple(units), rows, evidence, deadlines, targets, runs, _now())


def analyse_reform(reform: Any, on_iso: Optional[str], wanted: Optional[set[str]], units: tuple[str, ...],
                   rows: list[dict[str, Any]], evidence: dict[str, Any], deadlines: dict[str, list[DeadlineInfo]],
                   targets: dict[str, list[str]], runs: list[QueryRun], generated: str) -> ImpactReport:
    """The reform report as a pure function of the reform, the ``reform_impact`` rows (with each task's
    evidence), every dated deadline and target by task, and the queries that ran."""
    changes = {c.id: c for c in reform.changes}
    by_task: dict[str, dict[str, Any]] = {}
    for r in rows:
        c = changes.get(r["change_id"])
        if c is None or (on_iso and c.date.isoformat() > on_iso) or (wanted is not None and c.id not in wanted):
            continue
        t = by_task.setdefault(r["task_id"], {"row": r, "agencies": {}, "changes": set()})
        key = (r["role"], r["agency"], c.id)
        t["agencies"][key] = AffectedAgency(
            name=r["agency"], canonical=r.get("canonical"), role=r["role"], successor=reform.final_successor(c)
            if c.ends_agencies else c.to, change=c.label, change_date=c.date_text, kind=c.kind, certain=c.certain)
        t["changes"].add(c.id)
    items: list[ImpactItem] = []
    for task_id, t in by_task.items():
        r = t["row"]
        ags = sorted(t["agencies"].values(), key=lambda a: (a.kind == "partial", a.role != "lead", a.name))
        ceased = [a for a in ags if a.kind != "partial"]
        first = min((changes[c] for c in t["changes"]), key=lambda c: c.date)
        if ceased:
            how = "；".join(f"{a.name}（{'牵头' if a.role == 'lead' else '责任'}）→ {a.successor}" for a in ceased)
        else:
            how = "；".join(f"{a.name} continues; duties partly to {a.successor}" for a in ags)
        # open deadlines: those not over when the unit changed
        when = min(c.date for c in (changes[x] for x in t["changes"])).isoformat()
        items.append(ImpactItem(
            task_id=task_id, task_title=r["task_title"], doc_id=r["doc_id"], doc_title=r.get("doc_title"),
            doc_number=r.get("doc_number"), how=how, direct=bool(ceased), date=first.date_text,
            certain=all(a.certain for a in (ceased or ags)), agencies=tuple(ags),
            deadlines=_open(deadlines.get(task_id, []), on_iso or when),
            targets=tuple(targets.get(task_id, ())), evidence=evidence[task_id]))
    items.sort(key=lambda i: (not i.direct, natural_key(i.task_id)))
    # per written agency: tasks and successor
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    meta: dict[tuple[str, str], AffectedAgency] = {}
    for i in items:
        for a in i.agencies:
            k = (a.name, a.change or "")
            counts[k][a.role] += 1
            meta[k] = a
    agencies = sorted((AgencySummary(a.name, a.canonical, counts[k]["lead"], counts[k]["responsible"], a.successor,
                                     a.change_date, a.kind, a.certain, a.change) for k, a in meta.items()),
                      key=lambda a: (a.kind == "partial", a.change_date or "", -(a.lead + a.responsible), a.name))
    docs = Counter((i.doc_id, i.doc_title, i.doc_number) for i in items if i.direct)
    documents = tuple(DocumentRow(d, t, n, "assigns tasks to units that ceased", None, k)
                      for (d, t, n), k in sorted(docs.items(), key=lambda kv: natural_key(kv[0][0])))
    ceased_tasks = sum(1 for i in items if i.direct)
    matched = {a.change for a in agencies}
    considered = [c for c in reform.changes if (not on_iso or c.date.isoformat() <= on_iso)
                  and (wanted is None or c.id in wanted)]
    unmatched = [c for c in considered if c.label not in matched]
    summary = (
        ("reform", f"{reform.name} ({Path(reform.path).name})"),
        ("changes in the file", f"{len(reform.changes)} ({sum(1 for c in reform.changes if not c.certain)} uncertain)"),
        ("changes considered", str(len(considered)) + ("" if wanted is None else f" (units: {'、'.join(units)})")),
        ("changes touching tasks", str(len(considered) - len(unmatched))),
        ("tasks affected (rows of the task table)", f"{len(items)} = {ceased_tasks} + {len(items) - ceased_tasks}"),
        ("… whose lead or responsible unit ceased", str(ceased_tasks)),
        ("    … led by a ceased unit", str(sum(1 for i in items if any(a.role == 'lead' and a.kind != 'partial'
                                                                       for a in i.agencies)))),
        ("    … resting on an uncertain mapping", str(sum(1 for i in items if i.direct and not i.certain))),
        ("… whose unit continues, duties partly moved", str(len(items) - ceased_tasks)),
        ("as of", on_iso or "all changes"),
    )
    notes = [f"Successors come from {Path(reform.path).name}; an uncertain mapping (certain: false) applies a provincial or "
             "national pattern not confirmed for this jurisdiction — check the 机构改革方案.",
             "Deadlines listed are those still open on the date of the change."]
    if unmatched:
        notes.append("Changes no task of the graph is touched by: " + "; ".join(c.label for c in unmatched))
    if reform.unchanged and wanted is None:
        notes.append("Checked and kept: " + "、".join(u.name + ("" if u.certain else "(?)") for u in reform.unchanged))
    report = ImpactReport(kind="reform", subject=reform.id, title=f"{reform.name} — tasks whose units no longer exist",
                          on=on_iso, summary=summary, items=tuple(items), documents=documents,
                          agencies=tuple(agencies), notes=tuple(notes), queries=unique_runs(runs), generated=generated)
    return _with_graph(report, _reform_graph(report))


def _reform_graph(r: ImpactReport) -> SubGraph:
    """A panel per document: the units it names that changed (×tasks) → their successors. Edges never
    leave their panel, so many documents and units stay readable (no bundle of crossing lines)."""
    succ = {(a.name, a.change or ""): a for a in r.agencies}
    per_doc: dict[str, Counter] = defaultdict(Counter)
    labels: dict[str, str] = {}
    change_of: dict[tuple[str, str], Any] = {}
    for i in r.items:
        labels[i.doc_id] = doc_label(i.doc_title, i.doc_number, i.doc_id)
        for a in i.agencies:
            per_doc[i.doc_id][a.name] += 1
            change_of[(i.doc_id, a.name)] = a
    nodes: dict[str, GNode] = {}
    edges: list[GEdge] = []
    for doc_id in sorted(per_doc, key=natural_key):
        group = labels[doc_id]
        for name, n in sorted(per_doc[doc_id].items(), key=lambda kv: (change_of[(doc_id, kv[0])].successor or "", kv[0])):
            a = change_of[(doc_id, name)]
            summary = succ.get((name, a.change or ""))
            aid, sid = f"ag:{doc_id}:{name}", f"succ:{doc_id}:{a.successor or '?'}"
            nodes[aid] = GNode(aid, f"{name} ×{n}", "agency", 0, f"{name}: {n} task(s) in {group}", group)
            nodes.setdefault(sid, GNode(sid, f"{a.successor or '?'}（{a.change_date}）", "successor", 1,
                                        f"{a.successor} — {a.change}", group))
            certain = a.certain if summary is None else summary.certain
            edges.append(GEdge(aid, sid, "" if certain else "?", a.kind == "partial" or not certain, weight=n))
    return SubGraph(tuple(nodes.values()), tuple(edges), ("原单位 units before (tasks)", "承继单位 successors"))


# ----------------------------------------------------------------------------
# (c) expiry


def expiry_report(g: Any, on: Any = None) -> ImpactReport:
    """Documents whose validity ends (有效期) and task windows that close: what lapses on which date.
    With ``on``, only what has lapsed by then (last valid day before ``on``)."""
    on_iso = iso_or_none(on, "on")
    with trace_queries(g) as runs:
        rows = g.query_rows("expiring_documents", before=date.fromisoformat(on_iso) if on_iso else None)
        deadlines, targets = _task_details(g)
        windows = [d for d in g.deadlines(ALL_TIME) if d.deadline.kind in ("window_end", "validity")]
        basis = {}
        for r in rows:
            key = r.get("doc_number") or r.get("doc_title")
            if key and key not in basis:
                basis[key] = g.impact(key)
    evidence = {r["task_id"]: g.evidence_for(r) for r in rows if r.get("task_id")}
    return analyse_expiry(on_iso, rows, evidence, windows, basis, deadlines, targets, runs, _now())


def analyse_expiry(on_iso: Optional[str], rows: list[dict[str, Any]], evidence: dict[str, Any], windows: list[Any],
                   basis: dict[str, Any], deadlines: dict[str, list[DeadlineInfo]], targets: dict[str, list[str]],
                   runs: list[QueryRun], generated: str) -> ImpactReport:
    """The expiry report as a pure function of the ``expiring_documents`` rows (with each task's evidence),
    the task windows, the impact of each lapsing document, deadlines and targets by task, and the queries."""
    by_task: dict[str, dict[str, Any]] = {}
    docs: dict[str, DocumentRow] = {}
    for r in rows:
        docs.setdefault(r["doc_id"], DocumentRow(
            r["doc_id"], r.get("doc_title"), r.get("doc_number"),
            f"valid from {r.get('issue_date') or '?'} until {r['valid_until']}", r["valid_until"], 0))
        if not r.get("task_id"):
            continue
        t = by_task.setdefault(r["task_id"], {"row": r, "agencies": {}})
        if r.get("agency"):
            t["agencies"][(r["role"], r["agency"])] = AffectedAgency(r["agency"], None, r["role"])
    items: list[ImpactItem] = []
    for task_id, t in by_task.items():
        r = t["row"]
        items.append(ImpactItem(
            task_id=task_id, task_title=r["task_title"], doc_id=r["doc_id"], doc_title=r.get("doc_title"),
            doc_number=r.get("doc_number"), how=f"lapses with its document (valid until {r['valid_until']})",
            direct=True, date=r["valid_until"], certain=True,
            agencies=tuple(sorted(t["agencies"].values(), key=lambda a: (a.role != "lead", a.name))),
            deadlines=tuple(deadlines.get(task_id, ())), targets=tuple(targets.get(task_id, ())),
            evidence=evidence[task_id]))
    for d in docs.values():
        docs[d.doc_id] = DocumentRow(d.doc_id, d.doc_title, d.doc_number, d.how, d.date,
                                     sum(1 for i in items if i.doc_id == d.doc_id))
    # documents that rest on a lapsing document lose their basis on the same date
    for key, im in basis.items():
        lapsing = next(d for d in docs.values() if (d.doc_number or d.doc_title) == key)
        for d in im.documents:
            if d.doc_id in docs:
                continue
            docs[d.doc_id] = DocumentRow(d.doc_id, d.doc_title, d.doc_number,
                                         f"rests on {key} (lapses {lapsing.date})", lapsing.date, len(d.tasks))
            for t in d.tasks:
                items.append(ImpactItem(
                    task_id=t.task_id, task_title=t.task_title, doc_id=d.doc_id, doc_title=d.doc_title,
                    doc_number=d.doc_number, how=f"its document rests on {key}, valid until {lapsing.date}",
                    direct=False, date=lapsing.date, certain=False,
                    agencies=tuple(AffectedAgency(a.name, a.canonical, a.role) for a in t.agencies),
                    deadlines=tuple(deadlines.get(t.task_id, ())), targets=tuple(targets.get(t.task_id, ())),
                    evidence=t.evidence))
    seen = {i.task_id for i in items}
    for w in windows:
        if on_iso and not (w.deadline.date and w.deadline.date < on_iso):
            continue
        if w.task_id in seen:
            continue
        seen.add(w.task_id)
        items.append(ImpactItem(
            task_id=w.task_id, task_title=w.task_title, doc_id=w.evidence.doc_id, doc_title=w.evidence.doc_title,
            doc_number=w.evidence.doc_number, how=f"its window ends: {w.deadline.text}", direct=True,
            date=w.deadline.date, certain=True,
            agencies=tuple(AffectedAgency(a.name, a.canonical, a.role) for a in w.agencies),
            deadlines=tuple(deadlines.get(w.task_id, ())), targets=tuple(targets.get(w.task_id, ())),
            evidence=w.evidence))
    items.sort(key=lambda i: (i.date or LATEST.isoformat(), not i.direct, natural_key(i.task_id)))
    documents = tuple(sorted(docs.values(), key=lambda d: (d.date or LATEST.isoformat(), natural_key(d.doc_id))))
    dates = Counter(i.date for i in items)
    summary = (
        ("documents with a validity", str(sum(1 for d in documents if d.how.startswith("valid")))),
        ("tasks lapsing with their document", str(sum(1 for i in items if i.how.startswith("lapses")))),
        ("tasks of documents resting on them", str(sum(1 for i in items if not i.direct))),
        ("task windows ending", str(sum(1 for i in items if i.how.startswith("its window")))),
        ("dates", ", ".join(f"{d} ({n})" for d, n in sorted(dates.items(), key=lambda kv: kv[0] or ""))),
        ("as of", f"lapsed before {on_iso}" if on_iso else "every end date"),
    )
    notes = ["A document's last valid day is its issue (or entry into force) date plus its 有效期; "
             "a task window's end is the last day of a period such as 自2011年1月1日至2020年12月31日."]
    report = ImpactReport(kind="expiry", subject=on_iso or "all", title="到期失效 — what lapses on which date",
                          on=on_iso, summary=summary, items=tuple(items), documents=documents,
                          agencies=tuple(_agency_summary(items)), notes=tuple(notes), queries=unique_runs(runs),
                          generated=generated)
    return _with_graph(report, _expiry_graph(report))


def _expiry_graph(r: ImpactReport) -> SubGraph:
    nodes: dict[str, GNode] = {}
    edges: list[GEdge] = []
    for d in r.documents:
        nodes.setdefault(d.doc_id, GNode(d.doc_id, doc_label(d.doc_title, d.doc_number, d.doc_id), "document", 1,
                                         d.how))
        if d.date:
            did = "date:" + d.date
            nodes.setdefault(did, GNode(did, f"{d.date} 失效", "date", 0, d.date))
            edges.append(GEdge(did, d.doc_id, "", not d.how.startswith("valid")))
    per_doc: dict[str, int] = Counter()
    for i in r.items:
        if i.how.startswith("its window"):
            did = "date:" + (i.date or "?")
            nodes.setdefault(did, GNode(did, f"{i.date} 期满", "date", 0, i.date or ""))
            nodes.setdefault(i.task_id, GNode(i.task_id, i.task_title, "task", 2, i.how))
            nodes.setdefault(i.doc_id, GNode(i.doc_id, doc_label(i.doc_title, i.doc_number, i.doc_id),
                                             "document", 1, ""))
            edges.append(GEdge(did, i.task_id, "期满"))
            edges.append(GEdge(i.doc_id, i.task_id, "", True))
            continue
        per_doc[i.doc_id] += 1
        if per_doc[i.doc_id] <= 6:
            nodes.setdefault(i.task_id, GNode(i.task_id, i.task_title, "task", 2, i.how))
            edges.append(GEdge(i.doc_id, i.task_id, "", not i.direct))
    for doc_id, n in per_doc.items():
        if n > 6:
            mid = "more:" + doc_id
            nodes[mid] = GNode(mid, f"… 另有{n - 6}项任务", "more", 2, f"{n - 6} more tasks")
            edges.append(GEdge(doc_id, mid, "", True))
    for i in r.items:
        if i.task_id not in nodes:
            continue
        for a in i.agencies:
            aid = "ag:" + a.name
            nodes.setdefault(aid, GNode(aid, a.name, "agency", 3, a.canonical or a.name))
            edges.append(GEdge(i.task_id, aid, "", a.role != "lead", role=a.role))
    ordered = sorted(nodes.values(), key=lambda n: (n.layer, n.id if n.layer == 0 else ""))
    return SubGraph(tuple(ordered), tuple(edges), ("日期 dates", "文件 documents", "任务 tasks", "部门 agencies"),
                    fixed=(0,))


def _with_graph(report: ImpactReport, graph: SubGraph) -> ImpactReport:
    from dataclasses import replace

    return replace(report, graph=graph)


# ----------------------------------------------------------------------------
# one agency


def agency_profile(g: Any, agency: str, reform_path: Any = None) -> AgencyProfile:
    from loaders.reforms import BUNDLED_REFORM, load_reform

    with trace_queries(g) as runs:
        tasks = g.agency_tasks(agency)
        ids = {t.task_id for t in tasks}
        deadlines = [d for d in g.deadlines(ALL_TIME, agency=agency) if d.task_id in ids]
    names = tuple(sorted({t.agency for t in tasks}))
    canonical = tuple(sorted({t.canonical for t in tasks if t.canonical}))
    lead = len({t.task_id for t in tasks if t.role == "lead"})
    shared = len({t.task_id for t in tasks if t.role != "lead"})
    docs = Counter(t.evidence.doc_title or t.evidence.doc_id for t in {t.task_id: t for t in tasks}.values())
    successors: list[str] = []
    path = reform_path or BUNDLED_REFORM
    if Path(path).exists():
        reform = load_reform(path)
        for n in names or (agency,):
            for c in reform.successor_of(n):
                successors.append(f"{n} → {reform.final_successor(c) if c.ends_agencies else c.to} "
                                  f"({c.date_text}, {c.kind}{'' if c.certain else ', uncertain'}; {Path(path).name})")
    seen: dict[tuple[str, str], Any] = {}
    for d in deadlines:
        seen.setdefault((d.task_id, d.deadline.text), d)
    return AgencyProfile(query=agency, names=names, canonical=canonical, lead=lead, responsible=shared,
                         documents=tuple(sorted(docs.items(), key=lambda kv: (-kv[1], kv[0]))), tasks=tuple(tasks),
                         deadlines=tuple(seen.values()), successors=tuple(dict.fromkeys(successors)),
                         queries=unique_runs(runs))
