#!/usr/bin/env python3
"""policykg benchmarks, one section per backend or concern.

    python scripts/benchmark.py                      # every section
    python scripts/benchmark.py --section neo4j      # one section (repeat --section for more)
    python scripts/benchmark.py --list               # the sections

Sections register themselves in :data:`SECTIONS` with :func:`section` (a name, a
function taking the parsed arguments, and optionally a function adding the
section's own ``--<name>-…`` options). Each prints what it measured, on what, and
its figures. Servers are the ones :mod:`policykg.config` points at (started
locally when they are the local defaults).
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))


@dataclass
class Section:
    name: str
    run: Callable[[argparse.Namespace], None]
    add_arguments: Optional[Callable[[argparse.ArgumentParser], None]] = None
    help: str = ""


#: name → section, in the order they run
SECTIONS: dict[str, Section] = {}


def section(name: str, help: str = "", add_arguments: Optional[Callable[[argparse.ArgumentParser], None]] = None):
    """Decorator: register ``fn(args)`` as the section ``name``."""
    def register(fn: Callable[[argparse.Namespace], None]):
        SECTIONS[name] = Section(name, fn, add_arguments, help or (fn.__doc__ or "").strip().split("\n")[0])
        return fn
    return register


# =============================================================================
# neo4j: the batched writer (UNWIND, one transaction per source) against per-row MERGEs

NEO4J_PREFIX = "bench"  # every id the section writes starts with it; it deletes them before and after


def _neo4j_arguments(ap: argparse.ArgumentParser) -> None:
    g = ap.add_argument_group("section neo4j")
    g.add_argument("--neo4j-docs", type=int, default=1000, metavar="N",
                   help="documents in the synthetic corpus for the batched writer (default 1000)")
    g.add_argument("--neo4j-per-row-docs", type=int, default=30, metavar="N",
                   help="documents of the same corpus loaded by the per-row baseline (default 30; "
                        "its rate is measured on these and the time for all documents extrapolated)")
    g.add_argument("--neo4j-batch-size", type=int, default=None, metavar="N",
                   help="UNWIND batch size (default: the writer's, 1000)")
    g.add_argument("--neo4j-keep", action="store_true", help="leave the benchmark's nodes in Neo4j")
    g.add_argument("--neo4j-import", action="store_true",
                   help="also the bulk path (loaders/neo4j_import.py: CSV, stop, neo4j-admin database import, start, "
                        "schema, derived facts) on the same rows; it REPLACES the database, so only the local "
                        "server policykg runs, with an empty or scratch database")
    g.add_argument("--neo4j-import-docs", default="", metavar="N,N",
                   help="with --neo4j-import, further (larger) corpus sizes for the bulk path only, e.g. 10000")


def replicate(rows, copies: int, prefix: str):
    """``copies`` copies of ``rows`` with disjoint ids: copy k's owned nodes, edges and source ids
    get ``<prefix>NNN-``; shared nodes (agencies, cited documents, sectors, jurisdictions) get
    ``<prefix>`` only, so they are shared between the copies as in a real corpus."""
    from loaders.graph_rows import Edge, GraphRows, Node

    shared = {n.id for n in rows.nodes if n.source_id is None}
    out = GraphRows()
    out.nodes.extend(Node(prefix + n.id, n.label, n.props, None) for n in rows.nodes if n.source_id is None)
    for k in range(copies):
        tag = f"{prefix}{k:03d}-"

        def ref(i: str) -> str:
            return prefix + i if i in shared else tag + i

        out.nodes.extend(Node(tag + n.id, n.label, n.props, tag + n.source_id)
                         for n in rows.nodes if n.source_id is not None)
        out.edges.extend(Edge(ref(e.src), e.type, ref(e.dst), e.props,
                              None if e.source_id is None else tag + e.source_id) for e in rows.edges)
    return out


def _delete_prefix(writer, prefix: str) -> int:
    """Delete every node whose id starts with ``prefix`` (and its relationships); returns how many."""
    with writer.driver.session(database=writer.database) as s:
        n = s.run("MATCH (n:Entity) WHERE n.id STARTS WITH $p RETURN count(n) AS c", p=prefix).single()["c"]
        if n:
            s.run("MATCH (n:Entity) WHERE n.id STARTS WITH $p "
                  "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS", p=prefix).consume()
    return n


#: label of the nodes :func:`_bare_node_rate` writes: no index or constraint covers it
BARE_LABEL = "BenchBare"


def _bare_node_rate(writer, rows) -> tuple[int, float]:
    """Neo4j's own rate on this machine for the payload the writer sends: every owned node of ``rows``
    (properties, id and sourceId, as the bulk path writes them) CREATEd under :data:`BARE_LABEL`, which no
    index or constraint covers, in batches and sessions as the writer uses; deleted afterwards. Returns
    (rows, seconds). The writer cannot be faster than this: it writes the same node properties plus index
    entries, and relationships whose ends it must find."""
    from concurrent.futures import ThreadPoolExecutor

    from loaders.neo4j_writer import node_row

    props = [node_row(n)[1]["props"] for n in rows.nodes if n.source_id is not None]
    size = writer.bulk_batch_size
    batches = [props[k:k + size] for k in range(0, len(props), size)]
    query = f"UNWIND $rows AS row CREATE (n:{BARE_LABEL}) SET n = row"

    def one(batch: list[dict]) -> None:
        with writer.driver.session(database=writer.database) as s:
            s.execute_write(lambda tx: tx.run(query, rows=batch).consume())

    _delete_bare(writer)
    one(batches[0][:200])  # warm-up: plan the statement once (not timed)
    _delete_bare(writer)
    t0 = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=writer.workers) as pool:
            list(pool.map(one, batches))
        return len(props), time.perf_counter() - t0
    finally:
        _delete_bare(writer)


def _delete_bare(writer) -> None:
    with writer.driver.session(database=writer.database) as s:
        s.run(f"MATCH (n:{BARE_LABEL}) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF 5000 ROWS").consume()


def _graph_size(writer, prefix: str) -> tuple[int, int]:
    """(nodes, relationships) whose (start) node's id starts with ``prefix``."""
    nodes = writer.driver.execute_query(
        "MATCH (n:Entity) WHERE n.id STARTS WITH $p RETURN count(n) AS c",
        p=prefix, database_=writer.database).records[0]["c"]
    rels = writer.driver.execute_query(
        "MATCH (n:Entity)-[r]->() WHERE n.id STARTS WITH $p RETURN count(r) AS c",
        p=prefix, database_=writer.database).records[0]["c"]
    return nodes, rels


