"""RDF stores: the embedded pyoxigraph store on disk (default) and a SPARQL server.

Both receive the same quads from :func:`loaders.rdf_writer.quads`: the embedded store
straight as pyoxigraph quads, a server as N-Quads through the Graph Store Protocol (any
SPARQL 1.1 store). Re-loading a source file first drops the named graphs of its
documents (``id:graph/<source>-d*``), so a reload replaces that file's subgraph and
nothing else (shared agencies stay). After each load the build-time inference
(:data:`loaders.authority.RULES`, CONSTRUCT queries over the shared graph) is run
again on the store and its result replaces ``id:graph/inferred``.
"""
from __future__ import annotations

import contextlib
import urllib.error
import urllib.request
from pathlib import Path
from typing import Optional

from loaders.graph_rows import GraphRows
from loaders.rdf_writer import graph_iri, quad_chunks, quads_to_nquads
from ontology.namespace import DATA
from policykg.errors import BackendError, TransientBackendError

GRAPH_PREFIX = str(DATA["graph/"])
SHARED_GRAPH = str(graph_iri(None))
INFERRED_GRAPH = str(DATA["graph/inferred"])

#: Facts of a document derived from other documents' graphs at load (issue 12: derived once per
#: load, not per query), written with the rules' triples into ``id:graph/inferred``. Standard
#: SPARQL 1.1 over the named graphs (``GRAPH ?g``), so any store runs them as they are.
#: end_of_force: the earliest issue date of a document that repeals or invalidates it (through
#: owl:sameAs of the cited document); queries/in_force_on reads it instead of an anti-join per query.
DOCUMENT_RULES: dict[str, str] = {
    "end_of_force": """PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
CONSTRUCT { ?doc pkg:endOfForce ?end }
WHERE {
  { SELECT ?doc (MIN(?issued) AS ?end) WHERE {
      GRAPH ?g1 { ?other pkg:repeals|pkg:invalidates ?cd }
      GRAPH ?g2 { ?cd owl:sameAs ?doc }
      GRAPH ?g3 { ?doc a pkg:PolicyDocument }
      GRAPH ?g4 { ?other a pkg:PolicyDocument }
      GRAPH ?g5 { ?other pkg:issueDate ?issued }
    } GROUP BY ?doc }
}""",
}


def _source_of_graph(name: str) -> Optional[str]:
    """``…/graph/<source>-d<n>`` → ``<source>`` (None for shared, inferred, reform graphs)."""
    if not name.startswith(GRAPH_PREFIX):
        return None
    local = name[len(GRAPH_PREFIX):]
    head, sep, tail = local.rpartition("-d")
    return head if sep and tail.isdigit() else None
#: The named graph that marks a SPARQL server :meth:`RemoteSparqlStore.clear` may wipe (a scratch
#: server of the tests); no query of the project reads it.
SCRATCH_GRAPH = "urn:policykg:scratch-database"
SCRATCH_MARK_UPDATE = (f"INSERT DATA {{ GRAPH <{SCRATCH_GRAPH}> {{ <{SCRATCH_GRAPH}> "
                       "<http://www.w3.org/2000/01/rdf-schema#comment> \"scratch server of policykg's tests\" } }")


def _elsewhere(q) -> bool:
    """True for a quad in a graph other than the shared and the inferred one."""
    name = getattr(q.graph_name, "value", None)
    return name not in (SHARED_GRAPH, INFERRED_GRAPH)


def _unwritable(exc: OSError) -> bool:
    import errno

    return exc.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES) or any(
        m in str(exc) for m in ("No space left on device", "Read-only file system", "Permission denied"))


def _read_only_keywords(store_path: Path):
    """The keyword index beside a store opened read-only, opened read-only too (empty when missing)."""
    import sqlite3

    from loaders.keyword_index import KeywordIndex

    path = store_path.with_name(store_path.name + "-keywords.sqlite")
    try:
        index = KeywordIndex.__new__(KeywordIndex)
        index.path = path
        index.db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        index.db.execute("SELECT 1 FROM sqlite_master").fetchall()
        return index
    except sqlite3.Error:
        return KeywordIndex(None)


