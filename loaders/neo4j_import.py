"""GraphRows → ``neo4j-admin database import full``: the offline bulk path of a FIRST, FULL Neo4j load.

Why
---
The Bolt writer (:mod:`loaders.neo4j_writer`) packs every row through the Python driver: even with
flat maps, grouped edges and two sessions it writes ~12–17k nodes+relationships/s here, and the
driver's packing caps it near 35k rows/s. ``neo4j-admin database import`` writes the store files
directly from CSV, but only into a STOPPED database that it REPLACES. So this path exists only for
the local server policykg manages (``interface/services/neo4j_server.py``) and only for a database
that is empty or a scratch one (the marker of :data:`loaders.neo4j_writer.SCRATCH_MARKER`, recreated
after the import); anything else is refused (:func:`check_target`) and goes through Bolt.

Same graph as a Bolt load
-------------------------
:class:`CsvGraph` takes the calls a Bolt backend takes during ``policykg build`` and ``policykg laws
load`` (``load``, ``load_linked``, and the two read queries the laws loader asks: ``laws_held``,
``cited_titles``) and applies them with the writer's own semantics, reusing its row shaping
(:func:`loaders.neo4j_writer.split_by_source`, ``_clean``-equivalent :func:`node_row` /
:func:`edge_row`, :func:`edge_key`): owned nodes ``SET n = props`` (``id`` and ``sourceId`` added),
shared nodes ``SET n += props`` (nulls dropped, the last row of an id in one call wins), labels
``Entity`` + the node's own, relationships keyed by (type, ends, ``edgeKey``) with ``edgeKey`` and
``sourceId`` properties, and an edge whose end is not (yet) in the graph dropped as the writer's
``MATCH`` drops it. :func:`feed` drives a target (this one, or a real Bolt backend) through the same
sequence as ``PolicyGraph.build`` + ``load_laws``. After the import the server is started and the
writer's constraints and indexes (:func:`loaders.neo4j_writer.schema_statements`), the query indexes
and the derived facts (``Neo4jBackend.derive``: ``Document.endOfForce``) are created over Bolt, as
after a Bolt load; ``tests/integration/test_neo4j_import.py`` compares the two graphs property by
property.

Streaming
---------
Owned nodes and every relationship go to their CSV file as their call arrives (one file per label
set / type and property schema: a column's type is fixed in its header); only the shared nodes
(agencies, cited documents, sectors, jurisdictions: they are updated by later rows), the id → label
map (to check edge ends) and one hash per relationship key stay in memory.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence
from urllib.parse import urlparse

from loaders.graph_rows import Edge, GraphRows, Node, merge_rows
from loaders.neo4j_writer import (ENTITY, NODE_LABELS, REL_TYPES, SCRATCH_MARKER, SCRATCH_MARKER_STATEMENT,
                                  Neo4jWriter, edge_row, node_row, split_by_source)
from loaders.pipeline import expand_paths
from policykg.errors import BackendError, InputError

#: separates the elements of an array property in a CSV field (refused inside a string element)
ARRAY_DELIMITER = "\x1f"
Progress = Optional[Callable[[str, int, int], None]]


class ImportRefused(BackendError):
    """The bulk import would replace a database it may not replace (not local, not empty or scratch)."""


# ----------------------------------------------------------------------------
# CSV fields

def _kind(key: str, v: Any) -> Optional[str]:
    """The neo4j-admin column type of one value; None for an empty list (no CSV form: set over Bolt)."""
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        if not -(2 ** 63) <= v < 2 ** 63:
            raise BackendError(f"property {key!r}: {v} does not fit a Neo4j integer")
        return "long"
    if isinstance(v, float):
        return "double"
    if isinstance(v, str):
        return "string"
    if isinstance(v, (list, tuple)):
        if not v:
            return None
        kinds = {_kind(key, x) for x in v}
        if len(kinds) != 1 or None in kinds or "[]" in next(iter(kinds)):
            raise BackendError(f"property {key!r}: a list of mixed or nested values ({v!r:.80}) has no CSV column type")
        return next(iter(kinds)) + "[]"
    raise BackendError(f"property {key!r}: a {type(v).__name__} has no Neo4j property type")


def _quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _field(key: str, v: Any, kind: str) -> str:
    if kind == "string":
        return _quote(v)
    if kind == "boolean":
        return "true" if v else "false"
    if kind in ("long", "double"):
        return repr(v) if kind == "double" else str(v)
    # arrays
    if kind == "string[]":
        for x in v:
            if ARRAY_DELIMITER in x:
                raise BackendError(f"property {key!r}: an element holds the array delimiter U+001F")
        return _quote(ARRAY_DELIMITER.join(v))
    if kind == "boolean[]":
        return ARRAY_DELIMITER.join("true" if x else "false" for x in v)
    return ARRAY_DELIMITER.join(repr(x) if kind == "double[]" else str(x) for x in v)


def _schema(props: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, kind) for k, v in props.items() if (kind := _kind(k, v)) is not None))


def _digest(*parts: Any) -> bytes:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).digest()


# ----------------------------------------------------------------------------
# the collector: what a Bolt load would write, as CSV files

@dataclass
class CollectResult:
    nodes: int = 0
    relationships: int = 0
    dropped_edges: int = 0


@dataclass
class ImportReport:
    nodes: int = 0
    relationships: int = 0
    dropped_edges: int = 0
    files: int = 0
    csv_bytes: int = 0
    was_scratch: bool = False
    admin_output: str = ""
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())

    @property
    def rate(self) -> float:
        t = self.total_seconds
        return (self.nodes + self.relationships) / t if t else float("nan")


class CsvGraph:
    """A write target with the Bolt backend's loading calls; the rows end up in neo4j-admin CSV files.

    Only for a first full load: a source is written once (a second call replacing a source already
    collected, or rewriting a node, raises BackendError: that is an incremental load, use Bolt)."""

    name = "neo4j"

    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)
        if self.dir.exists():
            shutil.rmtree(self.dir)
        self.dir.mkdir(parents=True)
        self.labels: dict[str, str] = {}          # every node id written → its own label
        self.owned: set[str] = set()              # ids of owned nodes (streamed; never rewritten)
        self.shared: dict[str, tuple[list[str], dict[str, Any]]] = {}  # id → (labels in order, props)
        self.laws: dict[str, dict[str, Any]] = {}  # Law nodes' props (the laws loader asks for them)
        self.sources: set[str] = set()            # sources written
        self.edges: dict[bytes, bytes] = {}       # digest(type, src, dst, edgeKey) → digest(props)
        #: (id, {key: []}) of nodes with an empty list property: no CSV form, set over Bolt after the import
        self.empty_lists: list[tuple[str, dict[str, list]]] = []
        self._files: dict[tuple, tuple[Path, Any]] = {}  # (kind, labels|type, schema) → (data path, handle)
        self._headers: dict[tuple, Path] = {}
        self.nodes_written = 0
        self.relationships_written = 0
        self.dropped_edges = 0
        self._closed = False

    # -- the Backend calls a build makes ------------------------------------------------------

    def notices(self) -> list[str]:
        return []

    def load(self, rows: GraphRows, sources: set[str]) -> None:
        self.write(rows, replace_sources=sources)

    def load_linked(self, rows: GraphRows, sources: set[str], existing: Mapping[str, Node]) -> None:
        """As ``Neo4jBackend.load_linked``: the sources' nodes (replacing them), then every edge MERGEd.
        Nothing of a source new to the graph has incoming edges to keep."""
        self.write(GraphRows(nodes=rows.nodes), replace_sources=sources)
        res = self.write(GraphRows(edges=rows.edges), replace_sources=set())
        if res.dropped_edges:
            raise BackendError(f"{res.dropped_edges} edges found no end node in Neo4j (was the database "
                               "cleared during the load?); load them again")

    def derive(self) -> None:  # done over Bolt after the import (bulk_import's ``after_start``)
        pass

    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """The two named queries the laws loader asks of a backend, answered from what was collected."""
        if name == "laws_held":
            return [{"id": i, "title": p.get("title"), "part": p.get("part"), "version_date": p.get("versionDate"),
                     "promulgated": p.get("promulgated")} for i, p in self.laws.items()]
        if name == "cited_titles":
            return [{"id": i, "key": p.get("key")} for i, (labels, p) in self.shared.items()
                    if "CitedDocument" in labels and str(p.get("key") or "").startswith("《")]
        raise BackendError(f"the bulk import cannot answer query {name!r} while it collects rows")

    def close(self) -> None:
        self.finish()

    # -- the writer's semantics -----------------------------------------------------------------

    def write(self, rows: GraphRows, replace_sources: Optional[set[str]] = None) -> CollectResult:
        """What ``Neo4jWriter.write(rows, replace_sources)`` does to a graph, in its order: shared
        nodes; sources already held (refused) or not replaced (MERGE path, sorted); new sources' nodes,
        then their edges; edges without a source."""
        if self._closed:
            raise BackendError("the CSV files are already closed")
        res = CollectResult()
        shared, per_source = split_by_source(rows)
        replace = set(per_source) if replace_sources is None else set(replace_sources)
        # shared nodes: per label, the last row of an id wins, then SET n += props
        by_label: dict[str, dict[str, Node]] = {}
        for n in shared.nodes:
            node_row(n)  # validates the label
            by_label.setdefault(n.label, {})[n.id] = n
        for label in NODE_LABELS:
            for n in by_label.get(label, {}).values():
                self._merge_shared(n)
                res.nodes += 1
        held = {s for s in replace if s in self.sources}
        if held:
            raise BackendError(f"source {sorted(held)[0]!r} is written twice: the bulk import only makes a first "
                               "full load; load changes over Bolt (policykg build --neo4j)")
        new = sorted(s for s in per_source if s in replace)
        for source_id in sorted(set(per_source) - set(new)):  # MERGE path, one source after another
            part = per_source[source_id]
            self._write_nodes(part.nodes, res)
            self._write_edges(part.edges, res, merge=True)
            self.sources.add(source_id)
        if new:
            self._write_nodes([n for s in new for n in per_source[s].nodes], res)
            self._write_edges([e for s in new for e in per_source[s].edges], res, merge=False)
            self.sources.update(new)
        if shared.edges:
            self._write_edges(shared.edges, res, merge=True)
        return res

    def _merge_shared(self, n: Node) -> None:
        if n.id in self.owned:
            raise BackendError(f"node {n.id!r} is written as shared after being written as owned by a source")
        _, row = node_row(n)
        labels, props = self.shared.setdefault(n.id, ([], {}))
        if n.label not in labels:
            labels.append(n.label)
        props.update(row["props"])
        self.labels.setdefault(n.id, n.label)

    def _write_nodes(self, nodes: Sequence[Node], res: CollectResult) -> None:
        rows: dict[str, dict[str, dict[str, Any]]] = {}
        for n in nodes:
            _, row = node_row(n)
            rows.setdefault(n.label, {})[n.id] = row["props"]  # the last row of an id wins
        for label in NODE_LABELS:
            for node_id, props in rows.get(label, {}).items():
                if node_id in self.labels:
                    raise BackendError(f"node {node_id!r} is written twice: the bulk import only makes a first "
                                       "full load; load changes over Bolt (policykg build --neo4j)")
                self.labels[node_id] = label
                self.owned.add(node_id)
                if label == "Law":
                    self.laws[node_id] = {k: props.get(k) for k in ("title", "part", "versionDate", "promulgated")}
                self._emit_node((ENTITY, label), node_id, props)
                res.nodes += 1

    def _write_edges(self, edges: Sequence[Edge], res: CollectResult, merge: bool) -> None:
        rows: dict[tuple, tuple[Edge, dict[str, Any]]] = {}
        for e in edges:
            _, row = edge_row(e)
            rows[(e.type, e.src, e.dst, row["edgeKey"])] = (e, row["props"])  # the last one wins
        order = {t: i for i, t in enumerate(REL_TYPES)}
        for key in sorted(rows, key=lambda k: order[k[0]]) if merge else rows:
            e, props = rows[key]
            if e.src not in self.labels or e.dst not in self.labels:
                res.dropped_edges += 1
                self.dropped_edges += 1
                continue
            k, p = _digest(*key), _digest(sorted(props.items()))
            if merge and k in self.edges:
                if self.edges[k] != p:
                    raise BackendError(f"relationship {e.src}-[{e.type}]->{e.dst} is written twice with different "
                                       "properties: the bulk import only makes a first full load; use Bolt")
                continue
            self.edges[k] = p
            self._emit_edge(e.type, e.src, e.dst, props)
            res.relationships += 1

    # -- files --------------------------------------------------------------------------------------

    def _handle(self, kind: str, name: Any, schema: tuple, first: str) -> Any:
        key = (kind, name, schema)
        got = self._files.get(key)
        if got is None:
            n = len(self._files)
            stem = f"{kind}-{n:03d}-{name if isinstance(name, str) else '-'.join(name)}"
            header = self.dir / f"{stem}-header.csv"
            cols = [first] + [f"{k}:{t}" for k, t in schema]
            header.write_text(",".join(cols) + "\n", encoding="utf-8")
            data = self.dir / f"{stem}.csv"
            got = (data, open(data, "w", encoding="utf-8", newline=""))
            self._files[key] = got
            self._headers[key] = header
        return got[1]

    def _emit_node(self, labels: tuple[str, ...], node_id: str, props: dict[str, Any]) -> None:
        props = {k: v for k, v in props.items() if k != "id"}
        empty = {k: [] for k, v in props.items() if isinstance(v, (list, tuple)) and not v}
        if empty:
            self.empty_lists.append((node_id, empty))
        schema = _schema(props)
        out = self._handle("nodes", labels, schema, "id:ID")
        out.write(",".join([_quote(node_id)] + [_field(k, props[k], t) for k, t in schema]) + "\n")
        self.nodes_written += 1

    def _emit_edge(self, rel_type: str, src: str, dst: str, props: dict[str, Any]) -> None:
        if any(isinstance(v, (list, tuple)) and not v for v in props.values()):
            raise BackendError(f"relationship {src}-[{rel_type}]->{dst} has an empty list property (no CSV form)")
        schema = _schema(props)
        out = self._handle("rels", rel_type, schema, ":START_ID,:END_ID")
        out.write(",".join([_quote(src), _quote(dst)] + [_field(k, props[k], t) for k, t in schema]) + "\n")
        self.relationships_written += 1

    def finish(self) -> None:
        """Write the shared nodes (their final properties) and close every file."""
        if self._closed:
            return
        for node_id, (labels, props) in self.shared.items():
            self._emit_node((ENTITY, *labels), node_id, props)
        for data, handle in self._files.values():
            handle.close()
        self._closed = True

    def arguments(self) -> list[str]:
        """``--nodes=…`` / ``--relationships=…`` arguments of neo4j-admin for the files written."""
        self.finish()
        out = []
        for key, (data, _) in self._files.items():
            kind, name, _schema_ = key
            target = ":".join(name) if kind == "nodes" else name
            out.append(f"--{'nodes' if kind == 'nodes' else 'relationships'}={target}={self._headers[key]},{data}")
        return out

    def discard(self) -> None:
        """Close and delete the CSV files (a collection that will not be imported)."""
        for _, handle in self._files.values():
            handle.close()
        self._closed = True
        shutil.rmtree(self.dir, ignore_errors=True)

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.dir.iterdir())


# ----------------------------------------------------------------------------
# feeding a target as `policykg build` + `policykg laws load` do

@dataclass
class FeedReport:
    files: int = 0
    documents: int = 0
    laws: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def feed(target: Any, paths: Sequence[Path] = (), *, laws_root: Optional[Path] = None,
         laws_limit: Optional[int] = None, workers: Optional[int] = None, progress: Progress = None,
         keep_text: Optional[Callable[[str, str], None]] = None) -> FeedReport:
    """Load gazettes ``paths`` and then the laws under ``laws_root`` into ``target`` (a Bolt backend or a
    :class:`CsvGraph`) with the calls ``PolicyGraph.build(paths, also=["neo4j"])`` and then
    ``PolicyGraph.load_laws(laws_root, also=["neo4j"])`` make on their Neo4j backend, in the same
    order. ``keep_text(source_id, text)`` receives each file's text (the quotes of the answers)."""
    from loaders.authority import authority_rows
    from loaders.laws import iter_laws, links_to_held_laws, load_records
    from loaders.pipeline import extract_batches

    report = FeedReport()
    t0 = time.perf_counter()
    files = expand_paths(paths) if paths else []
    report.files = len(files)
    written: dict = {}
    first: list[GraphRows] = [authority_rows()]
    done = 0
    for batch in (extract_batches(files, workers) if files else ()):
        rows = merge_rows(first + [r.rows for r in batch], written)
        first = []
        for r in batch:
            report.warnings.extend(r.warnings)
            report.documents += r.documents
        target.load(rows, {r.source_id for r in batch})
        links = links_to_held_laws(target, rows)
        if links:
            target.load_linked(links[0], set(), links[1])
        if keep_text:
            for r in batch:
                keep_text(r.source_id, r.text)
        done += len(batch)
        if progress:
            progress("extract and collect gazettes", done, len(files))
    report.seconds["gazettes"] = time.perf_counter() - t0
    if laws_root is not None:
        t1 = time.perf_counter()
        if not Path(laws_root).exists():
            raise InputError(f"no laws corpus at {laws_root}")
        errors: list[tuple[str, str]] = []
        records = list(iter_laws(laws_root, limit=laws_limit, errors=errors,
                                 on_file=(lambda i, n, f: progress("parse laws", i, n)) if progress else None))
        report.warnings.extend(msg for _, msg in errors)
        if keep_text:
            for r in records:
                keep_text(r.source_id, r.text)
        load_records(records, [("neo4j", target)])
        report.laws = len(records)
        report.seconds["laws"] = time.perf_counter() - t1
    return report