def _rate(res) -> float:
    return (res.nodes + res.relationships) / res.seconds if res.seconds else float("nan")


@section("neo4j", "Neo4j writer: batched UNWIND vs a per-row MERGE baseline, 1,000 synthetic documents",
         _neo4j_arguments)
def bench_neo4j(args: argparse.Namespace) -> None:
    """Neo4j writer: nodes+relationships per second, batched (UNWIND) against per-row MERGEs."""
    from neo4j.exceptions import Neo4jError

    from loaders.graph_rows import GraphRows, rows_for
    from loaders.neo4j_writer import BATCH_SIZE, Neo4jWriter
    from loaders.pipeline import extract_file
    from policykg import config
    from policykg.errors import BackendError
    from interface.services import neo4j_server

    settings = config.neo4j_settings()
    if settings.uri in {"bolt://127.0.0.1:7687", "neo4j://127.0.0.1:7687"}:
        neo4j_server.start(wait=True, timeout=240)  # a quick no-op when it runs

    t0 = time.perf_counter()
    seed = extract_file(config.BUNDLED_GAZETTE)
    seed_rows = rows_for(seed)
    per_copy = len(seed.documents)
    copies = max(1, math.ceil(args.neo4j_docs / per_copy))
    row_copies = max(1, min(copies, math.ceil(args.neo4j_per_row_docs / per_copy)))
    batched_rows = replicate(seed_rows, copies, f"{NEO4J_PREFIX}B")
    per_row_rows = replicate(seed_rows, row_copies, f"{NEO4J_PREFIX}R")
    batch_size = args.neo4j_batch_size or BATCH_SIZE
    print(f"corpus: {copies} copies of the seed's graph rows ({per_copy} documents, "
          f"{len(seed_rows.nodes)} nodes and {len(seed_rows.edges)} edges each) with ids prefixed per copy: "
          f"{copies * per_copy} documents, {len(batched_rows.nodes):,} node rows, {len(batched_rows.edges):,} "
          f"edge rows, {copies} sources ({time.perf_counter() - t0:.1f} s to extract and build)")

    with Neo4jWriter.from_settings(settings, batch_size=batch_size) as w:
        w.verify()
        w.ensure_schema()
        stale = _delete_prefix(w, NEO4J_PREFIX)
        if stale:
            print(f"deleted {stale:,} nodes left by an earlier run")
        try:
            # warm-up (not timed): the same statements once each way, so neither pays for planning
            warm = replicate(seed_rows, 1, f"{NEO4J_PREFIX}W")
            w.write(warm)
            w.write_per_row(GraphRows(nodes=warm.nodes[:200], edges=warm.edges[:400]))
            _delete_prefix(w, f"{NEO4J_PREFIX}W")

            batched = w.write(batched_rows)
            b_nodes, b_rels = _graph_size(w, f"{NEO4J_PREFIX}B")
            ceiling = _bare_node_rate(w, batched_rows)
            per_row = w.write_per_row(per_row_rows)
            r_nodes, r_rels = _graph_size(w, f"{NEO4J_PREFIX}R")
        except (BackendError, Neo4jError) as exc:
            # Community Neo4j has one database: the integration tests clear it while they run
            raise SystemExit(f"neo4j section: {exc}\n(another client changed the database during the run - "
                             "tests running? - run the benchmark again when Neo4j is idle)") from None
        finally:
            if not args.neo4j_keep:
                _delete_prefix(w, NEO4J_PREFIX)

    b_rate, r_rate = _rate(batched), _rate(per_row)
    ratio = b_rate / r_rate if r_rate else float("nan")
    extrapolated = (batched.nodes + batched.relationships) / r_rate if r_rate else float("nan")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Neo4j at {settings.uri}, database {settings.database!r}; nodes+relationships = rows MERGEd "
          f"(as the writer counts them); each run creates its own nodes (disjoint ids); "
          f"{os.cpu_count()} CPUs, load average {load} (other work on the machine slows both runs)")
    print(f"  batched  Neo4jWriter.write, UNWIND batches of {batch_size}, one transaction per source: "
          f"{copies * per_copy} documents, {batched.nodes:,} nodes + {batched.relationships:,} relationships "
          f"in {batched.seconds:.2f} s ({batched.statements:,} statements) = {b_rate:,.0f} /s")
    print(f"           graph afterwards: {b_nodes:,} nodes, {b_rels:,} relationships")
    print(f"  per-row  Neo4jWriter.write_per_row, one auto-commit MERGE per node or edge: "
          f"{row_copies * per_copy} documents (a subset), {per_row.nodes:,} nodes + {per_row.relationships:,} "
          f"relationships in {per_row.seconds:.2f} s ({per_row.statements:,} statements) = {r_rate:,.0f} /s")
    print(f"           graph afterwards: {r_nodes:,} nodes, {r_rels:,} relationships; at that rate the "
          f"{copies * per_copy} documents would take ~{extrapolated:,.0f} s (extrapolated, not run)")
    verdict = "met" if ratio >= 10 else "NOT met"
    print(f"  ratio    batched / per-row = {ratio:.1f}x (goal >= 10x: {verdict})")
    print(f"  rate     batched {b_rate:,.0f} /s (goal >= 50,000 /s, issue 12: "
          f"{'met' if b_rate >= 50000 else 'NOT met'})")
    c_rows, c_seconds = ceiling
    print(f"  ceiling  Neo4j itself, the same {c_rows:,} owned-node rows (their properties as written) CREATEd under "
          f"a label with no index or constraint, no relationships, {w.workers} sessions: {c_rows / c_seconds:,.0f} /s "
          f"in {c_seconds:.2f} s (the writer's rows also update the unique, range, TEXT and full-text indexes)")
    if batched.dropped_edges or per_row.dropped_edges:
        print(f"  note     edges whose end node is absent (not written): batched {batched.dropped_edges}, "
              f"per-row {per_row.dropped_edges}")
    if args.neo4j_import:
        sizes = [copies] + [max(1, math.ceil(int(x) / per_copy)) for x in args.neo4j_import_docs.split(",") if x.strip()]
        for n in sizes:
            rows = batched_rows if n == copies else replicate(seed_rows, n, f"{NEO4J_PREFIX}B")
            rep = _bench_import(settings, rows)
            rate = rep.rate
            stages = ", ".join(f"{k} {v:.1f}" for k, v in rep.seconds.items())
            print(f"  import   neo4j-admin database import (loaders/neo4j_import.py), stop/import/start and schema "
                  f"included: {n * per_copy} documents, {rep.nodes:,} nodes + {rep.relationships:,} relationships "
                  f"in {rep.total_seconds:.1f} s ({stages}) = {rate:,.0f} /s; x{rate / b_rate:.1f} the batched "
                  f"writer, x{rate / r_rate:.0f} per-row (goal >= 50,000 /s: {'met' if rate >= 50000 else 'NOT met'})")
            done = [ln.strip() for ln in rep.admin_output.splitlines() if "IMPORT DONE" in ln or "Peak memory" in ln]
            if done:
                print(f"           neo4j-admin says: {'; '.join(done)}")
        if not args.neo4j_keep:
            with Neo4jWriter.from_settings(settings) as w:  # a new driver: the database was replaced
                _delete_prefix(w, NEO4J_PREFIX)


