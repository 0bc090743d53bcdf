"""The one front door: build the graph from gazettes and ask it questions.

    from graph_api import PolicyGraph
    g = PolicyGraph()                      # embedded store in $POLICYKG_HOME (default .policykg/)
    g.build()                              # the bundled gazette
    g.departments_for("去库存")            # → [DepartmentAnswer(agency=…, role="lead", evidence=…)]
    g.tasks_citing("财税〔2015〕119号")     # → [CitingTask(task_title="落实税收优惠", leads=("市财政局",), …)]

Backends, chosen by name from :data:`backends.REGISTRY`: ``embedded`` (pyoxigraph on disk, no
server), ``sparql`` (a SPARQL 1.1 server such as ``oxigraph serve``) and ``neo4j``; the facade
talks to them only through the :class:`backends.Backend` protocol. Every backend runs the same
named queries (``queries/NAME.rq`` / ``NAME.cypher``) and answers come back as the same models,
each with its evidence. Questions in words and impact reports are the interface layer's
(:class:`interface.analyst.Analyst` adds them to this class).
"""
from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from loaders.export_json import to_gold_shape
from loaders.graph_rows import GraphRows, match_key, merge_rows
from loaders.pipeline import StageTimer, expand_paths, extract_file
from policykg import config
from policykg.answers import (AgencyTask, CitingDocument, CitingTask, DeadlineInfo, DepartmentAnswer,
                              DocumentInForce, Evidence, Impact, ImpactedDocument, ImpactedTask, ImpactLink,
                              SectorAgency, TargetAnswer, TaskAgency, TaskDeadline)
from policykg.dates import to_date
from policykg.errors import InputError, QueryError
from policykg.ids import natural_key

from backends import Backend, open_backend  # noqa: F401 (Backend: the protocol, re-exported)
from backends import names as backend_names

BACKENDS = backend_names()


@dataclass
class BuildReport:
    files: list[str] = field(default_factory=list)
    documents: int = 0
    tasks: int = 0
    targets: int = 0
    citations: int = 0
    nodes: int = 0
    edges: int = 0
    backends: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _holding_home(what: str):
    """Run the method holding this graph's home (one writer per home; a second one is told who writes)."""
    import functools

    def wrap(method):
        @functools.wraps(method)
        def holding(self, *args, **kwargs):
            from policykg.home_lock import HomeLock

            with HomeLock(self.home, what):
                return method(self, *args, **kwargs)
        return holding
    return wrap


