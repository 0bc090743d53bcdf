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
Cypher text). :func:`to_html` draws the affected subgraph as inline SVG with a layered layout of
its own (no JavaScript, no fonts or scripts from a network).
"""
from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator, Optional

from policykg.answers import DeadlineInfo, Evidence, to_jsonable
from policykg.dates import ALL_TIME, LATEST, iso_or_none
from policykg.ids import natural_key

# ----------------------------------------------------------------------------
# models


@dataclass(frozen=True)
class QueryRun:
    """A named query as run: its parameters (match form) and the text the backend executed."""

    name: str
    backend: str
    language: str  # sparql | cypher
    params: dict[str, Any]
    text: str


@dataclass(frozen=True)
class AffectedAgency:
    name: str  # as written in the task
    canonical: Optional[str]
    role: str  # lead | responsible
    successor: Optional[str] = None  # reform: the unit that takes over
    change: Optional[str] = None  # reform: the change's label
    change_date: Optional[str] = None
    kind: Optional[str] = None  # merge | rename | partial
    certain: Optional[bool] = None


@dataclass(frozen=True)
class ImpactItem:
    """One affected task: why, when, who, and what is still due."""

    task_id: str
    task_title: str
    doc_id: str
    doc_title: Optional[str]
    doc_number: Optional[str]
    how: str  # why this task is affected, one line
    direct: bool  # the task itself cites the regulation / names the changed unit / lapses itself
    date: Optional[str]  # when it is affected (change date, last valid day); None = when the change happens
    certain: bool
    agencies: tuple[AffectedAgency, ...]
    deadlines: tuple[DeadlineInfo, ...]
    targets: tuple[str, ...]
    evidence: Evidence


@dataclass(frozen=True)
class AgencySummary:
    name: str  # as written
    canonical: Optional[str]
    lead: int
    responsible: int
    successor: Optional[str] = None
    change_date: Optional[str] = None
    kind: Optional[str] = None
    certain: Optional[bool] = None
    change: Optional[str] = None  # reform: the change's label


@dataclass(frozen=True)
class DocumentRow:
    doc_id: str
    doc_title: Optional[str]
    doc_number: Optional[str]
    how: str
    date: Optional[str] = None
    tasks: int = 0


@dataclass(frozen=True)
class GNode:
    id: str
    label: str
    kind: str  # regulation | document | task | agency | successor | deadline | change | date | more
    layer: int
    title: str = ""  # tooltip


@dataclass(frozen=True)
class GEdge:
    src: str
    dst: str
    label: str = ""
    dashed: bool = False
    weight: int = 1  # drawn thicker for more tasks
    role: str = ""  # lead | responsible: coloured


@dataclass(frozen=True)
class SubGraph:
    nodes: tuple[GNode, ...] = ()
    edges: tuple[GEdge, ...] = ()
    layers: tuple[str, ...] = ()  # a caption per layer
    fixed: tuple[int, ...] = ()  # layers kept in the given order (e.g. dates)


@dataclass(frozen=True)
class ImpactReport:
    kind: str  # repeal | amend | reform | expiry
    subject: str
    title: str
    on: Optional[str]
    summary: tuple[tuple[str, str], ...]
    items: tuple[ImpactItem, ...]
    documents: tuple[DocumentRow, ...]
    agencies: tuple[AgencySummary, ...]
    notes: tuple[str, ...]
    queries: tuple[QueryRun, ...]
    graph: SubGraph = field(default_factory=SubGraph)
    generated: str = ""


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


def _doc_label(title: Optional[str], number: Optional[str], doc_id: str) -> str:
    if title and number:
        return f"{title}（{number}）"
    return title or number or doc_id


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
        notes=tuple(notes), queries=unique_runs(runs), generated=_now())
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
        nodes.append(GNode(d.doc_id, _doc_label(d.doc_title, d.doc_number, d.doc_id), "document", 1, d.how))
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
            targets=tuple(targets.get(task_id, ())), evidence=g._evidence(r)))
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
                          agencies=tuple(agencies), notes=tuple(notes), queries=unique_runs(runs), generated=_now())
    return _with_graph(report, _reform_graph(report))


def _reform_graph(r: ImpactReport) -> SubGraph:
    nodes: dict[str, GNode] = {}
    edges: list[GEdge] = []
    per_doc_agency: Counter = Counter()
    for i in r.items:
        for a in i.agencies:
            per_doc_agency[(i.doc_id, _doc_label(i.doc_title, i.doc_number, i.doc_id), a.name, a.kind == "partial")] += 1
    for (doc_id, label, agency, partial), n in sorted(per_doc_agency.items(), key=lambda kv: natural_key(kv[0][0])):
        nodes.setdefault(doc_id, GNode(doc_id, label, "document", 0, label))
        aid = "ag:" + agency
        nodes.setdefault(aid, GNode(aid, agency, "agency", 1, agency))
        edges.append(GEdge(doc_id, aid, "", partial, weight=n))
    for a in r.agencies:
        sid = "succ:" + (a.successor or "?")
        nodes.setdefault(sid, GNode(sid, f"{a.successor or '?'}（{a.change_date}）", "successor", 2,
                                    f"{a.successor} — {a.change}"))
        edges.append(GEdge("ag:" + a.name, sid, "" if a.certain else "?", a.kind == "partial" or not a.certain))
    return SubGraph(tuple(nodes.values()), tuple(edges), ("文件 documents (tasks)", "原单位 units before",
                                                           "承继单位 successors"))


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
            evidence=g._evidence(r)))
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
                          generated=_now())
    return _with_graph(report, _expiry_graph(report))


def _expiry_graph(r: ImpactReport) -> SubGraph:
    nodes: dict[str, GNode] = {}
    edges: list[GEdge] = []
    for d in r.documents:
        nodes.setdefault(d.doc_id, GNode(d.doc_id, _doc_label(d.doc_title, d.doc_number, d.doc_id), "document", 1,
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
            nodes.setdefault(i.doc_id, GNode(i.doc_id, _doc_label(i.doc_title, i.doc_number, i.doc_id),
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
# output: JSON, CSV, Rich tables


def to_json(report: ImpactReport) -> str:
    return json.dumps(to_jsonable(report), ensure_ascii=False, indent=2)


CSV_COLUMNS = ("task_id", "task", "document", "how", "direct", "date", "certain", "lead", "responsible",
               "successors", "open_deadlines", "targets", "source")


def item_rows(report: ImpactReport) -> list[dict[str, str]]:
    rows = []
    for i in report.items:
        rows.append({
            "task_id": i.task_id, "task": i.task_title,
            "document": _doc_label(i.doc_title, i.doc_number, i.doc_id), "how": i.how,
            "direct": "yes" if i.direct else "no", "date": i.date or "", "certain": "yes" if i.certain else "no",
            "lead": "、".join(a.name for a in i.agencies if a.role == "lead"),
            "responsible": "、".join(a.name for a in i.agencies if a.role == "responsible"),
            "successors": "、".join(sorted({f"{a.name}→{a.successor}" for a in i.agencies if a.successor})),
            "open_deadlines": "；".join(f"{d.text}" + (f" ({d.date})" if d.date else "") for d in i.deadlines),
            "targets": "；".join(i.targets),
            "source": f"{i.evidence.source}:{i.evidence.start}-{i.evidence.end}"})
    return rows


def to_csv(report: ImpactReport) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(item_rows(report))
    return buf.getvalue()


def _short(s: Optional[str], n: int) -> str:
    s = (s or "").replace("\n", "")
    return s if len(s) <= n else s[: n - 1] + "…"


def _mid(s: Optional[str], n: int) -> str:
    """Cut in the middle, keeping the distinctive end of a title: 绵阳市…降成本专项工作方案."""
    s = (s or "").replace("\n", "")
    if len(s) <= n:
        return s
    head = max(2, n // 4)
    return s[:head] + "…" + s[-(n - head - 1):]


def print_report(console: Any, report: ImpactReport, *, limit: Optional[int] = None) -> None:
    """Rich tables: summary, agencies or documents, affected tasks (one line per row)."""
    from rich.table import Table

    def table(*cols: tuple[str, Optional[int]], title: str) -> Table:
        t = Table(title=title)
        for name, width in cols:
            t.add_column(name, no_wrap=True, overflow="ellipsis", max_width=width)
        return t

    console.print(f"[bold]{report.title}[/bold]")
    s = Table(show_header=False, box=None, pad_edge=False)
    s.add_column(style="dim")
    s.add_column()
    for k, v in report.summary:
        s.add_row(k, v)
    console.print(s)
    if report.kind == "reform":
        t = table(("unit (as written)", None), ("lead", None), ("resp.", None), ("successor", 26), ("date", None),
                  ("kind", None), ("certain", None), title="units that changed, with the tasks they lead or share")
        for a in report.agencies:
            t.add_row(a.name, str(a.lead), str(a.responsible), a.successor or "", a.change_date or "", a.kind or "",
                      "yes" if a.certain else "no")
    else:
        t = table(("document", 40), ("how", 44), ("date", None), ("tasks", None), title="documents")
        for d in report.documents:
            t.add_row(_mid(_doc_label(d.doc_title, d.doc_number, d.doc_id), 19), d.how, d.date or "", str(d.tasks))
    console.print(t)
    items = report.items if limit is None else report.items[:limit]
    title = f"affected tasks ({len(report.items)})"
    if report.kind == "reform":
        ceased_n = sum(1 for i in report.items if i.direct)
        title = (f"affected tasks ({len(report.items)}: {ceased_n} whose unit ceased, "
                 f"{len(report.items) - ceased_n} with duties partly moved)")
    leads = lambda i: "、".join(dict.fromkeys(a.name for a in i.agencies if a.role == "lead"))  # noqa: E731
    if report.kind == "reform":
        t = table(("task", 18), ("changed unit (role)", 28), ("successor", 24), ("open deadlines", 22), title=title)
        for i in items:
            ceased = [a for a in i.agencies if a.kind != "partial"]
            changed = [f"{'、'.join(dict.fromkeys(a.name for a in ceased if a.role == role))}（{label}）"
                       for role, label in (("lead", "牵头"), ("responsible", "责任"))
                       if any(a.role == role for a in ceased)] or \
                [f"{'、'.join(dict.fromkeys(a.name for a in i.agencies))}（部分）"]
            succ = list(dict.fromkeys(a.successor or "" for a in i.agencies if a.kind != "partial")) or \
                list(dict.fromkeys(a.successor or "" for a in i.agencies))
            t.add_row(i.task_title, "、".join(changed), "、".join(succ), "；".join(d.text for d in i.deadlines))
    elif report.kind == "expiry":
        t = table(("date", None), ("task", 22), ("why", 16), ("document", 28), ("lead", 14), title=title)
        for i in items:
            why = "document lapses" if i.how.startswith("lapses") else \
                "window ends" if i.how.startswith("its window") else "basis lapses"
            t.add_row(i.date or "", i.task_title, why, _mid(i.doc_title or i.doc_id, 13), leads(i))
    else:
        t = table(("task", 18), ("how", 16), ("lead", 14), ("responsible", 24), ("open deadlines", 22), title=title)
        for i in items:
            t.add_row(i.task_title, "cites it itself" if i.direct else "in its document", leads(i),
                      "、".join(dict.fromkeys(a.name for a in i.agencies if a.role == "responsible")),
                      "；".join(d.text for d in i.deadlines))
    console.print(t)
    if limit is not None and len(report.items) > limit:
        console.print(f"… {len(report.items) - limit} more (--json, --csv or --html for all)")
    for n in report.notes:
        console.print(f"note: {n}", style="dim")


# ----------------------------------------------------------------------------
# output: HTML with an inline SVG picture

_COLORS = {
    "regulation": ("#fde2e1", "#c0392b"), "document": ("#e3edfb", "#2f5d9e"), "task": ("#f2f2f2", "#666666"),
    "agency": ("#e2f4e4", "#2e7d32"), "successor": ("#efe3f7", "#7b3fa0"), "deadline": ("#fff1db", "#c77700"),
    "date": ("#fff1db", "#c77700"), "change": ("#f4e7dc", "#8d5a2b"), "more": ("#ffffff", "#999999"),
}
_FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif"
_MAX_PER_LAYER = 24


def _text_width(s: str, size: float = 13.0) -> float:
    w = 0.0
    for ch in s:
        w += size if ord(ch) > 0x2E80 else size * 0.6
    return w


def _fit(n: GNode, limit: int) -> str:
    """A label cut to ``limit`` characters; a document title keeps its distinctive end (…去产能专项工作方案)."""
    s = n.label.replace("\n", "")
    if len(s) <= limit:
        return s
    if n.kind == "document":
        head = max(4, limit // 3)
        return s[:head] + "…" + s[-(limit - head - 1):]
    return s[: limit - 1] + "…"


def layout(graph: SubGraph, max_label: int = 18) -> tuple[dict[str, tuple[float, float, float, float, str]], float, float]:
    """A layered layout: x by layer, y by order in the layer (barycentre of neighbours in the previous
    layer, two sweeps). Returns {node id: (x, y, w, h, label)}, width, height."""
    layers: dict[int, list[GNode]] = defaultdict(list)
    for n in graph.nodes:
        layers[n.layer].append(n)
    # cap crowded layers
    kept: dict[int, list[GNode]] = {}
    for k, ns in layers.items():
        if len(ns) > _MAX_PER_LAYER:
            extra = len(ns) - (_MAX_PER_LAYER - 1)
            ns = ns[: _MAX_PER_LAYER - 1] + [GNode(f"more:layer{k}", f"… 另有{extra}项", "more", k, f"{extra} more")]
        kept[k] = ns
    order = sorted(kept)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for e in graph.edges:
        neighbours[e.src].add(e.dst)
        neighbours[e.dst].add(e.src)
    pos: dict[str, float] = {}
    for k in order:
        for idx, n in enumerate(kept[k]):
            pos[n.id] = idx
    def sweep(k: int, ref: int) -> None:
        if k in graph.fixed:
            return
        near = {n.id for n in kept[ref]}

        def bary(n: GNode) -> float:
            ps = [pos[m] for m in neighbours[n.id] if m in near and m in pos]
            return sum(ps) / len(ps) if ps else pos[n.id]

        kept[k].sort(key=bary)
        for idx, n in enumerate(kept[k]):
            pos[n.id] = idx

    for _ in range(3):  # forward and backward barycentre sweeps
        for a, b in zip(order[1:], order):
            sweep(a, b)
        for a, b in zip(reversed(order[:-1]), reversed(order)):
            sweep(a, b)
        for a, b in zip(order[1:], order):
            sweep(a, b)
    box_h, gap_y, gap_x, pad = 30.0, 12.0, 70.0, 20.0
    limit = {k: max_label + (8 if any(n.kind == "successor" for n in kept[k]) else 0) for k in order}
    widths = {k: max(_text_width(_fit(n, limit[k])) + 20 for n in kept[k]) for k in order}
    tallest = max(len(kept[k]) for k in order) if order else 0
    height = pad * 2 + 28 + tallest * (box_h + gap_y)
    out: dict[str, tuple[float, float, float, float, str]] = {}
    x = pad
    for k in order:
        col_h = len(kept[k]) * (box_h + gap_y) - gap_y
        y0 = pad + 28 + (height - pad * 2 - 28 - col_h) / 2
        for idx, n in enumerate(kept[k]):
            out[n.id] = (x, y0 + idx * (box_h + gap_y), widths[k], box_h, _fit(n, limit[k]))
        x += widths[k] + gap_x
    width = x - gap_x + pad
    return out, max(width, 200.0), max(height, 120.0)


def to_svg(graph: SubGraph) -> str:
    """The subgraph as a standalone inline <svg> (layered, left to right)."""
    if not graph.nodes:
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="60" role="img" aria-label="empty">'
                f'<text x="20" y="35" font-family="{html.escape(_FONT)}" font-size="14">（无受影响的节点 nothing affected）'
                '</text></svg>')
    boxes, width, height = layout(graph)
    kinds = {n.id: n.kind for n in graph.nodes}
    kinds.update({i: "more" for i in boxes if i.startswith("more:layer")})
    titles = {n.id: n.title for n in graph.nodes}
    e = html.escape
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
             f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="affected subgraph" '
             f'font-family="{e(_FONT)}" font-size="13">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="8" markerHeight="8" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>',
             f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>']
    # layer captions
    layer_x: dict[int, tuple[float, float]] = {}
    for n in graph.nodes:
        if n.id in boxes:
            x, _, w, _, _ = boxes[n.id]
            layer_x.setdefault(n.layer, (x, w))
    for k, (x, w) in sorted(layer_x.items()):
        if k < len(graph.layers):
            parts.append(f'<text x="{x + w / 2:.1f}" y="30" text-anchor="middle" fill="#555" font-weight="bold">'
                         f'{e(graph.layers[k])}</text>')
    for ed in graph.edges:
        if ed.src not in boxes or ed.dst not in boxes:
            continue
        x1, y1, w1, h1, _ = boxes[ed.src]
        x2, y2, w2, h2, _ = boxes[ed.dst]
        if x1 <= x2:
            sx, sy, tx, ty = x1 + w1, y1 + h1 / 2, x2, y2 + h2 / 2
        else:
            sx, sy, tx, ty = x1, y1 + h1 / 2, x2 + w2, y2 + h2 / 2
        mx = (sx + tx) / 2
        dash = ' stroke-dasharray="5,4"' if ed.dashed else ""
        colour = {"lead": "#2e7d32", "responsible": "#8fbf92"}.get(ed.role, "#9a9a9a")
        width = 1.3 + min(4.0, 0.45 * (ed.weight - 1))
        parts.append(f'<path d="M{sx:.1f},{sy:.1f} C{mx:.1f},{sy:.1f} {mx:.1f},{ty:.1f} {tx:.1f},{ty:.1f}" '
                     f'fill="none" stroke="{colour}" stroke-width="{width:.1f}"{dash} marker-end="url(#arrow)"/>')
        if ed.label:
            parts.append(f'<text x="{mx:.1f}" y="{(sy + ty) / 2 - 4:.1f}" text-anchor="middle" font-size="11" '
                         f'fill="#444" stroke="#fff" stroke-width="3" paint-order="stroke">{e(ed.label)}</text>')
    for node_id, (x, y, w, h, label) in boxes.items():
        fill, stroke = _COLORS.get(kinds.get(node_id, "task"), _COLORS["task"])
        tip = titles.get(node_id) or label
        parts.append(f'<g class="node {e(kinds.get(node_id, "task"))}"><title>{e(tip)}</title>'
                     f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" fill="{fill}" '
                     f'stroke="{stroke}" stroke-width="1.4"/>'
                     f'<text x="{x + w / 2:.1f}" y="{y + h / 2 + 4.5:.1f}" text-anchor="middle" fill="#222">'
                     f'{e(label)}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = f"""