def _bench_import(settings, rows):
    """The bulk path on ``rows`` (all sources new, as ``Neo4jWriter.write(rows)``): the time from the
    rows to a started server with the schema and derived facts, CSV writing included."""
    import tempfile

    from backends.neo4j import derive_after_import
    from interface.services import neo4j_server
    from loaders.neo4j_import import CsvGraph, bulk_import, check_target

    try:
        was_scratch = check_target(settings, neo4j_server)
    except Exception as exc:
        raise SystemExit(f"neo4j section, --neo4j-import: {exc}") from None


    t0 = time.perf_counter()
    graph = CsvGraph(Path(tempfile.mkdtemp(prefix="policykg-bench-import-", dir=neo4j_server.neo4j_home().parent)))
    graph.write(rows)
    collect = time.perf_counter() - t0
    rep = bulk_import(graph, settings=settings, server=neo4j_server, was_scratch=was_scratch,
                      after_start=derive_after_import)
    rep.seconds = {"csv": collect, **rep.seconds}
    return rep


# =============================================================================
# sparql: latency of every named SPARQL query (queries/*.rq) on the seed (issue 4)

#: example parameters per named query (strings are put in match form); the documented examples
#: of queries/README.md. A query missing here is listed as "no example" (add one).
SPARQL_EXAMPLES: dict[str, dict] = {
    "departments_for_goal": {"goal": "住房公积金"},
    "tasks_citing": {"reg": "财税〔2015〕119号"},
    "documents_citing": {"reg": "四川省行政机关限时办结制度"},
    "impact_of_document": {"reg": "绵府发〔2016〕13号", "on_date": "2016-07-01"},
    "agency_tasks": {"for_agency": "市财政局"},
    "deadlines_between": {"date_from": "2016-06-01", "date_to": "2016-12-31", "for_agency": None},
    "in_force_on": {"on_date": "2021-07-01"},
    "targets_for": {"of_metric": "直接融资", "in_year": None},
    "agencies_in_sector": {"of_sector": "财政部门", "within": "四川省"},
}