@contextlib.contextmanager
def _holding_ctrl_c():
    """Ctrl-C (SIGINT) during the block is raised when the block is done, not in the middle of it."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def replace_update(drops: list[str], nquads: bytes) -> str:
    """One SPARQL update that drops the graphs ``drops`` and inserts ``nquads``: Oxigraph runs an update
    in a single transaction (pyoxigraph's remove_graph and load are two)."""
    import pyoxigraph as ox
    from collections import defaultdict

    by_graph: dict = defaultdict(list)
    for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS):
        by_graph[q.graph_name].append(f"{q.subject} {q.predicate} {q.object} .")
    ops = [f"DROP SILENT GRAPH <{g}>" for g in drops]  # IRIs we minted ourselves: ASCII, no '>'
    if by_graph:
        blocks = ["\n".join(triples) if isinstance(g, ox.DefaultGraph) else f"GRAPH {g} {{\n" + "\n".join(triples) + "\n}"
                  for g, triples in by_graph.items()]
        ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return " ;\n".join(ops) or "CLEAR SILENT GRAPH <urn:policykg:nothing>"


class EmbeddedStore:
    """pyoxigraph on disk at ``path`` (``$POLICYKG_HOME/store`` by default)."""

    def __init__(self, path: Optional[Path] = None):
        import pyoxigraph as ox

        self.path = Path(path) if path else None
        #: why the store was opened read-only (a full disk, a read-only folder); None when writable
        self.read_only: Optional[str] = None
        try:
            if self.path:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
            else:
                self.store = ox.Store()
        except OSError as exc:
            if self.path and (self.path / "CURRENT").exists() and _unwritable(exc):
                # the previous graph stays readable; a write says why it cannot be done
                self.store = ox.Store.read_only(str(self.path))
                self.read_only = str(exc)
                self.keywords = _read_only_keywords(self.path)
                return
            from policykg.home_lock import holder

            who = holder(self.path.parent) if self.path else None
            raise BackendError(f"cannot open the embedded store at {self.path}: {exc}. "
                               + (f"It is in use by {who}; wait for it to finish, or set POLICYKG_HOME "
                                  "to use another folder." if who else
                                  "Is another policykg process using it? Set POLICYKG_HOME to use another folder.")
                               ) from exc
        from loaders.keyword_index import KeywordIndex

        #: keyword index beside the store (``<store>-keywords.sqlite``), updated with every load
        self.keywords = KeywordIndex(self.path.with_name(self.path.name + "-keywords.sqlite") if self.path else None)

    @property
    def _journal(self) -> Optional[Path]:
        return self.path.parent / "store-loading.json" if self.path else None

    def interrupted(self) -> list[str]:
        """Sources of a load that was killed half-way (SIGKILL, power loss): build them again."""
        import json

        try:
            return json.loads(self._journal.read_text(encoding="utf-8"))["sources"] if self._journal else []
        except (OSError, ValueError, KeyError):
            return []

    def replace_sources(self, rows: GraphRows, sources: set[str], materialize: bool = True) -> None:
        """Drop the graphs of ``sources``, add the quads of ``rows``, re-run the inference.

        Ctrl-C waits until the store is consistent again; a load killed half-way is noted in a journal
        beside the store (:meth:`interrupted`), which the next build names until the sources are built again."""
        with self._writing(sources):
            self._replace_sources(rows, sources, materialize)

    def _replace_sources(self, rows: GraphRows, sources: set[str], materialize: bool) -> None:
        candidates: set = set()
        if sources:
            dropped = [g for g in self.store.named_graphs() if _source_of_graph(g.value) in sources]
            candidates = self._shared_terms_of(dropped)  # what a reload may leave no one referring to
            for g in dropped:
                self.store.remove_graph(g)
        # bulk_extend: the fast path (5 µs a quad against 26 for the transactional extend); it gives no
        # all-or-nothing guarantee, so a load killed half-way is redone by building the same files again
        for chunk in quad_chunks(rows):
            self.store.bulk_extend(chunk)
        self.keywords.replace_sources(rows, sources)
        if candidates:  # only a reload can leave shared nodes nothing refers to
            self.prune_shared(candidates, rows)
        if materialize:
            self.materialize()
        self.store.flush()

    def _shared_terms_of(self, graphs: list) -> set:
        """The shared nodes the quads of ``graphs`` refer to (as subject or object)."""
        import pyoxigraph as ox

        shared = ox.NamedNode(SHARED_GRAPH)
        out = set()
        for g in graphs:
            for q in self.store.quads_for_pattern(None, None, None, g):
                for t in (q.subject, q.object):
                    if t not in out and isinstance(t, ox.NamedNode) and any(
                            True for _ in self.store.quads_for_pattern(t, None, None, shared)):
                        out.add(t)
        return out

    def prune_shared(self, candidates: set, rows: GraphRows) -> int:
        """Drop from ``id:graph/shared`` the ``candidates`` (shared nodes a reloaded document referred to)
        that nothing refers to any more, as a fresh build would not have them — and, in turn, what only
        they referred to. Kept: the authority file's nodes and the shared nodes of ``rows``.
        Returns the number of triples removed."""
        import pyoxigraph as ox

        from loaders.authority import authority_rows
        from loaders.rdf_writer import iri

        shared = ox.NamedNode(SHARED_GRAPH)
        keep = {ox.NamedNode(str(iri(n.id, n.label))) for n in (*authority_rows().nodes, *rows.nodes)
                if n.source_id is None}
        pruned: set = set()
        todo = [c for c in candidates if c not in keep]
        removed = 0
        while todo:
            c = todo.pop()
            if c in pruned or c in keep:
                continue
            if any(_elsewhere(q) for q in self.store.quads_for_pattern(c, None, None)) or any(
                    _elsewhere(q) or (q.subject not in pruned and q.subject != c)
                    for q in self.store.quads_for_pattern(None, None, c)):
                continue  # still referred to
            pruned.add(c)
            for q in list(self.store.quads_for_pattern(c, None, None, shared)):
                self.store.remove(q)
                removed += 1
                if isinstance(q.object, ox.NamedNode):
                    todo.append(q.object)
        return removed

    def materialize(self) -> int:
        """Re-derive ``id:graph/inferred``: :data:`loaders.authority.RULES` on the shared graph, and
        :data:`DOCUMENT_RULES` on the named graphs."""
        import pyoxigraph as ox

        from loaders.authority import RULES

        shared, inferred = ox.NamedNode(SHARED_GRAPH), ox.NamedNode(INFERRED_GRAPH)
        derived = []
        for rule in RULES.values():
            for t in self.store.query(rule, default_graph=shared):
                if not any(True for _ in self.store.quads_for_pattern(t.subject, t.predicate, t.object, shared)):
                    derived.append(ox.Quad(t.subject, t.predicate, t.object, inferred))
        for rule in DOCUMENT_RULES.values():
            derived.extend(ox.Quad(t.subject, t.predicate, t.object, inferred) for t in self.store.query(rule))
        self.store.remove_graph(inferred)
        self.store.extend(derived)
        return len(derived)

    def replace_graph(self, graph: str, nquads: bytes) -> None:
        """Drop the named graph ``graph`` and load ``nquads`` (all in that graph), in one transaction."""
        with self._writing(set()):
            self.store.update(replace_update([graph], nquads))
            self.store.flush()

    @contextlib.contextmanager
    def _writing(self, sources: set[str]):
        """Around a write: refuse a read-only store, hold Ctrl-C until the write is done, journal the
        sources being replaced, and turn a full disk into one clear error."""
        import json

        if self.read_only:
            raise BackendError(f"cannot write the embedded store at {self.path}: it could only be opened "
                               f"read-only ({self.read_only}); free some space or make the folder writable. "
                               "The graph in it is unchanged and can still be queried.")
        journal = self._journal if sources else None
        try:
            with _holding_ctrl_c():
                if journal:
                    journal.write_text(json.dumps({"sources": sorted(set(self.interrupted()) | sources)}),
                                       encoding="utf-8")
                yield
                if journal:
                    journal.unlink(missing_ok=True)
        except OSError as exc:
            raise BackendError(f"writing the embedded store at {self.path} failed ({' '.join(str(exc).split())}); "
                               "free some space (or make the folder writable) and build the same files again"
                               ) from exc

    def clear(self) -> None:
        self.store.clear()
        self.keywords.clear()

    def close(self) -> None:
        """Release the on-disk store (RocksDB holds a file lock until the Store object is gone)."""
        import gc

        if self.store is not None:
            if not self.read_only:
                try:
                    self.store.flush()
                except OSError:  # a full disk: what was committed is in the log already
                    pass
            self.store = None
            self.keywords.close()
            gc.collect()

    def count(self) -> int:
        return len(self.store)

    def dump_nquads(self) -> bytes:
        import pyoxigraph as ox

        return self.store.dump(format=ox.RdfFormat.N_QUADS)