# ----------------------------------------------------------------------------
# the import itself: only the local managed server, only a database that may be replaced

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def check_target(settings: Any, server: Any) -> bool:
    """Refuse (ImportRefused) unless ``settings`` point at the local server ``server`` manages and its
    database is empty or a scratch one. Starts the server to look when it is not running. Returns
    whether the database carries the scratch marker (then it is recreated after the import)."""
    url = urlparse(settings.uri)
    if url.scheme not in ("bolt", "neo4j") or url.hostname not in LOCAL_HOSTS or url.port != server.bolt_port():
        raise ImportRefused(
            f"the bulk import writes the store files of the LOCAL Neo4j policykg runs ({server.bolt_url()}); "
            f"NEO4J_URI is {settings.uri}. Load a remote server or a cluster over Bolt (policykg build --neo4j)")
    if settings.database != "neo4j":
        raise ImportRefused(f"the bulk import replaces the database 'neo4j' of the local Community server; "
                            f"NEO4J_DATABASE is {settings.database!r}")
    server.start(wait=True, timeout=300)
    with Neo4jWriter(settings=settings) as w:
        scratch = w.is_scratch()
        if not scratch:
            counts = w._run("counting", "MATCH (n) RETURN count(n) AS n").records[0]["n"]
            if counts:
                raise ImportRefused(
                    f"refusing the bulk import into Neo4j database {settings.database!r} at {settings.uri}: it holds "
                    f"{counts:,} nodes and is not marked as a scratch database (constraint {SCRATCH_MARKER}); "
                    "neo4j-admin import would REPLACE all of it. It is for a first full load only: load changes "
                    "over Bolt (policykg build --neo4j), or, if this database may be wiped, mark it first: "
                    f"{SCRATCH_MARKER_STATEMENT}")
    return scratch