def _sparql_arguments(ap: argparse.ArgumentParser) -> None:
    g = ap.add_argument_group("section sparql")
    g.add_argument("--sparql-runs", type=int, default=5, metavar="N",
                   help="timed runs per query after one warm-up run (default 5; the median is reported)")
    g.add_argument("--sparql-no-server", action="store_true",
                   help="only the embedded store, even when the SPARQL server is up")


def _sparql_params(name: str, example: dict) -> dict:
    import datetime

    from loaders.graph_rows import match_key

    out = {}
    for k, v in example.items():
        if isinstance(v, str) and k in ("on_date", "date_from", "date_to", "before"):
            out[k] = datetime.date.fromisoformat(v)
        elif isinstance(v, str):
            out[k] = match_key(v)
        else:
            out[k] = v
    return out


def _time_query(run, name: str, params: dict, runs: int) -> tuple[int, list[float]]:
    rows = run(name, params)  # warm-up: parse, plan and caches
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        run(name, params)
        times.append(time.perf_counter() - t0)
    return len(rows), times


def _sparql_server_up(endpoint: str) -> bool:
    import urllib.parse
    import urllib.request

    url = endpoint + "?" + urllib.parse.urlencode({"query": "ASK { }"})
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"}),
                                    timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


@section("sparql", "SPARQL query library: latency of each queries/*.rq on the seed (embedded store, SPARQL server)",
         _sparql_arguments)