body {{ font-family: {_FONT}; margin: 24px 32px; color: #222; background: #fff; }}
h1 {{ font-size: 22px; margin: 0 0 6px 0; }}
h2 {{ font-size: 17px; margin: 26px 0 8px 0; border-bottom: 1px solid #ddd; padding-bottom: 4px; }}
table {{ border-collapse: collapse; font-size: 13px; margin: 6px 0; }}
th, td {{ border: 1px solid #ddd; padding: 4px 7px; vertical-align: top; text-align: left; }}
th {{ background: #f5f5f5; }}
table.summary td:first-child {{ color: #555; }}
.meta {{ color: #777; font-size: 12px; }}
.figure {{ overflow-x: auto; border: 1px solid #e5e5e5; padding: 6px; }}
.legend span {{ display: inline-block; margin-right: 12px; font-size: 12px; }}
.legend i {{ display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 4px;
             vertical-align: -2px; border: 1px solid; }}
.indirect {{ color: #666; }}
.uncertain {{ color: #b35c00; }}
pre {{ background: #f7f7f7; padding: 8px; font-size: 12px; white-space: pre-wrap; }}
q {{ color: #444; }}
"""


def to_html(report: ImpactReport) -> str:
    """A self-contained HTML page (no scripts, no external resources)."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(report.title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(report.title)}</h1>",
           f'<p class="meta">policykg impact report · {e(report.kind)} · generated {e(report.generated)}</p>',
           '<table class="summary">']
    out += [f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in report.summary]
    out.append("</table>")
    out.append("<h2>受影响的子图 · affected subgraph</h2>")
    kinds = sorted({n.kind for n in report.graph.nodes})
    out.append('<p class="legend">' + "".join(
        f'<span><i style="background:{_COLORS[k][0]};border-color:{_COLORS[k][1]}"></i>{e(k)}</span>'
        for k in kinds if k in _COLORS) + '<span>- - - indirect / partial / uncertain / responsible (责任)</span>'
        '<span style="color:#2e7d32">── lead (牵头)</span><span>thicker = more tasks</span></p>')
    out.append(f'<div class="figure">{to_svg(report.graph)}</div>')
    if report.kind == "reform":
        out.append("<h2>变更的单位 · units that changed</h2><table><tr><th>unit (as written)</th><th>canonical</th>"
                   "<th>lead</th><th>responsible</th><th>successor</th><th>date</th><th>kind</th><th>certain</th></tr>")
        for a in report.agencies:
            cls = "" if a.certain else ' class="uncertain"'
            out.append(f"<tr{cls}><td>{e(a.name)}</td><td>{e(a.canonical or '')}</td><td>{a.lead}</td>"
                       f"<td>{a.responsible}</td><td>{e(a.successor or '')}</td><td>{e(a.change_date or '')}</td>"
                       f"<td>{e(a.kind or '')}</td><td>{'yes' if a.certain else 'no'}</td></tr>")
        out.append("</table>")
    else:
        out.append("<h2>文件 · documents</h2><table><tr><th>document</th><th>how</th><th>date</th><th>tasks</th></tr>")
        for d in report.documents:
            out.append(f"<tr><td>{e(_doc_label(d.doc_title, d.doc_number, d.doc_id))}</td><td>{e(d.how)}</td>"
                       f"<td>{e(d.date or '')}</td><td>{d.tasks}</td></tr>")
        out.append("</table>")
        if report.agencies:
            out.append("<h2>部门 · agencies</h2><table><tr><th>agency</th><th>lead</th><th>responsible</th></tr>")
            for a in report.agencies:
                out.append(f"<tr><td>{e(a.name)}</td><td>{a.lead}</td><td>{a.responsible}</td></tr>")
            out.append("</table>")
    n_direct = sum(1 for i in report.items if i.direct)
    out.append(f"<h2>受影响的任务 · affected tasks ({len(report.items)}"
               + (f": {n_direct} whose unit ceased, {len(report.items) - n_direct} with duties partly moved"
                  if report.kind == "reform" else "") + ")</h2>")
    out.append("<table><tr><th>task</th><th>document</th><th>how</th><th>lead</th><th>responsible</th>"
               "<th>deadlines</th><th>targets</th><th>evidence</th></tr>")
    for i in report.items:
        cls = [] if i.direct else ["indirect"]
        if not i.certain and i.direct:
            cls.append("uncertain")
        attr = f' class="{" ".join(cls)}"' if cls else ""

        def names(role: str) -> str:
            return "<br>".join(e(a.name) + (f" → {e(a.successor)}" if a.successor else "")
                               for a in i.agencies if a.role == role)

        out.append(f"<tr{attr}><td>{e(i.task_title)}</td><td>{e(_doc_label(i.doc_title, i.doc_number, i.doc_id))}</td>"
                   f"<td>{e(i.how)}</td><td>{names('lead')}</td><td>{names('responsible')}</td>"
                   f"<td>{'<br>'.join(e(d.text) + (f' ({e(d.date)})' if d.date else '') for d in i.deadlines)}</td>"
                   f"<td>{'<br>'.join(e(t) for t in i.targets)}</td>"
                   f"<td><q>{e(i.evidence.short_quote(80))}</q><br><span class=\"meta\">"
                   f"{e(i.evidence.source)}:{i.evidence.start}-{i.evidence.end}</span></td></tr>")
    out.append("</table>")
    if report.notes:
        out.append("<h2>说明 · notes</h2><ul>" + "".join(f"<li>{e(n)}</li>" for n in report.notes) + "</ul>")
    out.append("<h2>查询 · queries run</h2>")
    for q in report.queries:
        out.append(f"<details><summary>{e(q.name)} ({e(q.language)} on {e(q.backend)}) "
                   f"{e(json.dumps(q.params, ensure_ascii=False))}</summary><pre>{e(q.text)}</pre></details>")
    out.append("</body></html>")
    return "\n".join(out)


def save_html(report: ImpactReport, path: str | Path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(to_html(report), encoding="utf-8")
    return p


# ----------------------------------------------------------------------------
# one agency


@dataclass(frozen=True)
class AgencyProfile:
    """What one agency must do: its tasks (lead / shared), their dated deadlines, and what became of it."""

    query: str  # as asked
    names: tuple[str, ...]  # written names found
    canonical: tuple[str, ...]
    lead: int  # tasks led
    responsible: int  # tasks shared
    documents: tuple[tuple[str, int], ...]  # (document title, tasks)
    tasks: tuple[Any, ...]  # policykg.answers.AgencyTask
    deadlines: tuple[Any, ...]  # policykg.answers.TaskDeadline of its tasks
    successors: tuple[str, ...]  # from the bundled reform file: "市国税局 → 国家税务总局绵阳市税务局 (2018-07-20)"
    queries: tuple[QueryRun, ...] = ()


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