def admin_import(graph: CsvGraph, home: Path, env: Mapping[str, str], database: str = "neo4j",
                 timeout: float = 3600) -> str:
    """Run ``bin/neo4j-admin database import full --overwrite-destination`` on the CSV files (server
    stopped); returns its output, raises BackendError with its tail when it fails."""
    # the database first: --nodes / --relationships take one or more values and would swallow it
    argv = [str(Path(home) / "bin" / "neo4j-admin"), "database", "import", "full", database,
            "--overwrite-destination=true",
            f"--array-delimiter={ARRAY_DELIMITER}", "--multiline-fields=true", "--id-type=string",
            f"--report-file={graph.dir / 'import.report'}", *graph.arguments()]
    try:
        proc = subprocess.run(argv, env=dict(env), cwd=home, stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise BackendError(f"neo4j-admin database import did not finish in {timeout:.0f} s") from exc
    out = (proc.stdout or "") + (proc.stderr or "")
    if proc.returncode != 0:
        raise BackendError(f"neo4j-admin database import failed (exit {proc.returncode}); the CSV files are kept in "
                           f"{graph.dir}:\n" + "\n".join(out.strip().splitlines()[-25:]))
    return out


def bulk_import(graph: CsvGraph, *, settings: Any, server: Any, was_scratch: bool,
                after_start: Optional[Callable[[], None]] = None, progress: Progress = None,
                keep_csv: bool = False) -> ImportReport:
    """Stop the local server, import ``graph``'s CSV files (replacing the database), start it, then over
    Bolt: the writer's schema, the empty list properties, the scratch marker when it was there, and
    ``after_start()`` (the backend's derived facts). ``check_target`` must have passed."""
    graph.finish()
    rep = ImportReport(nodes=graph.nodes_written, relationships=graph.relationships_written,
                       dropped_edges=graph.dropped_edges, was_scratch=was_scratch)
    rep.files, rep.csv_bytes = len(graph._files), graph.size()
    home = server.neo4j_home()

    def step(name: str, i: int, fn: Callable[[], Any]) -> Any:
        if progress:
            progress(name, i, 6)
        t = time.perf_counter()
        try:
            return fn()
        finally:
            rep.seconds[name] = time.perf_counter() - t

    step("stop neo4j", 0, server.stop)
    try:
        rep.admin_output = step("neo4j-admin import", 1,
                                lambda: admin_import(graph, home, server.admin_env(), settings.database))
    finally:  # a failed import leaves the server running again (on whatever database it left)
        step("start neo4j", 2, lambda: server.start(wait=True, timeout=600))

    def online() -> None:  # the lookup indexes of the new store come online first (a scan each)
        with Neo4jWriter(settings=settings) as w:
            w._run("waiting for the database's indexes", "CALL db.awaitIndexes(3600)")

    step("indexes online", 3, online)

    def schema() -> None:
        with Neo4jWriter(settings=settings) as w:
            if was_scratch:
                w._run("marking the scratch database", SCRATCH_MARKER_STATEMENT)
            w.ensure_schema()  # first: the lookups below are seeks in its Entity.id index, not label scans
            for start in range(0, len(graph.empty_lists), 5000):
                chunk = [{"id": i, "props": p} for i, p in graph.empty_lists[start:start + 5000]]
                w._run("setting empty list properties",
                       f"UNWIND $rows AS row MATCH (n:{ENTITY} {{id: row.id}}) SET n += row.props", {"rows": chunk})

    step("schema and indexes", 4, schema)
    if after_start:
        step("derived facts", 5, after_start)
    if progress:
        progress("done", 6, 6)
    if not keep_csv:
        shutil.rmtree(graph.dir, ignore_errors=True)
    return rep


def default_directory(server: Any) -> Path:
    """Where the CSV files go: beside the local install (removed after a successful import)."""
    return Path(server.neo4j_home()).parent / f"neo4j-import-{os.getpid()}"