def bench_sparql(args: argparse.Namespace) -> None:
    """SPARQL query library: median latency of each named .rq on the seed, per store."""
    import statistics
    import tempfile

    from graph_api import PolicyGraph
    from policykg import config
    from queries.loader import list_queries

    runs = max(1, args.sparql_runs)
    backends = ["embedded"]
    endpoint = config.sparql_endpoint()
    if not args.sparql_no_server:
        if _sparql_server_up(endpoint):
            backends.append("sparql")
        else:
            print(f"(the SPARQL server at {endpoint} is not up: embedded store only; "
                  f"`policykg sparql start` to include it)")
    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as home:
        g = PolicyGraph("embedded", home=Path(home))
        t0 = time.perf_counter()
        report = g.build([config.BUNDLED_GAZETTE], also=[b for b in backends if b != "embedded"])
        print(f"seed: {report.documents} documents, {report.tasks} tasks, {report.nodes:,} nodes, "
              f"{report.edges:,} edges, {g.backend.store.count():,} quads in the embedded store "
              f"(built and loaded into {', '.join(backends)} in {time.perf_counter() - t0:.1f} s)")
        graphs = {"embedded": g}
        if "sparql" in backends:
            graphs["sparql"] = PolicyGraph("sparql", home=Path(home))
        print(f"median of {runs} runs after a warm-up, milliseconds; rows as the query returns them"
              + (f"; server: {endpoint} (oxigraph serve, HTTP POST, JSON results)" if "sparql" in backends else ""))
        head = f"  {'query':24} {'rows':>5}" + "".join(f" {b + ' ms':>14} {'min':>7}" for b in graphs)
        print(head)
        try:
            for name in list_queries("sparql"):
                if name not in SPARQL_EXAMPLES:
                    print(f"  {name:24}  (no example parameters: add one to SPARQL_EXAMPLES)")
                    continue
                params = _sparql_params(name, SPARQL_EXAMPLES[name])
                line = f"  {name:24}"
                for i, (b, pg) in enumerate(graphs.items()):
                    n, times = _time_query(pg.backend.run, name, params, runs)
                    if i == 0:
                        line += f" {n:>5}"
                    line += f" {statistics.median(times) * 1000:>14.1f} {min(times) * 1000:>7.1f}"
                print(line)
        finally:
            for pg in graphs.values():
                pg.close()


# =============================================================================
# extraction: MB/s on the seed and on a 50x concatenation, in one process (goal >= 5 MB/s per core, issue 12)

def _extraction_arguments(ap: argparse.ArgumentParser) -> None:
    g = ap.add_argument_group("section extraction")
    g.add_argument("--extraction-copies", type=int, default=50, metavar="N",
                   help="how many copies of the seed to concatenate (default 50)")
    g.add_argument("--extraction-runs", type=int, default=3, metavar="N", help="runs on the seed (best is kept)")