#: A reload of at most this many quads goes to a SPARQL server as ONE Update request (drop the source's
#: graphs, insert its quads, prune the shared graph, re-derive the inferred one): Oxigraph applies a
#: request in one transaction, so a reader sees the old document or the new, never neither. A bigger one
#: (the whole laws corpus) is dropped, POSTed in chunks and pruned in several requests.
ONE_REQUEST_QUADS = 100_000
#: IRIs per VALUES block in the prune's look-ups (keeps each query small)
_LOOKUP_BATCH = 400


def _sparql_iri(value: str) -> str:
    """``<value>`` for a SPARQL text; an IRI that cannot be written so is a BackendError (we mint ours)."""
    if not value or any(c in value for c in '<>"{}|^`\\') or any(ord(c) <= 0x20 for c in value):
        raise BackendError(f"cannot write the IRI {value!r} into a SPARQL request")
    return f"<{value}>"


def _insert_data(quads) -> Optional[str]:
    """``INSERT DATA { GRAPH <g> { … } … }`` for pyoxigraph quads (None for none)."""
    import pyoxigraph as ox
    from collections import defaultdict

    by_graph: dict = defaultdict(list)
    for q in quads:
        by_graph[q.graph_name].append(f"{q.subject} {q.predicate} {q.object} .")
    if not by_graph:
        return None
    blocks = ["\n".join(triples) if isinstance(g, ox.DefaultGraph) else f"GRAPH {g} {{\n" + "\n".join(triples) + "\n}"
              for g, triples in by_graph.items()]
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"


