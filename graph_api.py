"""The one front door: build the graph from gazettes and ask it questions.

    from graph_api import PolicyGraph
    g = PolicyGraph()                      # embedded store in $POLICYKG_HOME (default .policykg/)
    g.build()                              # the bundled gazette
    g.departments_for("去库存")            # → [DepartmentAnswer(agency=…, role="lead", evidence=…)]
    g.tasks_citing("财税〔2015〕119号")     # → [CitingTask(task_title="落实税收优惠", leads=("市财政局",), …)]

Backends, chosen by name: ``embedded`` (pyoxigraph on disk, no server), ``sparql``
(a SPARQL 1.1 server such as ``oxigraph serve``, via SPARQLWrapper) and ``neo4j``.
Every backend runs the same named queries (``queries/NAME.rq`` / ``NAME.cypher``)
and answers come back as the same models, each with its evidence.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Protocol

from loaders.export_json import to_gold_shape
from loaders.graph_rows import GraphRows, match_key, merge_rows, rows_for
from loaders.pipeline import StageTimer, extract_file
from policykg import config
from policykg.answers import CitingTask, DepartmentAnswer, Evidence
from policykg.errors import BackendError, InputError, QueryError
from policykg.model import Extraction

BACKENDS = ("embedded", "sparql", "neo4j")


class Backend(Protocol):
    name: str

    def load(self, rows: GraphRows, sources: set[str]) -> None: ...

    def run(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, path: Optional[Path] = None):
        from loaders.rdf_store import EmbeddedStore

        self.store = EmbeddedStore(path or config.embedded_store_path())

    def load(self, rows: GraphRows, sources: set[str]) -> None:
        self.store.replace_sources(rows, sources)

    def run(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        from queries.sparql_runner import run_embedded

        return run_embedded(self.store.store, query, params)

    def sparql(self, text: str) -> list[dict[str, Any]]:
        from queries.sparql_runner import ensure_read_only

        ensure_read_only(text)
        import pyoxigraph as ox

        res = self.store.store.query(text, use_default_graph_as_union=True)
        if isinstance(res, ox.QueryBoolean):
            return [{"result": bool(res)}]
        names = [v.value for v in res.variables]
        return [{n: (None if s[n] is None else s[n].value) for n in names} for s in res]

    def close(self) -> None:
        pass


class SparqlBackend:
    name = "sparql"

    def __init__(self, endpoint: Optional[str] = None):
        from loaders.rdf_store import RemoteSparqlStore

        self.endpoint = endpoint or config.sparql_endpoint()
        self.store = RemoteSparqlStore(self.endpoint, config.sparql_update_endpoint(), config.sparql_store_endpoint())

    def load(self, rows: GraphRows, sources: set[str]) -> None:
        self.store.replace_sources(rows, sources)

    def run(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        from queries.sparql_runner import run_remote

        return run_remote(self.endpoint, query, params)

    def sparql(self, text: str) -> list[dict[str, Any]]:
        from queries.sparql_runner import ensure_read_only, run_remote_text

        ensure_read_only(text)
        return run_remote_text(self.endpoint, text)

    def close(self) -> None:
        pass


class Neo4jBackend:
    name = "neo4j"

    def __init__(self):
        from loaders.neo4j_writer import Neo4jWriter

        self.settings = config.neo4j_settings()
        self.writer = Neo4jWriter.from_settings()
        self.driver = self.writer.driver

    def load(self, rows: GraphRows, sources: set[str]) -> None:
        self.writer.ensure_schema()
        self.writer.write(rows, replace_sources=sources)

    def run(self, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        from queries.cypher_runner import run_cypher

        return run_cypher(self.driver, query, params, self.settings.database)

    def cypher(self, text: str, params: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:
        from queries.cypher_runner import run_user_cypher

        return run_user_cypher(self.driver, text, params or {}, self.settings.database)

    def close(self) -> None:
        self.driver.close()


def open_backend(name: str) -> Backend:
    if name == "embedded":
        return EmbeddedBackend()
    if name == "sparql":
        return SparqlBackend()
    if name == "neo4j":
        return Neo4jBackend()
    raise BackendError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")


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


class PolicyGraph:
    """Facade over the backends; answers are models with evidence."""

    def __init__(self, backend: str = "embedded", home: Optional[Path] = None):
        self.home = Path(home) if home else config.home()
        self.backend_name = backend
        self._backend: Optional[Backend] = None

    # -- backends -------------------------------------------------------
    @property
    def backend(self) -> Backend:
        if self._backend is None:
            self._backend = open_backend(self.backend_name)
        return self._backend

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = None

    def __enter__(self) -> "PolicyGraph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- building -------------------------------------------------------
    def build(self, paths: Iterable[str | Path] = (), *, also: Iterable[str] = (),
              progress: Optional[Callable[[str, int, int], None]] = None) -> BuildReport:
        """Extract ``paths`` (default: the bundled gazette) and load them into this backend and ``also``.

        Re-loading a file replaces only that file's subgraph (incremental)."""
        paths = [Path(p) for p in paths] or [config.BUNDLED_GAZETTE]
        files = _expand(paths)
        report = BuildReport(files=[str(f) for f in files])
        timer = StageTimer()
        extractions: list[Extraction] = []
        for i, f in enumerate(files):
            if progress:
                progress(f"extract {f.name}", i, len(files))
            ex = extract_file(f, timer)
            extractions.append(ex)
            self._keep_source(ex)
            report.warnings.extend(ex.warnings)
        rows = timer.run("rows", lambda: merge_rows(rows_for(ex) for ex in extractions))
        sources = {ex.source.id for ex in extractions}
        names = [self.backend_name] + [b for b in also if b != self.backend_name]
        for i, name in enumerate(names):
            if progress:
                progress(f"load {name}", len(files) + i, len(files) + len(names))
            backend = self.backend if name == self.backend_name else open_backend(name)
            try:
                timer.run(f"load:{name}", backend.load, rows, sources)
            finally:
                if backend is not self.backend:
                    backend.close()
        report.backends = names
        report.documents = sum(len(e.documents) for e in extractions)
        report.tasks = sum(len(e.tasks) for e in extractions)
        report.targets = sum(len(e.targets) for e in extractions)
        report.citations = sum(len(e.citations) for e in extractions)
        report.nodes, report.edges = len(rows.nodes), len(rows.edges)
        report.seconds = dict(timer.seconds)
        return report

    load = build

    def _keep_source(self, ex: Extraction) -> None:
        """Keep the decoded original text, so every answer can quote its sentence."""
        d = self.home / "sources"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{ex.source.id}.txt").write_text(ex.source.text, encoding="utf-8")

    def _quote(self, source: str, start: int, end: int) -> Optional[str]:
        p = self.home / "sources" / f"{source}.txt"
        if not p.exists():
            return None
        return p.read_text(encoding="utf-8")[start:end]

    def _evidence(self, r: dict[str, Any]) -> Evidence:
        return Evidence(source=r["source"], start=int(r["start"]), end=int(r["end"]), doc_id=r["doc_id"],
                        doc_title=r.get("doc_title"), doc_number=r.get("doc_number"),
                        quote=self._quote(r["source"], int(r["start"]), int(r["end"])))

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
                                task_id=r["task_id"], task_title=r["task_title"], evidence=self._evidence(r))
               for r in rows if role is None or r["role"] == role]
        return sorted(out, key=lambda a: (a.task_id, a.role != "lead", a.agency))

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
                                  leads=leads, evidence=self._evidence(r)))
        return sorted(out, key=lambda c: c.task_id)

    def sparql(self, text: str) -> list[dict[str, Any]]:
        """Read-only SPARQL on the embedded store or the SPARQL server."""
        b = self.backend
        if not hasattr(b, "sparql"):
            raise QueryError(f"the {b.name} backend does not speak SPARQL; use --backend embedded or sparql")
        return b.sparql(text)

    def cypher(self, text: str, **params: Any) -> list[dict[str, Any]]:
        """Read-only Cypher on Neo4j (a write clause is refused)."""
        b = self.backend
        if not hasattr(b, "cypher"):
            raise QueryError(f"the {b.name} backend does not speak Cypher; use --backend neo4j")
        return b.cypher(text, params)


def extract_to_json(paths: Iterable[str | Path]) -> dict[str, Any]:
    """The gold-shaped JSON of one or more files (``policykg extract``)."""
    from loaders.export_json import merge

    files = _expand([Path(p) for p in paths])
    shapes = [to_gold_shape(extract_file(f)) for f in files]
    return shapes[0] if len(shapes) == 1 else merge(shapes)


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(x for x in p.rglob("*") if x.is_file() and x.suffix.lower() in (".txt", ".md"))
            if not found:
                raise InputError(f"{p}: no .txt or .md files inside")
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or directory")
    return out


def reset_home(home: Optional[Path] = None) -> None:
    """Remove the embedded store and kept sources (``policykg build --fresh``)."""
    h = Path(home) if home else config.home()
    if h.exists():
        shutil.rmtree(h)