@section("extraction", "extraction throughput: seed vs an N-fold concatenation (linearity)", _extraction_arguments)
def bench_extraction(args: argparse.Namespace) -> None:
    import tempfile
    from pathlib import Path

    from loaders.pipeline import StageTimer, extract_file
    from policykg.config import BUNDLED_GAZETTE

    text = BUNDLED_GAZETTE.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.txt"
        big.write_text(text * args.extraction_copies, encoding="utf-8")
        results = {}
        for label, path, runs in (("seed", BUNDLED_GAZETTE, args.extraction_runs),
                                  (f"{args.extraction_copies}x seed", big, 1)):
            mb = path.stat().st_size / 1e6
            best, best_timer, ex = float("inf"), None, None
            for _ in range(runs):
                timer = StageTimer()
                t0 = time.process_time()  # CPU time of this process: one core's work
                ex = extract_file(path, timer)
                dt = time.process_time() - t0
                if dt < best:
                    best, best_timer = dt, timer
            results[label] = mb / best
            stages = ", ".join(f"{k} {v:.2f}s" for k, v in best_timer.seconds.items())
            print(f"  {label:>12}: {mb:7.2f} MB in {best:6.2f} s CPU = {mb / best:5.2f} MB/s per core "
                  f"({len(ex.documents)} documents, {len(ex.tasks)} tasks; {stages})")
        seed_rate, big_rate = results["seed"], results[f"{args.extraction_copies}x seed"]
        print(f"  ratio {args.extraction_copies}x / seed throughput: {big_rate / seed_rate:.2f} "
              "(1.0 = perfectly linear time)")
        print(f"  goal >= 5 MB/s per core (issue 12): {'met' if min(seed_rate, big_rate) >= 5 else 'NOT met'}")


# =============================================================================
# scale: the synthetic corpus (scripts/generate_corpus.py) at several sizes, plus the laws

#: parameters that name ONE city's facts (copy 0 of the corpus is the bundled gazette, copies k >= 1
#: have their own city, numbers and years), so the answer stays the same size as the corpus grows
SCALE_EXAMPLES: dict[str, dict] = {
    "departments_for_goal": {"goal": "绵阳市推进供给侧结构性改革去库存"},
    "tasks_citing": {"reg": "财税〔2015〕119号"},
    "documents_citing": {"reg": "绵府发〔2016〕13号"},  # cited by the seed's d6 only (copies renumber 绵府发)
    "impact_of_document": {"reg": "绵府发〔2016〕13号", "on_date": "2016-07-01"},
    "agency_tasks": {"for_agency": "绵阳市财政局"},
    "deadlines_between": {"date_from": "2016-06-01", "date_to": "2016-06-30", "for_agency": None},
    # in_force_on's whole answer grows with the corpus by nature (every document in force): timed
    # scoped to one issuer (issued_by, the seed's city), and unscoped as in_force_on[all]
    "in_force_on": {"on_date": "2016-07-01", "issued_by": "绵阳市"},
    "in_force_on[all]": {"on_date": "2016-06-23", "issued_by": None},
    "targets_for": {"of_metric": "直接融资", "in_year": 2017},
    "agencies_in_sector": {"of_sector": "财政部门", "within": "四川省"},
    "expiring_documents": {"before": "2021-07-01"},
}


def _scale_arguments(ap: argparse.ArgumentParser) -> None:
    g = ap.add_argument_group("section scale")
    g.add_argument("--scale-copies", default="1,100,228", metavar="N,N,…",
                   help="corpus sizes in copies (44 documents a copy; 228 ≈ 10,000 documents; default 1,100,228)")
    g.add_argument("--scale-runs", type=int, default=7, metavar="N", help="timed runs per query (default 7)")
    g.add_argument("--scale-workers", type=int, default=None, metavar="N", help="extraction processes")
    g.add_argument("--scale-laws", default=None, metavar="DIR",
                   help="laws corpus to load with the seed (default ../shared/corpus/laws when it exists)")
    g.add_argument("--scale-dir", default=None, metavar="DIR", help="where to write corpora and stores (a temp dir)")
    g.add_argument("--scale-backends", default="embedded,sparql,neo4j", metavar="B,B",
                   help="backends to load and time (default embedded,sparql,neo4j; the servers are the "
                        "configured ones and are CLEARED: scratch servers only)")