def rule_as_update(rule: str, using: Optional[str] = SHARED_GRAPH) -> Optional[tuple[dict[str, str], str]]:
    """A build-time rule (``PREFIX … CONSTRUCT { template } WHERE { pattern }``) as an Update that inserts
    its triples into ``id:graph/inferred`` reading ``using`` as default graph (``USING``; the shared graph,
    as the embedded store runs :data:`loaders.authority.RULES` with ``default_graph=shared``; None for a
    rule over the named graphs, :data:`DOCUMENT_RULES`): (its prefixes, the operation); None for a rule
    of another form. The prefixes go at the head of the request: Oxigraph takes no prologue after ``;``."""
    import re

    m = re.fullmatch(r"(?P<prologue>.*?)\bCONSTRUCT\s*\{(?P<template>[^{}]*)\}\s*WHERE\s*(?P<where>\{.*\})\s*",
                     rule, flags=re.S | re.I)
    if not m:
        return None
    decl = re.compile(r"\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", flags=re.I)
    prefixes, at = {}, 0
    for d in decl.finditer(m["prologue"]):
        if d.start() != at:
            return None
        prefixes[d[1] or ""], at = d[2], d.end()
    if m["prologue"][at:].strip():
        return None  # a BASE, a comment, …: not a form this knows
    dataset = f"USING <{using}>\n" if using else ""
    return prefixes, f"INSERT {{ GRAPH <{INFERRED_GRAPH}> {{{m['template']}}} }}\n{dataset}WHERE {m['where']}"