class PolicyGraph:
    """Facade over the backends; answers are models with evidence."""

    def __init__(self, backend: str = "embedded", home: Optional[Path] = None):
        self.home = Path(home) if home else config.home()
        self.backend_name = backend
        self._backend: Optional[Backend] = None
        self._sources: dict[str, Optional[str]] = {}  # kept original texts, read once per source

    # -- backends -------------------------------------------------------
    @property
    def backend(self) -> Backend:
        if self._backend is None:
            self._backend = self._open(self.backend_name)
        return self._backend

    def _open(self, name: str) -> Backend:
        """A local store lives in THIS graph's home (``home/store``), not always in $POLICYKG_HOME."""
        return open_backend(name, home=self.home)

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = None

    def __enter__(self) -> "PolicyGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- building -------------------------------------------------------
    @_holding_home("policykg build")
    def build(self, paths: Iterable[str | Path] = (), *, also: Iterable[str] = (),
              progress: Optional[Callable[[str, int, int], None]] = None,
              workers: Optional[int] = None) -> BuildReport:
        """Extract ``paths`` (default: the bundled gazette) and load them into this backend and ``also``.

        Re-loading a file replaces only that file's subgraph (incremental). Files are extracted by
        ``workers`` processes (default: one per core; results in file order) and loaded in bounded
        batches, so memory does not grow with the corpus."""
        from loaders.authority import authority_rows, load_authority
        from loaders.laws import links_to_held_laws
        from loaders.pipeline import extract_batches

        paths = [Path(p) for p in paths] or [config.BUNDLED_GAZETTE]
        files = expand_paths(paths)
        report = BuildReport(files=[str(f) for f in files])
        timer = StageTimer()
        # the agency authority file first (issue 4): its labels, levels and sectors win on shared agency nodes
        report.warnings.extend(f"agency authority file: {p}" for p in load_authority().problems)
        written: dict = {}  # shared nodes written by an earlier batch (id → node)
        first: list[GraphRows] = [authority_rows()]
        # this graph's own backend last: a server that is down or fails leaves it as it was
        names = [b for b in dict.fromkeys(also) if b != self.backend_name] + [self.backend_name]
        opened = {name: (self.backend if name == self.backend_name else self._open(name)) for name in names}
        for backend in opened.values():
            report.warnings.extend(backend.notices())
        done = 0
        t0 = time.perf_counter()
        try:
            extracted = [0]

            def on_file(path: Path) -> None:  # a progress bar moves as each file is extracted
                extracted[0] += 1
                progress(f"extract {path.name}", extracted[0], len(files))

            for batch in extract_batches(files, workers, on_file=on_file if progress else None):
                timer.seconds["extract (wall)"] += time.perf_counter() - t0
                for r in batch:
                    report.warnings.extend(r.warnings)
                    report.documents += r.documents
                    report.tasks += r.tasks
                    report.targets += r.targets
                    report.citations += r.citations
                    for stage, sec in r.seconds.items():
                        timer.seconds[stage] += sec
                rows = timer.run("merge", lambda: merge_rows(first + [r.rows for r in batch], written))
                first = []
                sources = {r.source_id for r in batch}
                report.nodes += len(rows.nodes)
                report.edges += len(rows.edges)
                done += len(batch)
                for name, backend in opened.items():
                    if progress:
                        progress(f"load {name}", done, len(files))
                    timer.run(f"load:{name}", backend.load, rows, sources)
                    # laws loaded before these documents: link their citations now, as a law load would
                    links = timer.run(f"link laws:{name}", links_to_held_laws, backend, rows)
                    if links:
                        timer.run(f"link laws:{name}", backend.load_linked, links[0], set(), links[1])
                for r in batch:  # only once loaded: a failed build leaves the quotes of the loaded graph
                    self._keep_text(r.source_id, r.text)
                t0 = time.perf_counter()
        finally:
            for backend in opened.values():
                if backend is not self.backend:
                    backend.close()
        report.backends = names[-1:] + names[:-1]
        report.seconds = dict(timer.seconds)
        return report

    load = build

    @_holding_home("policykg remove")
    def remove(self, sources: Iterable[str | Path], *, also: Iterable[str] = ()) -> list[str]:
        """Remove documents from this backend and ``also``: each source (a file path or a source id) loses its
        subgraph and its kept text, and shared nodes only it referred to go too. Returns the source ids."""
        from loaders.text.reading import source_id_for

        ids = []
        for s in sources:
            p = Path(s)
            ids.append(source_id_for(p, _sha256(p)) if p.is_file() else str(s))
        names = [b for b in dict.fromkeys(also) if b != self.backend_name] + [self.backend_name]
        for name in names:
            backend = self.backend if name == self.backend_name else self._open(name)
            try:
                backend.load(GraphRows(), set(ids))
            finally:
                if backend is not self.backend:
                    backend.close()
        for i in ids:
            (self.home / "sources" / f"{i}.txt").unlink(missing_ok=True)
            self._sources.pop(i, None)
        return ids

    def _keep_text(self, source_id: str, text: str) -> None:
        """Keep the decoded original text, so every answer can quote its sentence."""
        d = self.home / "sources"
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{source_id}.txt.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(d / f"{source_id}.txt")  # whole or not at all
        self._sources.pop(source_id, None)  # read back on demand (not every text of a large build in memory)

    def _quote(self, source: str, start: int, end: int) -> Optional[str]:
        if source not in self._sources:  # one read per source, not one per answer
            p = self.home / "sources" / f"{source}.txt"
            self._sources[source] = p.read_text(encoding="utf-8") if p.exists() else None
        text = self._sources[source]
        return text[start:end] if text is not None else None

    def evidence_for(self, r: dict[str, Any]) -> Evidence:
        """The evidence of a query row carrying ``source``, ``start``, ``end`` and ``doc_id`` (the
        canned queries' provenance columns): the document and the exact characters quoted."""
        return Evidence(source=r["source"], start=int(r["start"]), end=int(r["end"]), doc_id=r["doc_id"],
                        doc_title=r.get("doc_title"), doc_number=r.get("doc_number"),
                        quote=self._quote(r["source"], int(r["start"]), int(r["end"])))

    # -- laws corpus ----------------------------------------------------
    @_holding_home("policykg laws load")
    def load_laws(self, root: Optional[str | Path] = None, also: Iterable[str] = (), *, limit: Optional[int] = None,
                  progress: Optional[Callable[[str, int, int], None]] = None):
        """Parse the laws corpus (``root``: a folder of ``<category>/<title>(<date>).md`` or one file) and
        load it into this backend and ``also``: Law nodes, law-to-law CITES, SAME_AS from cited documents.

        Each law file is its own source: re-loading it replaces its subgraph only (incremental).
        ``root`` defaults to ``../shared/corpus/laws`` beside the project when that exists.
        Returns a :class:`loaders.laws.LawsLoadReport`."""
        import time

        from loaders.laws import LawsLoadReport, iter_laws, load_records

        if root is None:
            root = config.PROJECT_ROOT.parent / "shared" / "corpus" / "laws"
            if not root.exists():
                raise InputError(f"no laws corpus at {root}; give its folder, e.g. policykg laws load PATH")
        report = LawsLoadReport()
        t0 = time.perf_counter()
        on_file = (lambda i, n, f: progress(f"parse {f.name}", i, n)) if progress else None
        records = list(iter_laws(root, limit=limit, errors=report.errors, on_file=on_file))
        report.seconds["parse"] = time.perf_counter() - t0
        d = self.home / "sources"
        d.mkdir(parents=True, exist_ok=True)
        for r in records:  # the original text, so answers can quote their sentence
            (d / f"{r.source_id}.txt").write_text(r.text, encoding="utf-8")
        names = [self.backend_name] + [b for b in also if b != self.backend_name]
        opened = [(name, self.backend if name == self.backend_name else self._open(name)) for name in names]
        try:
            if progress:
                progress(f"load {', '.join(names)}", len(records), len(records))
            return load_records(records, opened, report)
        finally:
            for name, b in opened:
                if b is not self.backend:
                    b.close()

    # -- questions ------------------------------------------------------
    def query_rows(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run a named query on the current backend; rows sorted for stable output."""
        rows = self.backend.run(name, params)
        return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r.values()))

    def departments_for(self, goal: str, role: Optional[str] = None) -> list[DepartmentAnswer]:
        if not goal or not goal.strip():
            raise QueryError("give a goal keyword, e.g. 去库存 or 住房公积金")
        if role not in (None, "lead", "responsible"):
            raise QueryError("role must be 'lead' or 'responsible'")
        rows = self.query_rows("departments_for_goal", goal=match_key(goal))
        out = [DepartmentAnswer(agency=r["agency"], canonical=r.get("canonical"), role=r["role"],
                                task_id=r["task_id"], task_title=r["task_title"], evidence=self.evidence_for(r))
               for r in rows if role is None or r["role"] == role]
        return sorted(out, key=lambda a: (a.evidence.source, a.evidence.start, a.role != "lead", a.agency))

    def tasks_citing(self, regulation: str) -> list[CitingTask]:
        if not regulation or not regulation.strip():
            raise QueryError("give a document number (财税〔2015〕119号) or a title fragment")
        rows = self.query_rows("tasks_citing", reg=match_key(regulation))
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in rows:
            grouped.setdefault((r["task_id"], r["cited"]), []).append(r)
        out = []
        for (task_id, cited), rs in grouped.items():
            r = rs[0]
            leads = tuple(sorted({x["lead"] for x in rs if x.get("lead")}))
            out.append(CitingTask(task_id=task_id, task_title=r["task_title"], cited=cited, relation=r["relation"],
                                  leads=leads, evidence=self.evidence_for(r)))
        return sorted(out, key=lambda c: c.task_id)

    # -- query library (issue 4) -----------------------------------------
    # Each method runs one named query (queries/NAME.rq | NAME.cypher) on the current backend.
    # Strings go in match form; dates as datetime.date (xsd:date in SPARQL, date($x) in Cypher);
    # an absent optional parameter as None (UNDEF in SPARQL, null in Cypher).

    def documents_citing(self, regulation: str) -> list[CitingDocument]:
        """Documents citing a regulation (number or title fragment), directly or through documents citing it."""
        reg = _required(regulation, "give a document number (财税〔2015〕119号) or a title fragment")
        out = [CitingDocument(doc_id=r["doc_id"], doc_title=r.get("doc_title"), doc_number=r.get("doc_number"),
                              cited=r["cited"], relation=r["relation"], matched=r["matched"],
                              direct=r["cited"] == r["matched"], evidence=self.evidence_for(r))
               for r in self.query_rows("documents_citing", reg=reg)]
        return sorted(out, key=lambda c: (not c.direct, c.doc_id, c.cited))

    def impact(self, regulation: str, on: Any = None) -> Impact:
        """What repealing or amending ``regulation`` touches: implementing / based-on documents
        (transitively, with their annexes) → their tasks → lead and responsible agencies → the
        deadlines still open on ``on`` (a date or ISO string; None = all deadlines)."""
        reg = _required(regulation, "give a document number (绵府发〔2016〕13号) or a title fragment")
        on_date = to_date(on, "on") if on is not None else None
        rows = self.query_rows("impact_of_document", reg=reg, on_date=on_date)
        docs: dict[str, dict[str, Any]] = {}
        for r in rows:
            d = docs.setdefault(r["doc_id"], {"row": r, "links": {}, "tasks": {}})
            link_key = (r["through_doc"], r["relation"], r["cited"], r["cite_start"], r["cite_end"])
            if link_key not in d["links"]:
                own = r["through_doc"] == r["doc_id"]
                d["links"][link_key] = ImpactLink(
                    through_doc=r["through_doc"], relation=r["relation"], cited=r["cited"],
                    evidence=self.evidence_for({"source": r["source"], "start": r["cite_start"], "end": r["cite_end"],
                                             "doc_id": r["through_doc"],
                                             "doc_title": r.get("doc_title") if own else None,
                                             "doc_number": r.get("doc_number") if own else None}))
            if not r.get("task_id"):
                continue
            t = d["tasks"].setdefault(r["task_id"], {"row": r, "agencies": {}, "deadlines": {}})
            if r.get("agency"):
                t["agencies"][(r["role"], r["agency"])] = TaskAgency(r["agency"], r.get("canonical"), r["role"])
            if r.get("deadline"):
                t["deadlines"][(r["deadline"], r.get("deadline_date"))] = DeadlineInfo(
                    r["deadline"], r.get("deadline_date"), r["deadline_kind"])
        documents = []
        for doc_id, d in sorted(docs.items()):
            r = d["row"]
            tasks = tuple(
                ImpactedTask(task_id=task_id, task_title=t["row"]["task_title"],
                             agencies=tuple(sorted(t["agencies"].values(), key=lambda a: (a.role != "lead", a.name))),
                             open_deadlines=tuple(sorted(t["deadlines"].values(),
                                                         key=lambda x: (x.date is None, x.date or "", x.text))),
                             evidence=self.evidence_for(t["row"]))
                for task_id, t in sorted(d["tasks"].items(), key=lambda kv: natural_key(kv[0])))
            documents.append(ImpactedDocument(doc_id=doc_id, doc_title=r.get("doc_title"),
                                              doc_number=r.get("doc_number"),
                                              links=tuple(sorted(d["links"].values(),
                                                                 key=lambda x: (x.through_doc, x.cited))),
                                              tasks=tasks))
        documents.sort(key=lambda x: natural_key(x.doc_id))
        return Impact(regulation=regulation, on=on_date.isoformat() if on_date else None, documents=tuple(documents))

    def agency_tasks(self, agency: str) -> list[AgencyTask]:
        """The tasks an agency leads or shares (written name, canonical name, fragment or authority label)."""
        key = _required(agency, "give an agency name, e.g. 市财政局 or 绵阳市财政局")
        out = [AgencyTask(agency=r["agency"], canonical=r.get("canonical"), agency_id=r["agency_id"], role=r["role"],
                          task_id=r["task_id"], task_title=r["task_title"], evidence=self.evidence_for(r))
               for r in self.query_rows("agency_tasks", for_agency=key)]
        return sorted(out, key=lambda a: (a.role != "lead", natural_key(a.task_id), a.agency))

    def deadlines(self, between: tuple[Any, Any], agency: Optional[str] = None) -> list[TaskDeadline]:
        """Tasks with a dated deadline in ``between`` = (from, to), both inclusive, with their agencies;
        ``agency`` keeps the tasks of one agency (written or canonical name, or a fragment)."""
        if not isinstance(between, (tuple, list)) or len(between) != 2:
            raise QueryError("between must be a pair (from, to) of dates, e.g. ('2016-06-01', '2016-12-31')")
        date_from, date_to = to_date(between[0], "from"), to_date(between[1], "to")
        if date_from > date_to:
            raise QueryError(f"the window is empty: {date_from} is after {date_to}")
        for_agency = _required(agency, "") if agency is not None else None
        rows = self.query_rows("deadlines_between", date_from=date_from, date_to=date_to, for_agency=for_agency)
        grouped: dict[tuple[str, str, Optional[str]], dict[str, Any]] = {}
        for r in rows:
            g = grouped.setdefault((r["task_id"], r["deadline"], r["deadline_date"]), {"row": r, "agencies": {}})
            if r.get("agency"):
                g["agencies"][(r["role"], r["agency"])] = TaskAgency(r["agency"], r.get("canonical"), r["role"])
        out = [TaskDeadline(task_id=r["task_id"], task_title=r["task_title"],
                            deadline=DeadlineInfo(r["deadline"], r["deadline_date"], r["deadline_kind"]),
                            agencies=tuple(sorted(g["agencies"].values(), key=lambda a: (a.role != "lead", a.name))),
                            evidence=self.evidence_for(r))
               for g in grouped.values() for r in (g["row"],)]
        return sorted(out, key=lambda x: (x.deadline.date or "", natural_key(x.task_id)))

    def in_force(self, on: Any, issuer: Optional[str] = None) -> list[DocumentInForce]:
        """Documents in force on a date: issued by then, not past their validity (有效期), not repealed;
        ``issuer`` (a fragment such as 绵阳市) keeps only the documents of issuers containing it."""
        on_date = to_date(on, "on")
        issued_by = match_key(issuer) if issuer and issuer.strip() else None
        out = []
        for r in self.query_rows("in_force_on", on_date=on_date, issued_by=issued_by):
            head = (self._quote(r["source"], int(r["start"]), int(r["end"])) or "")[:DOC_EVIDENCE_CHARS]
            ev = Evidence(source=r["source"], start=int(r["start"]), end=int(r["start"]) + len(head),
                          doc_id=r["doc_id"], doc_title=r.get("doc_title"), doc_number=r.get("doc_number"),
                          quote=head or None)
            out.append(DocumentInForce(doc_id=r["doc_id"], doc_title=r.get("doc_title"),
                                       doc_number=r.get("doc_number"), doc_type=r.get("doc_type"),
                                       issue_date=r.get("issue_date"), valid_until=r.get("valid_until"), evidence=ev))
        return sorted(out, key=lambda d: natural_key(d.doc_id))

    def targets(self, metric: Optional[str] = None, year: Optional[int] = None) -> list[TargetAnswer]:
        """Quantitative targets whose metric contains ``metric`` (None = any), for ``year`` (None = any)."""
        of_metric = match_key(metric) if metric and metric.strip() else None
        if year is not None and not isinstance(year, int):
            try:
                year = int(year)
            except (TypeError, ValueError):
                raise QueryError(f"year must be a number such as 2017, not {year!r}") from None
        out = [TargetAnswer(target_id=r["target_id"], metric=r.get("metric"), comparator=r.get("comparator"),
                            value=float(r["value"]), unit=r["unit"], year=r.get("year"), kind=r.get("target_kind"),
                            text=r.get("text"), task_id=r.get("task_id"), task_title=r.get("task_title"),
                            evidence=self.evidence_for(r))
               for r in self.query_rows("targets_for", of_metric=of_metric, in_year=year)]
        return sorted(out, key=lambda t: (t.year or 0, natural_key(t.target_id)))

    def agencies_in(self, sector: str, within: Optional[str] = None) -> list[SectorAgency]:
        """Agencies of a sector (code or label: finance, 财政) or generic role (财政部门), optionally
        within a jurisdiction (四川省 finds 绵阳市's agencies): "finance departments in Sichuan"."""
        key = _required(sector, "give a sector (fiscal, 财政, finance) or a generic role (财政部门)")
        rows = self.query_rows("agencies_in_sector", of_sector=key,
                               within=match_key(within) if within and within.strip() else None)
        out = [SectorAgency(agency_id=r["agency_id"], agency=r["agency"], jurisdiction=r.get("jurisdiction"),
                            level=r.get("level"), sector=r["sector"], sector_label=r.get("sector_label"),
                            role=r.get("role")) for r in rows]
        return sorted(out, key=lambda a: (a.sector, a.agency, a.role or ""))

    def export_rdf(self, fmt: str = "turtle") -> bytes:
        """The embedded store's dataset as ``turtle`` (all graphs merged), ``trig``, ``jsonld``
        (named graphs kept; CJK written as is, not \\u-escaped) or ``nquads``."""
        from loaders.rdf_writer import serialize_dataset

        data = self.backend.dump()
        if not data:
            raise QueryError(f"the embedded store in {self.home} is empty: run `policykg build` first")
        return serialize_dataset(data, fmt)

    # -- agency reforms, query text, user queries ----------------------------------------------
    def load_reform(self, reform: Any):
        """Load an agency-change file (机构改革; a path or a loaders.reforms.Reform) into this backend:
        AgencyChange nodes and SUCCEEDED_BY edges, replacing an earlier load of the same reform."""
        from loaders.reforms import Reform, load_reform, reform_graph

        r = reform if isinstance(reform, Reform) else load_reform(reform)
        self.backend.replace_graph(reform_graph(r))
        return r

    def query_text(self, name: str, **params: Any) -> str:
        """The text this backend runs for the named query ``name`` with ``params``."""
        return self.backend.query_text(name, params)

    def sparql(self, text: str) -> list[dict[str, Any]]:
        """Read-only SPARQL on the embedded store or the SPARQL server."""
        return self._read("sparql", text, {})

    def cypher(self, text: str, **params: Any) -> list[dict[str, Any]]:
        """Read-only Cypher on Neo4j (a write clause is refused)."""
        return self._read("cypher", text, params)

    def _read(self, language: str, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        b = self.backend
        if b.language != language:
            raise QueryError(f"the {b.name} backend speaks {b.language}, not {language}; "
                             f"choose a backend that speaks {language} (--backend)")
        return b.read(text, params)


#: characters of a document's opening quoted as the evidence of a whole-document answer
DOC_EVIDENCE_CHARS = 120


def _required(value: Optional[str], message: str) -> str:
    """The match form of a required string parameter (QueryError with ``message`` when blank)."""
    if not isinstance(value, str) or not value.strip():
        raise QueryError(message or "the parameter is empty")
    return match_key(value)


def extract_to_json(paths: Iterable[str | Path]) -> dict[str, Any]:
    """The gold-shaped JSON of one or more files (``policykg extract``)."""
    from loaders.export_json import merge

    files = expand_paths([Path(p) for p in paths])
    shapes = [to_gold_shape(extract_file(f)) for f in files]
    return shapes[0] if len(shapes) == 1 else merge(shapes)


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def reset_home(home: Optional[Path] = None) -> None:
    """Remove the embedded store and kept sources (``policykg build --fresh``)."""
    h = Path(home) if home else config.home()
    if h.exists():
        shutil.rmtree(h)