_BUILD_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from graph_api import PolicyGraph
t0 = time.perf_counter()
with PolicyGraph("embedded", home={home!r}) as g:
    r = g.build([{corpus!r}], workers={workers!r}, also={also!r})
    laws = None
    if {laws!r}:
        t1 = time.perf_counter()
        lr = g.load_laws({laws!r})
        laws = {{"files": lr.files, "seconds": time.perf_counter() - t1}}
    quads = g.backend.store.count()
wall = time.perf_counter() - t0
# this process's own peak from VmHWM (its address space is new since exec); ru_maxrss of SELF keeps
# the peak of the process it was forked from (the benchmark itself, 1.6 GB after the neo4j section)
hwm = next(int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:"))
rss = max(hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({{"documents": r.documents, "tasks": r.tasks, "seconds": r.seconds, "wall": wall,
                   "rss_mb": rss / 1024, "quads": quads, "laws": laws}}))
"""


def _percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, math.ceil(q * len(xs)) - 1))]


def _time_scale_queries(home: Path, runs: int, backend: str = "embedded") -> dict[str, tuple[int, float, float]]:
    """Every canned query's (rows, p50, p95) in seconds on ``backend`` (the embedded store at ``home``,
    or a server), after a warm-up run. ``name[label]`` times the query ``name`` with other parameters."""
    from graph_api import PolicyGraph

    out = {}
    with PolicyGraph(backend, home=home) as g:
        for label, example in SCALE_EXAMPLES.items():
            name = label.split("[")[0]
            params = _sparql_params(name, example)
            rows = g.backend.run(name, params)
            times = []
            for _ in range(max(1, runs)):
                t0 = time.perf_counter()
                g.backend.run(name, params)
                times.append(time.perf_counter() - t0)
            out[label] = (len(rows), statistics_median(times), _percentile(times, 0.95))
    return out


@section("scale", "scale: build (stages, peak RSS) and every canned query's p50/p95 at 1, 100, 228 copies + the laws",
         _scale_arguments)
def bench_scale(args: argparse.Namespace) -> None:
    """Build the synthetic corpus at several sizes in a child process (peak RSS of it and its workers),
    then time every canned query on the embedded store; growth = p50(largest) / p50(1 copy)."""
    import json
    import shutil
    import subprocess
    import tempfile

    sys.path.insert(0, str(ROOT / "scripts"))
    import generate_corpus


    from backends import open_backend

    sizes = [int(x) for x in str(args.scale_copies).split(",") if x.strip()]
    backends = [b.strip() for b in str(args.scale_backends).split(",") if b.strip()]
    servers = [b for b in backends if b != "embedded"]
    laws = args.scale_laws or str(ROOT.parent / "shared" / "corpus" / "laws")
    if not Path(laws).is_dir():
        laws = None
    base = Path(args.scale_dir or tempfile.mkdtemp(prefix="policykg-scale-"))
    results: dict[int, dict] = {}
    print(f"{os.cpu_count()} CPUs, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          "(the machine is shared: other work slows every figure)")
    print("| copies | documents | tasks | quads | build wall s | extract (CPU s, all workers) | load:embedded s "
          "| laws load s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        corpus, home = base / f"corpus-{n}", base / f"home-{n}"
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
        generate_corpus.generate(corpus, n)
        with_laws = None
        for b in servers:  # each size into empty servers (Neo4j Community has one database)
            server = open_backend(b)
            try:
                server.clear()
            finally:
                server.close()
        child = _BUILD_CHILD.format(root=str(ROOT), home=str(home), corpus=str(corpus), workers=args.scale_workers,
                                    laws=with_laws, also=servers)
        done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"| {n} | build failed: {done.stderr[-500:]} |")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        sec = r["seconds"]
        extract = sum(v for k, v in sec.items() if k in ("read", "normalise", "documents", "facts", "rows"))
        lawtxt = f"{r['laws']['seconds']:.1f} ({r['laws']['files']} files)" if r["laws"] else "-"
        print(f"| {n} | {r['documents']:,} | {r['tasks']:,} | {r['quads']:,} | {r['wall']:.1f} | {extract:.1f} "
              f"| {sec.get('load:embedded', 0):.1f} | {lawtxt} | {r['rss_mb']:.0f} |", flush=True)
        results[n] = {"build": r, "queries": {b: _time_scale_queries(home, args.scale_runs, b) for b in backends}}
    if laws:  # the seed (copy 0 alone) plus the laws corpus, in a store of its own
        corpus, home = base / "corpus-1", base / "home-laws"
        if not corpus.exists():
            generate_corpus.generate(corpus, 1)
        child = _BUILD_CHILD.format(root=str(ROOT), home=str(home), corpus=str(corpus), workers=args.scale_workers,
                                    laws=laws, also=[])
        done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=False)
        if done.returncode:
            print(f"| 1 + laws | build failed: {done.stderr[-500:]} |")
        else:
            r = json.loads(done.stdout.strip().splitlines()[-1])
            sec = r["seconds"]
            extract = sum(v for k, v in sec.items() if k in ("read", "normalise", "documents", "facts", "rows"))
            print(f"| 1 + laws | {r['documents']:,} + {r['laws']['files']} laws | {r['tasks']:,} | {r['quads']:,} "
                  f"| {r['wall']:.1f} | {extract:.1f} | {sec.get('load:embedded', 0):.1f} "
                  f"| {r['laws']['seconds']:.1f} | {r['rss_mb']:.0f} |", flush=True)
            results["1 + laws"] = {"queries": {"embedded": _time_scale_queries(home, args.scale_runs)}}
    if not results:
        return
    sizes_done = [n for n in results if isinstance(n, int)]
    for b in backends:
        cols = [n for n in results if b in results[n]["queries"]]
        print()
        print(f"{b}, p50 / p95 ms of {args.scale_runs} runs after a warm-up (rows); "
              f"growth = p50({max(sizes_done)} copies) / p50({min(sizes_done)} copy)")
        print("| query | " + " | ".join(f"{n} copies" if isinstance(n, int) else str(n) for n in cols) + " | growth |")
        print("|---|" + "---|" * len(cols) + "---|")
        for label in SCALE_EXAMPLES:
            cells = []
            for n in cols:
                rows, p50, p95 = results[n]["queries"][b][label]
                cells.append(f"{p50 * 1000:.1f} / {p95 * 1000:.1f} ({rows})")
            lo = results[min(sizes_done)]["queries"][b][label][1]
            hi = results[max(sizes_done)]["queries"][b][label][1]
            print(f"| {label} | " + " | ".join(cells) + f" | {hi / lo:.1f} |")
    if not args.scale_dir:
        shutil.rmtree(base, ignore_errors=True)


def statistics_median(xs: list[float]) -> float:
    import statistics

    return statistics.median(xs)


# =============================================================================

def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description="policykg benchmarks")
    ap.add_argument("--section", action="append", metavar="NAME",
                    help=f"run only this section (repeatable); one of: {', '.join(SECTIONS)}")
    ap.add_argument("--list", action="store_true", help="list the sections and exit")
    for s in SECTIONS.values():
        if s.add_arguments:
            s.add_arguments(ap)
    args = ap.parse_args(argv)
    if args.list:
        for s in SECTIONS.values():
            print(f"{s.name:12} {s.help}")
        return 0
    names = args.section or list(SECTIONS)
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        ap.error(f"unknown section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    for name in names:
        print(f"== {name}: {SECTIONS[name].help}")
        t0 = time.perf_counter()
        SECTIONS[name].run(args)
        print(f"== {name} done in {time.perf_counter() - t0:.1f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