def materialize_update() -> Optional[tuple[str, str]]:
    """The Update that re-derives ``id:graph/inferred`` (:data:`loaders.authority.RULES` on the shared graph,
    :data:`DOCUMENT_RULES` on the named graphs), keeping out what
    the shared graph states already (as :meth:`EmbeddedStore.materialize`), as (prologue, operations): the
    prologue heads the request, the operations may follow others. None when a rule cannot be written as an
    Update (then it is run as a CONSTRUCT and PUT)."""
    from loaders.authority import RULES

    prefixes: dict[str, str] = {}
    ops = [f"DROP SILENT GRAPH <{INFERRED_GRAPH}>"]
    rules = [(rule, SHARED_GRAPH) for rule in RULES.values()] + [(rule, None) for rule in DOCUMENT_RULES.values()]
    for rule, using in rules:
        found = rule_as_update(rule, using)
        if found is None or any(prefixes.get(k, v) != v for k, v in found[0].items()):
            return None  # two rules giving one prefix two IRIs cannot share a prologue
        prefixes.update(found[0])
        ops.append(found[1])
    ops.append(f"DELETE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} "
               f"GRAPH <{SHARED_GRAPH}> {{ ?s ?p ?o }} }}")
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes.items()), " ;\n".join(ops)


class _NewQuads:
    """What the quads about to be inserted say about references (the prune decides on the store as it
    will be after the insert, which in one request has not happened yet)."""

    def __init__(self, quads=()):
        import pyoxigraph as ox
        from collections import defaultdict

        self.elsewhere: set[str] = set()  # IRIs a quad outside the shared and inferred graphs refers to
        self.referrers: dict = defaultdict(set)  # object IRI → subjects, in the shared and inferred graphs
        self.own: dict = defaultdict(set)  # subject IRI → its objects (IRIs; None for a literal), shared graph
        for q in quads:
            g = getattr(q.graph_name, "value", None)
            s = q.subject.value if isinstance(q.subject, ox.NamedNode) else None
            o = q.object.value if isinstance(q.object, ox.NamedNode) else None
            if g not in (SHARED_GRAPH, INFERRED_GRAPH):
                self.elsewhere.update(t for t in (s, o) if t)
                continue
            if o and s:
                self.referrers[o].add(s)
            if g == SHARED_GRAPH and s:
                self.own[s].add(o)


class RemoteSparqlStore:
    """A SPARQL 1.1 server (``oxigraph serve``): Graph Store Protocol for loading, Update for drops."""

    def __init__(self, query_url: str, update_url: str, store_url: str, timeout: float = 60.0):
        self.query_url, self.update_url, self.store_url, self.timeout = query_url, update_url, store_url, timeout

    def _post(self, url: str, data: bytes, content_type: str) -> None:
        req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()
        except urllib.error.HTTPError as exc:
            raise BackendError(f"SPARQL server at {url} refused the request: HTTP {exc.code} {exc.read()[:300]!r}") from exc
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise TransientBackendError(
                f"SPARQL server at {url} is not reachable ({exc}); start it with `policykg sparql start` "
                "or set SPARQL_ENDPOINT") from exc

    def _select(self, query: str, params: Optional[dict] = None) -> list[dict]:
        import json
        import urllib.parse

        body = urllib.parse.urlencode({"query": query, **(params or {})}, doseq=True).encode("utf-8")
        req = urllib.request.Request(self.query_url, data=body, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded",
                                              "Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read().decode("utf-8"))["results"]["bindings"]
        except urllib.error.HTTPError as exc:
            error = TransientBackendError if exc.code >= 500 else BackendError
            raise error(f"SPARQL server at {self.query_url} refused a query: HTTP {exc.code} "
                        f"{exc.read()[:300]!r}") from exc
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise TransientBackendError(f"SPARQL server at {self.query_url} is not reachable ({exc})") from exc

    def _graphs_of(self, sources: set[str]) -> list[str]:
        """The named graphs holding something derived from ``sources`` (index lookups, no scan)."""
        from loaders.rdf_writer import source_iri

        values = " ".join(f"<{source_iri(s)}>" for s in sorted(sources))  # IRIs we minted: ASCII, no '>'
        rows = self._select("SELECT DISTINCT ?g WHERE { VALUES ?src { " + values + " } "
                            "GRAPH ?g { ?x <http://www.w3.org/ns/prov#wasDerivedFrom> ?src } }")
        return [b["g"]["value"] for b in rows if _source_of_graph(b["g"]["value"]) in sources]

    def replace_sources(self, rows: GraphRows, sources: set[str], materialize: bool = True,
                        stamp: Optional[str] = None) -> None:
        """Replace the graphs of ``sources`` with the quads of ``rows``, drop from the shared graph what only
        the replaced documents referred to (:meth:`EmbeddedStore.prune_shared`'s rule) and re-derive the
        inferred graph.

        Up to :data:`ONE_REQUEST_QUADS` quads this is ONE SPARQL Update request (``DROP GRAPH`` …;
        ``INSERT DATA`` …; ``DELETE`` … ; the inference), which Oxigraph applies in one transaction: a reader,
        or a server stopped half-way, sees the previous graph or the new one. More quads are dropped, POSTed
        in chunks (Graph Store Protocol) and then pruned and re-derived: several requests, not atomic.
        ``stamp``: Update operations put first in the (first) request (the keyword index's stamp,
        :func:`loaders.keyword_index.stamp_update`)."""
        graphs = self._graphs_of(sources) if sources else []
        candidates = self._shared_terms_of(graphs)  # what a reload may leave no one referring to
        keep = self._kept(rows) if candidates else set()
        chunks = quad_chunks(rows, size=ONE_REQUEST_QUADS)
        first = next(chunks, [])
        second = next(chunks, None)
        if second is None:  # small enough: one request
            pruned = self._prune_plan(candidates, keep, graphs, _NewQuads(first)) if candidates else []
            inference = materialize_update() if materialize else None
            ops = [stamp] + [f"DROP SILENT GRAPH {_sparql_iri(g)}" for g in graphs]
            ops += [_insert_data(first), self._prune_update(pruned), inference and inference[1]]
            ops = [op for op in ops if op]
            if ops:
                self._update((inference[0] if inference else "") + " ;\n".join(ops))
            if materialize and inference is None:
                self.materialize()
            return
        if graphs or stamp:
            self._update(" ;\n".join([stamp] * bool(stamp) + [f"DROP SILENT GRAPH {_sparql_iri(g)}" for g in graphs]))
        for chunk in (first, second):
            self._post(self.store_url, quads_to_nquads(chunk), "application/n-quads")
        del first, second
        for chunk in chunks:  # several POSTs: a server adds each to the store
            self._post(self.store_url, quads_to_nquads(chunk), "application/n-quads")
        pruned = self._prune_plan(candidates, keep, [], _NewQuads()) if candidates else []
        inference = materialize_update() if materialize else None
        ops = [op for op in (self._prune_update(pruned), inference and inference[1]) if op]
        if ops:
            self._update((inference[0] if inference else "") + " ;\n".join(ops))
        if materialize and inference is None:
            self.materialize()

    def _update(self, text: str) -> None:
        self._post(self.update_url, text.encode("utf-8"), "application/sparql-update")

    @staticmethod
    def _kept(rows: GraphRows) -> set[str]:
        """Shared nodes never pruned: the authority file's and those of ``rows``."""
        from loaders.authority import authority_rows
        from loaders.rdf_writer import iri

        return {str(iri(n.id, n.label)) for n in (*authority_rows().nodes, *rows.nodes) if n.source_id is None}

    def _shared_terms_of(self, graphs: list[str]) -> set[str]:
        """The shared nodes (subjects in ``id:graph/shared``) the quads of ``graphs`` refer to."""
        out: set[str] = set()
        for i in range(0, len(graphs), _LOOKUP_BATCH):
            values = " ".join(_sparql_iri(g) for g in graphs[i:i + _LOOKUP_BATCH])
            rows = self._select(
                f"SELECT DISTINCT ?t WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ {{ ?t ?p ?o }} UNION {{ ?s ?p ?t }} }} "
                f"FILTER(isIRI(?t)) FILTER EXISTS {{ GRAPH <{SHARED_GRAPH}> {{ ?t ?p2 ?o2 }} }} }}")
            out.update(b["t"]["value"] for b in rows)
        return out

    def _facts(self, nodes: list[str], dropped: list[str]) -> dict[str, tuple[bool, set, set, bool]]:
        """For each node: (referred to outside the shared, inferred and ``dropped`` graphs; the subjects
        referring to it in the shared and inferred graphs; its objects in the shared graph (IRIs, None for
        a literal); whether it has triples in the shared graph)."""
        out = {n: (False, set(), set(), False) for n in nodes}
        skip = ", ".join(_sparql_iri(g) for g in (SHARED_GRAPH, INFERRED_GRAPH, *dropped))
        for i in range(0, len(nodes), _LOOKUP_BATCH):
            batch = nodes[i:i + _LOOKUP_BATCH]
            values = "VALUES ?c { " + " ".join(_sparql_iri(n) for n in batch) + " }"
            for b in self._select(
                    f"SELECT ?c WHERE {{ {values} FILTER(EXISTS {{ GRAPH ?g {{ ?c ?p ?o }} FILTER(?g NOT IN ({skip})) }} "
                    f"|| EXISTS {{ GRAPH ?g {{ ?s ?p ?c }} FILTER(?g NOT IN ({skip})) }}) }}"):
                out[b["c"]["value"]] = (True, *out[b["c"]["value"]][1:])
            for b in self._select(
                    f"SELECT DISTINCT ?c ?s WHERE {{ {values} VALUES ?g {{ <{SHARED_GRAPH}> <{INFERRED_GRAPH}> }} "
                    "GRAPH ?g { ?s ?p ?c } FILTER(isIRI(?s) && ?s != ?c) }"):
                out[b["c"]["value"]][1].add(b["s"]["value"])
            for b in self._select(f"SELECT ?c ?o WHERE {{ {values} GRAPH <{SHARED_GRAPH}> {{ ?c ?p ?o }} }}"):
                c = b["c"]["value"]
                out[c][2].add(b["o"]["value"] if b["o"]["type"] == "uri" else None)
                out[c] = (out[c][0], out[c][1], out[c][2], True)
        return out

    def _prune_plan(self, candidates: set[str], keep: set[str], dropped: list[str], new: _NewQuads) -> list[str]:
        """The shared nodes :meth:`EmbeddedStore.prune_shared` would drop once ``dropped`` is gone and ``new``
        is in: ``candidates`` nothing else refers to, and in turn what only they referred to. Read from the
        server (batched look-ups), decided here, so the drop can go in the same Update as the reload."""
        facts: dict = {}
        pruned: set[str] = set()
        order: list[str] = []
        todo = [c for c in candidates if c not in keep]
        while todo:
            c = todo.pop()
            if c in pruned or c in keep:
                continue
            if c not in facts:  # look up the unknown ones waiting with it, in batches
                unknown = dict.fromkeys(t for t in (c, *todo) if t not in facts and t not in keep and t not in pruned)
                facts.update(self._facts(list(unknown), dropped))
            elsewhere, referrers, objects, shared = facts[c]
            referrers = referrers | new.referrers.get(c, set())
            if not shared and c not in new.own:
                continue  # nothing of it in the shared graph to drop
            if elsewhere or c in new.elsewhere or any(s not in pruned and s != c for s in referrers):
                continue  # still referred to
            pruned.add(c)
            order.append(c)
            todo.extend(o for o in objects | new.own.get(c, set()) if o)
        return order

    @staticmethod
    def _prune_update(pruned: list[str]) -> Optional[str]:
        if not pruned:
            return None
        return " ;\n".join(
            f"DELETE {{ GRAPH <{SHARED_GRAPH}> {{ ?c ?p ?o }} }} WHERE {{ VALUES ?c {{ "
            + " ".join(_sparql_iri(c) for c in pruned[i:i + _LOOKUP_BATCH])
            + f" }} GRAPH <{SHARED_GRAPH}> {{ ?c ?p ?o }} }}" for i in range(0, len(pruned), _LOOKUP_BATCH))

    def replace_graph(self, graph: str, nquads: bytes, stamp: Optional[str] = None) -> None:
        """Drop the named graph ``graph`` (an IRI we minted: ASCII, no '>') and load ``nquads``, in one Update
        request (one transaction on Oxigraph); ``stamp`` as in :meth:`replace_sources`."""
        self._update((stamp + " ;\n" if stamp else "") + replace_update([graph], nquads))

    def materialize(self) -> None:
        """Re-derive ``id:graph/inferred``: one Update when every rule can be written as one
        (:func:`materialize_update`), else each rule as a CONSTRUCT over the shared graph
        (``default-graph-uri``) and the result PUT in place of the graph."""
        import urllib.parse

        from loaders.authority import RULES

        update = materialize_update()
        if update is not None:
            self._update(update[0] + update[1])
            return
        derived = []
        rules = [(rule, {"default-graph-uri": SHARED_GRAPH}) for rule in RULES.values()]
        rules += [(rule, {}) for rule in DOCUMENT_RULES.values()]  # GRAPH ?g: the named graphs
        for rule, dataset in rules:
            body = urllib.parse.urlencode({"query": rule, **dataset}).encode("utf-8")
            req = urllib.request.Request(self.query_url, data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                                  "Accept": "application/n-triples"})
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    derived.append(resp.read())
            except urllib.error.HTTPError as exc:
                error = TransientBackendError if exc.code >= 500 else BackendError
                raise error(f"SPARQL server at {self.query_url} refused an inference rule: HTTP {exc.code}") from exc
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                raise TransientBackendError(f"SPARQL server at {self.query_url} is not reachable ({exc})") from exc
        sep = "&" if "?" in self.store_url else "?"
        url = f"{self.store_url}{sep}{urllib.parse.urlencode({'graph': INFERRED_GRAPH})}"
        req = urllib.request.Request(url, data=b"\n".join(derived), method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()
        except urllib.error.HTTPError as exc:
            raise BackendError(f"SPARQL server at {url} refused the inferred graph: HTTP {exc.code}") from exc
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise TransientBackendError(f"SPARQL server at {url} is not reachable ({exc})") from exc

    def _ask(self, query: str) -> bool:
        import json
        import urllib.parse

        req = urllib.request.Request(self.query_url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read().decode("utf-8"))["boolean"] is True
        except urllib.error.HTTPError as exc:
            raise BackendError(f"SPARQL server at {self.query_url} refused an ASK: HTTP {exc.code}") from exc
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise TransientBackendError(f"SPARQL server at {self.query_url} is not reachable ({exc})") from exc
        except (ValueError, KeyError) as exc:
            raise BackendError(f"SPARQL server at {self.query_url} answered an ASK with something else") from exc

    def dump_nquads(self) -> bytes:
        """The server's whole dataset as N-Quads (Graph Store Protocol GET of the store, as ``oxigraph
        serve`` answers it; the tests compare reloads with fresh builds through it)."""
        req = urllib.request.Request(self.store_url, headers={"Accept": "application/n-quads"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read()
        except urllib.error.HTTPError as exc:
            raise BackendError(f"SPARQL server at {self.store_url} refused a dump: HTTP {exc.code}") from exc
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise TransientBackendError(f"SPARQL server at {self.store_url} is not reachable ({exc})") from exc

    def is_scratch(self) -> bool:
        """True when the server holds the scratch marker graph (:data:`SCRATCH_GRAPH`)."""
        return self._ask(f"ASK {{ GRAPH <{SCRATCH_GRAPH}> {{ ?s ?p ?o }} }}")

    def clear(self) -> None:
        """``CLEAR ALL`` (tests only) — on a scratch server only: one holding the marker graph, or an
        empty one (marked then). A server with data and no marker is refused and left as it is."""
        if not self.is_scratch() and self._ask("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"):
            raise BackendError(
                f"refusing to clear the SPARQL server at {self.update_url}: it holds data and is not marked as "
                f"a scratch server of policykg's tests (graph <{SCRATCH_GRAPH}>). Point SPARQL_ENDPOINT, "
                "SPARQL_UPDATE_ENDPOINT and SPARQL_STORE_ENDPOINT at a test server, or, if it may be wiped, "
                f"mark it: {SCRATCH_MARK_UPDATE}")
        self._post(self.update_url, f"CLEAR ALL ; {SCRATCH_MARK_UPDATE}".encode("utf-8"),
                   "application/sparql-update")
