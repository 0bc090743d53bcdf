"""GraphRows → Neo4j: constraints, batched ``UNWIND`` MERGEs, one transaction per source file.

Shape of the graph
------------------
Every node carries two labels, its own (``Task``, ``Agency``, …) and ``Entity``;
``Entity.id`` is unique, so an edge finds both ends with one index seek without
knowing their labels (an :class:`~loaders.graph_rows.Edge` only holds ids).
Nodes owned by a source file carry ``sourceId``; shared nodes (agencies, cited
documents, sectors, jurisdictions) do not. Every relationship carries the
``sourceId`` of the file that stated it and an ``edgeKey`` (source + span start)
that it is MERGEd on, so two mentions of the same agency in one task stay two
relationships, while re-loading the same rows creates nothing new.

Reloads
-------
:meth:`Neo4jWriter.write` first MERGEs the shared nodes (idempotent), then, for
each replaced source, runs ONE managed write transaction (``session.execute_write``,
retried by the driver on transient errors) that deletes the relationships and
nodes owned by that source and writes its new rows. A load killed half-way
therefore leaves each source either as it was or fully replaced, and re-running
it ends with the same graph. With ``prune_keep`` (what ``backends.neo4j`` passes:
the authority file's node ids) the same transaction also deletes the shared
nodes the old rows touched that no relationship holds any more, as a fresh build
would not have them (the RDF stores' ``prune_shared`` rule); without it shared
nodes are never deleted by a reload.

Labels and relationship types cannot be Cypher parameters, so every statement
is picked from a table keyed by a whitelisted name (:data:`NODE_LABELS`,
:data:`REL_TYPES`); nothing from the data is ever formatted into query text.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from loaders.graph_rows import Edge, GraphRows, Node
from policykg.errors import BackendError
from policykg.errors import neo4j_error as translate_error

NODE_LABELS: tuple[str, ...] = (
    "Document", "Provision", "Task", "Agency", "Target", "Deadline", "CitedDocument", "Sector", "Jurisdiction",
    "Law",
)
#: Labels whose nodes are shared between sources: MERGEd, never deleted by a reload.
SHARED_LABELS: frozenset[str] = frozenset({"Agency", "CitedDocument", "Sector", "Jurisdiction"})
REL_TYPES: tuple[str, ...] = (
    "PART_OF", "IN_DOCUMENT", "LEADS", "SHARES", "CITES", "HAS_TARGET", "DUE", "IN_SECTOR",
    "IN_JURISDICTION", "MENTIONED_IN", "SAME_AS", "SUCCEEDED_BY",
)
ENTITY = "Entity"
BATCH_SIZE = 1000
#: rows per transaction when writing sources the database does not hold yet (CREATE, no MERGE)
BULK_BATCH_SIZE = 5000
#: threads writing batches of new sources at once (nodes first, then relationships)
WORKERS = 2
#: Marks a database that :meth:`Neo4jWriter.clear` may wipe (a scratch database of the tests). A schema
#: constraint on a label no data uses, not a node: it survives the wipe and no count sees it.
SCRATCH_MARKER = "policykg_scratch_database"
SCRATCH_MARKER_STATEMENT = (f"CREATE CONSTRAINT {SCRATCH_MARKER} IF NOT EXISTS "
                            "FOR (n:PolicyKGScratchDatabase) REQUIRE n.marker IS UNIQUE")


# ----------------------------------------------------------------------------
# Cypher text, one statement per whitelisted label / type (built once, at import)

def _owned_node_query(label: str) -> str:
    # SET n = row.props: a re-extracted node loses properties that are gone now.
    return (f"UNWIND $rows AS row MERGE (n:{ENTITY} {{id: row.id}}) "
            f"SET n = row.props, n:{label} RETURN count(n) AS written")


def _shared_node_query(label: str) -> str:
    # SET n += row.props (nulls already dropped): one source never erases what another one knew.
    return (f"UNWIND $rows AS row MERGE (n:{ENTITY} {{id: row.id}}) "
            f"SET n += row.props, n:{label} RETURN count(n) AS written")


def _edge_query(rel_type: str) -> str:
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{ENTITY} {{id: row.src}}) MATCH (b:{ENTITY} {{id: row.dst}}) "
            f"MERGE (a)-[r:{rel_type} {{edgeKey: row.edgeKey}}]->(b) "
            f"SET r = row.props RETURN count(r) AS written")


def _new_node_query(label: str) -> str:
    # a source the database does not hold yet: its nodes are new (ids start with the source id).
    # A row is the node's flat property map (id and sourceId included): nothing to reshape on the server.
    return f"UNWIND $rows AS row CREATE (n:{ENTITY}:{label}) SET n = row RETURN count(n) AS written"


def _new_edge_query(rel_type: str, start: str = ENTITY, end: str = ENTITY) -> str:
    # … and so are its relationships: CREATE, no MERGE scanning the relationships of a busy agency.
    # Both ends found by the unique index of their own label (smaller than Entity's) when known.
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{start} {{id: row.s}}) MATCH (b:{end} {{id: row.d}}) "
            f"CREATE (a)-[r:{rel_type}]->(b) SET r = row.p RETURN count(r) AS written")


QUERIES: dict[str, str] = {}
#: the same names, for sources new to the database (:meth:`Neo4jWriter.write`'s bulk path)
NEW_QUERIES: dict[str, str] = {}
for _label in NODE_LABELS:
    QUERIES[f"node:{_label}"] = _owned_node_query(_label)
    QUERIES[f"shared:{_label}"] = _shared_node_query(_label)
    NEW_QUERIES[f"node:{_label}"] = _new_node_query(_label)
for _type in REL_TYPES:
    QUERIES[f"edge:{_type}"] = _edge_query(_type)
    NEW_QUERIES[f"edge:{_type}"] = _new_edge_query(_type)
    for _start in (ENTITY,) + NODE_LABELS:  # "edge:TYPE:Start:End": ends looked up by their own label
        for _end in (ENTITY,) + NODE_LABELS:
            NEW_QUERIES[f"edge:{_type}:{_start}:{_end}"] = _new_edge_query(_type, _start, _end)

DELETE_OWNED_NODES = f"MATCH (n:{ENTITY} {{sourceId: $source}}) DETACH DELETE n RETURN count(*) AS deleted"
DELETE_OWNED_RELS = {t: f"MATCH ()-[r:{t} {{sourceId: $source}}]->() DELETE r RETURN count(*) AS deleted"
                     for t in REL_TYPES}
# The same deletes, returning the shared nodes they touched (the candidates of a prune): the shared
# neighbours of the source's nodes (most of its relationships go with them), then the shared ends of
# its relationships left (between nodes it does not own: IN_SECTOR, IN_JURISDICTION, SAME_AS …).
DELETE_OWNED_NODES_TOUCHING = (
    f"MATCH (n:{ENTITY} {{sourceId: $source}}) "
    f"OPTIONAL MATCH (n)--(m:{ENTITY}) WHERE m.sourceId IS NULL "
    "WITH n, collect(DISTINCT m.id) AS next DETACH DELETE n "
    "WITH count(*) AS deleted, collect(next) AS nexts "
    "RETURN deleted, reduce(acc = [], e IN nexts | acc + e) AS shared")
DELETE_OWNED_RELS_TOUCHING = {
    t: (f"MATCH (a)-[r:{t} {{sourceId: $source}}]->(b) "
        "WITH r, [x IN [a, b] WHERE x.sourceId IS NULL | x.id] AS ends DELETE r "
        "RETURN count(*) AS deleted, reduce(acc = [], e IN collect(ends) | acc + e) AS shared")
    for t in REL_TYPES}
#: An agency's own shared classification edges (graph_rows: written once per agency, no source): they
#: say what the agency is, they do not keep it alive.
OWN_FACTS = ("IN_SECTOR", "IN_JURISDICTION")
#: Of the candidates ``$ids``, the shared nodes nothing refers to any more: no relationship but their
#: own shared classification edges. Deleted with those edges; their far ends (a jurisdiction only they
#: were in) are returned as the next candidates.
DELETE_ORPHANS_AMONG = (
    f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}}) WHERE n.sourceId IS NULL "
    "AND NOT EXISTS { MATCH (n)-[r]-() WHERE NOT (startNode(r) = n AND r.sourceId IS NULL "
    f"AND type(r) IN {list(OWN_FACTS)!r}) }} "
    f"OPTIONAL MATCH (n)-[:{'|'.join(OWN_FACTS)}]->(c:{ENTITY}) WHERE c.sourceId IS NULL "
    "WITH n, collect(c.id) AS next DETACH DELETE n "
    "WITH count(*) AS deleted, collect(next) AS nexts "
    "RETURN deleted, reduce(acc = [], e IN nexts | acc + e) AS next")
#: … and of those far ends, the ones left with no relationship at all
DELETE_BARE_AMONG = (f"UNWIND $ids AS id MATCH (n:{ENTITY} {{id: id}}) "
                     "WHERE n.sourceId IS NULL AND NOT (n)--() DELETE n RETURN count(*) AS deleted")


def schema_statements() -> list[str]:
    """Constraints and indexes, all ``IF NOT EXISTS`` (safe to run on every load)."""
    out = [f"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE",
           f"CREATE INDEX entity_source IF NOT EXISTS FOR (n:{ENTITY}) ON (n.sourceId)"]
    for label in NODE_LABELS:
        out.append(f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE")
    out += [
        "CREATE INDEX document_doc_number IF NOT EXISTS FOR (n:Document) ON (n.docNumber)",
        "CREATE INDEX document_match_key IF NOT EXISTS FOR (n:Document) ON (n.matchKey)",
        "CREATE TEXT INDEX task_match_text IF NOT EXISTS FOR (n:Task) ON (n.matchText)",
        "CREATE INDEX cited_match_key IF NOT EXISTS FOR (n:CitedDocument) ON (n.matchKey)",
        "CREATE TEXT INDEX cited_match_key_text IF NOT EXISTS FOR (n:CitedDocument) ON (n.matchKey)",
        "CREATE INDEX agency_match_key IF NOT EXISTS FOR (n:Agency) ON (n.matchKey)",
        # TEXT indexes answer CONTAINS from the index (keyword queries: departments_for_goal, agency_tasks)
        "CREATE TEXT INDEX agency_match_key_text IF NOT EXISTS FOR (n:Agency) ON (n.matchKey)",
        "CREATE TEXT INDEX document_match_title_text IF NOT EXISTS FOR (n:Document) ON (n.matchTitle)",
        "CREATE TEXT INDEX leads_name_text IF NOT EXISTS FOR ()-[r:LEADS]-() ON (r.name)",
        "CREATE TEXT INDEX shares_name_text IF NOT EXISTS FOR ()-[r:SHARES]-() ON (r.name)",
        "CREATE INDEX law_match_title IF NOT EXISTS FOR (n:Law) ON (n.matchTitle)",
        "CREATE INDEX law_match_short IF NOT EXISTS FOR (n:Law) ON (n.matchShort)",
        "CREATE INDEX deadline_date IF NOT EXISTS FOR (n:Deadline) ON (n.date)",
        "CREATE FULLTEXT INDEX task_fulltext IF NOT EXISTS FOR (n:Task) ON EACH [n.title, n.text] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
        "CREATE FULLTEXT INDEX agency_fulltext IF NOT EXISTS FOR (n:Agency) ON EACH [n.name, n.canonical] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
    ]
    # a reload deletes a source's relationships by type; these make that an index seek
    for t in REL_TYPES:
        out.append(f"CREATE INDEX rel_{t.lower()}_source IF NOT EXISTS FOR ()-[r:{t}]-() ON (r.sourceId)")
    return out


# ----------------------------------------------------------------------------
# pure row shaping (no driver): tested in tests/unit/test_neo4j_rows.py

def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j stores no nulls and no maps; drop the former, refuse the latter."""
    out: dict[str, Any] = {}
    for k, v in props.items():
        if v is None:
            continue
        if isinstance(v, dict):
            raise BackendError(f"property {k!r} is a map; Neo4j properties cannot hold maps")
        if isinstance(v, tuple):
            v = list(v)
        out[k] = v
    return out


def edge_key(e: Edge) -> str:
    """What tells two relationships of one type between the same nodes apart."""
    start = e.props.get("start")
    return f"{e.source_id or ''}|{'' if start is None else start}"


def node_row(n: Node) -> tuple[str, dict[str, Any]]:
    """(batch name, row) for one node; the name is a key of :data:`QUERIES`."""
    if n.label not in NODE_LABELS:
        raise BackendError(f"node {n.id!r} has label {n.label!r}, which is not one of {', '.join(NODE_LABELS)}")
    props = _clean(n.props)
    if n.source_id is None:
        return f"shared:{n.label}", {"id": n.id, "props": props}
    props["id"] = n.id
    props["sourceId"] = n.source_id
    return f"node:{n.label}", {"id": n.id, "props": props}


def edge_row(e: Edge) -> tuple[str, dict[str, Any]]:
    if e.type not in REL_TYPES:
        raise BackendError(f"edge {e.src!r}-[{e.type}]->{e.dst!r}: type {e.type!r} is not one of {', '.join(REL_TYPES)}")
    key = edge_key(e)
    props = _clean(e.props)
    props["edgeKey"] = key
    if e.source_id is not None:
        props["sourceId"] = e.source_id
    return f"edge:{e.type}", {"src": e.src, "dst": e.dst, "edgeKey": key, "props": props}


def _chunks(items: list[dict], size: int) -> Iterator[list[dict]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def shape_batches(rows: GraphRows, batch_size: int = BATCH_SIZE) -> list[tuple[str, list[dict]]]:
    """Rows → ``[(query name, [row, …]), …]``: shared nodes, owned nodes, then edges.

    Nodes are deduplicated by id (the last one wins, as a MERGE would) and edges by
    (type, src, dst, edgeKey), so the repeated ``IN_SECTOR`` edges that
    ``rows_for`` emits for every mention of an agency become one row. The order is
    deterministic: labels and types in whitelist order, rows in input order.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    groups: dict[str, dict[Any, dict]] = {}
    for n in rows.nodes:
        name, row = node_row(n)
        groups.setdefault(name, {})[n.id] = row
    for e in rows.edges:
        name, row = edge_row(e)
        groups.setdefault(name, {})[(e.src, e.dst, row["edgeKey"])] = row
    order = ([f"shared:{lb}" for lb in NODE_LABELS] + [f"node:{lb}" for lb in NODE_LABELS]
             + [f"edge:{t}" for t in REL_TYPES])
    out: list[tuple[str, list[dict]]] = []
    for name in order:
        if name in groups:
            out.extend((name, chunk) for chunk in _chunks(list(groups[name].values()), batch_size))
    return out


def split_by_source(rows: GraphRows) -> tuple[GraphRows, dict[str, GraphRows]]:
    """(shared nodes, {source id: owned nodes + that source's edges}); edges without a source go with the shared."""
    shared = GraphRows()
    per: dict[str, GraphRows] = {}
    for n in rows.nodes:
        if n.source_id is None:
            shared.nodes.append(n)
        else:
            per.setdefault(n.source_id, GraphRows()).nodes.append(n)
    for e in rows.edges:
        if e.source_id is None:
            shared.edges.append(e)
        else:
            per.setdefault(e.source_id, GraphRows()).edges.append(e)
    return shared, per


def shape_new_batches(parts: list[GraphRows], labels: dict[str, str],
                      batch_size: int = BULK_BATCH_SIZE) -> tuple[list[tuple[str, list[dict]]],
                                                                  list[tuple[str, list[dict]]]]:
    """Rows of sources the database does not hold yet → (node batches, edge batches) for :data:`NEW_QUERIES`.

    A node row is the node's flat property map (``id`` and ``sourceId`` included); an edge row is
    ``{"s": src, "d": dst, "p": props}``, grouped by type and by the labels of both ends
    (``labels``: id → label; an end not in it is looked up through ``Entity``). Deduplicated as
    :func:`shape_batches` does (the last node of an id wins; one edge per type, ends and edgeKey)."""
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    nodes: dict[str, dict[str, dict]] = {}
    edges: dict[str, dict[tuple, dict]] = {}
    for part in parts:
        for n in part.nodes:
            if n.label not in NODE_LABELS:
                raise BackendError(f"node {n.id!r} has label {n.label!r}, which is not one of {', '.join(NODE_LABELS)}")
            props = _clean(n.props)
            props["id"] = n.id
            props["sourceId"] = n.source_id
            nodes.setdefault(n.label, {})[n.id] = props
        for e in part.edges:
            if e.type not in REL_TYPES:
                raise BackendError(f"edge {e.src!r}-[{e.type}]->{e.dst!r}: type {e.type!r} is not one of "
                                   f"{', '.join(REL_TYPES)}")
            key = edge_key(e)
            props = _clean(e.props)
            props["edgeKey"] = key
            if e.source_id is not None:
                props["sourceId"] = e.source_id
            name = f"edge:{e.type}:{labels.get(e.src, ENTITY)}:{labels.get(e.dst, ENTITY)}"
            edges.setdefault(name, {})[(e.src, e.dst, key)] = {"s": e.src, "d": e.dst, "p": props}
    node_batches = [(f"node:{lb}", chunk) for lb in NODE_LABELS if lb in nodes
                    for chunk in _chunks(list(nodes[lb].values()), batch_size)]
    edge_batches = [(name, chunk) for name in sorted(edges)
                    for chunk in _chunks(list(edges[name].values()), batch_size)]
    return node_batches, edge_batches


# ----------------------------------------------------------------------------
# the writer

@dataclass
class WriteResult:
    nodes: int = 0
    relationships: int = 0
    #: edges whose end node is not in the graph (e.g. SAME_AS to a document of a file not loaded)
    dropped_edges: int = 0
    deleted_nodes: int = 0
    deleted_relationships: int = 0
    statements: int = 0
    seconds: float = 0.0
    by_batch: Counter = field(default_factory=Counter)


class Neo4jWriter:
    """Writes :class:`GraphRows` to one Neo4j database.

    ``Neo4jWriter(driver, database="neo4j")`` uses a driver you own;
    :meth:`from_settings` builds (and owns) one from :func:`policykg.config.neo4j_settings`.
    """

    def __init__(self, driver: Any = None, database: Optional[str] = None, *, settings: Any = None,
                 batch_size: int = BATCH_SIZE, bulk_batch_size: int = BULK_BATCH_SIZE,
                 workers: int = WORKERS) -> None:
        from neo4j import GraphDatabase

        self._owns_driver = False
        if driver is None:
            if settings is None:
                from policykg.config import neo4j_settings

                settings = neo4j_settings()
            try:
                driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password))
            except Exception as exc:  # bad URI scheme etc.
                raise translate_error(exc, "creating the Neo4j driver", settings.uri) from None
            self._owns_driver = True
            database = database or settings.database
        self.driver = driver
        self.database = database or "neo4j"
        self.batch_size = batch_size
        self.bulk_batch_size = max(batch_size, bulk_batch_size)
        #: batches of new sources written at once, each by its own session (driver sessions are not
        #: thread-safe; the driver is)
        self.workers = max(1, workers)
        self._schema_ready = False
        # only for messages (never the credentials)
        self.uri = settings.uri if settings is not None else "the Neo4j server"

    @classmethod
    def from_settings(cls, settings: Any = None, batch_size: int = BATCH_SIZE, **options: Any) -> "Neo4jWriter":
        from policykg.config import neo4j_settings

        return cls(settings=settings or neo4j_settings(), batch_size=batch_size, **options)

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()

    def __enter__(self) -> "Neo4jWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -----------------------------------------------------------

    def _run(self, what: str, query: str, params: Optional[dict] = None):
        try:
            return self.driver.execute_query(query, params or {}, database_=self.database)
        except Exception as exc:
            raise translate_error(exc, what, self.uri) from exc

    def _session(self):
        return self.driver.session(database=self.database)

    def verify(self) -> None:
        """One round trip; raises TransientBackendError when the server is not reachable."""
        try:
            self.driver.verify_connectivity()
        except Exception as exc:
            raise translate_error(exc, "connecting", self.uri) from exc

    # -- schema ---------------------------------------------------------------

    def ensure_schema(self) -> list[str]:
        """Create constraints and indexes (``IF NOT EXISTS``) and wait until they are online
        (once per writer: a build loading many batches checks the schema once)."""
        stmts = schema_statements()
        if self._schema_ready:
            return stmts
        for s in stmts:
            self._run("creating the schema", s)
        self._run("waiting for indexes", "CALL db.awaitIndexes(300)")
        self._schema_ready = True
        return stmts

    def sources_held(self, sources: set[str]) -> set[str]:
        """Which of ``sources`` own a node or a relationship in the database (index seeks)."""
        if not sources:
            return set()
        ids = sorted(sources)
        held = {r["s"] for r in self._run("looking up sources", f"MATCH (n:{ENTITY}) WHERE n.sourceId IN $ids "
                                          "RETURN DISTINCT n.sourceId AS s", {"ids": ids}).records}
        for t in REL_TYPES:
            rest = [x for x in ids if x not in held]
            if not rest:
                break
            held |= {r["s"] for r in self._run("looking up sources", f"MATCH ()-[r:{t}]->() WHERE r.sourceId IN $ids "
                                               "RETURN DISTINCT r.sourceId AS s", {"ids": rest}).records}
        return held

    # -- writing --------------------------------------------------------------

    def write(self, rows: GraphRows, replace_sources: Optional[set[str]] = None,
              prune_keep: Optional[set[str]] = None) -> WriteResult:
        """MERGE ``rows``; each source in ``replace_sources`` is replaced atomically.

        ``replace_sources=None`` replaces every source the rows come from (a reload);
        ``set()`` only MERGEs, leaving whatever the graph already holds. A source named in
        ``replace_sources`` that has no rows is deleted. Caveat: deleting a source's nodes also
        drops the SAME_AS edges other sources drew to them; reload those sources to restore them.

        ``prune_keep`` (node ids; None = no pruning): in each replaced source's transaction, also
        delete the shared nodes its old relationships and nodes touched that nothing refers to any
        more — except these ids and the shared nodes of ``rows``. Only those candidates are looked
        at (index seeks), never every shared node of the database.
        """
        t0 = time.perf_counter()
        res = WriteResult()
        shared, per_source = split_by_source(rows)
        replace = set(per_source) if replace_sources is None else set(replace_sources)
        keep = None if prune_keep is None else set(prune_keep) | {n.id for n in shared.nodes}
        # Shared nodes first, outside the per-source transactions: MERGE is idempotent,
        # and every source's edges need them.
        for name, batch in shape_batches(GraphRows(nodes=shared.nodes), self.batch_size):
            self._account(res, name, batch, self._run(f"writing {name}", QUERIES[name], {"rows": batch}))
        # sources to replace that the database does not hold yet: no delete, no MERGE; all their
        # rows together in large batches, one transaction per batch (the bulk path of a first build)
        held = self.sources_held(replace)
        new = sorted(s for s in per_source if s in replace and s not in held)
        for source_id in sorted((set(per_source) | replace) - set(new)):
            part = per_source.get(source_id, GraphRows())
            batches = shape_batches(part, self.batch_size)
            if source_id in replace:
                self._replace_source(source_id, batches, res, keep)
            else:
                for name, batch in batches:
                    self._account(res, name, batch,
                                  self._run(f"writing {name} of {source_id}", QUERIES[name], {"rows": batch}))
        if new:
            self._write_new([per_source[s] for s in new], shared.nodes, res)
        if shared.edges:
            for name, batch in shape_batches(GraphRows(edges=shared.edges), self.batch_size):
                self._account(res, name, batch, self._run(f"writing {name}", QUERIES[name], {"rows": batch}))
        res.seconds = time.perf_counter() - t0
        return res

    def _write_new(self, parts: list[GraphRows], shared_nodes: list[Node], res: WriteResult) -> None:
        """The bulk path: sources the database does not hold yet, CREATEd in large batches, one
        transaction per batch, ``self.workers`` batches at a time (nodes first, then edges)."""
        labels = {n.id: n.label for n in shared_nodes}
        for part in parts:
            for n in part.nodes:
                labels[n.id] = n.label
        unknown = sorted({x for part in parts for e in part.edges for x in (e.src, e.dst) if x not in labels})
        if unknown:  # ends written by an earlier load (an agency, a law): their label, for the index seek
            for r in self._run("looking up end nodes", f"MATCH (n:{ENTITY}) WHERE n.id IN $ids "
                               "RETURN n.id AS id, labels(n) AS labels", {"ids": unknown}).records:
                own = [lb for lb in r["labels"] if lb in NODE_LABELS]
                if len(own) == 1:
                    labels[r["id"]] = own[0]
        node_batches, edge_batches = shape_new_batches(parts, labels, self.bulk_batch_size)
        for batches in (node_batches, edge_batches):
            for name, batch, written in self._parallel(batches):
                res.statements += 1
                res.by_batch[name.split(":")[0] + ":" + name.split(":")[1]] += len(batch)
                if name.startswith("edge:"):
                    res.relationships += written
                    res.dropped_edges += len(batch) - written
                else:
                    res.nodes += written

    def _parallel(self, batches: list[tuple[str, list[dict]]]) -> Iterator[tuple[str, list[dict], int]]:
        """Run independent batches of :data:`NEW_QUERIES`, each in its own managed write transaction
        (retried by the driver on transient errors such as a deadlock between two of them)."""
        def one(item: tuple[str, list[dict]]) -> tuple[str, list[dict], int]:
            name, batch = item
            query = NEW_QUERIES[name]
            try:
                with self._session() as session:
                    written = session.execute_write(lambda tx: tx.run(query, rows=batch).single()["written"])
            except Exception as exc:
                raise translate_error(exc, f"writing {name} of new sources", self.uri) from exc
            return name, batch, written

        if self.workers <= 1 or len(batches) <= 1:
            yield from map(one, batches)
            return
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="neo4j-writer") as pool:
            yield from pool.map(one, batches)

    def _replace_source(self, source_id: str, batches: list[tuple[str, list[dict]]], res: WriteResult,
                        keep: Optional[set[str]] = None) -> None:
        """Delete what ``source_id`` owns and write ``batches``, in one transaction; with ``keep`` (see
        :meth:`write`'s ``prune_keep``) also delete the shared nodes it touched left without a relationship."""
        def work(tx) -> tuple[int, int, list[tuple[str, list[dict], int]]]:
            deleted_rels = 0
            if keep is None:
                deleted_nodes = tx.run(DELETE_OWNED_NODES, source=source_id).single()["deleted"]
                for t in REL_TYPES:
                    deleted_rels += tx.run(DELETE_OWNED_RELS[t], source=source_id).single()["deleted"]
            else:
                r = tx.run(DELETE_OWNED_NODES_TOUCHING, source=source_id).single()
                deleted_nodes, touched = r["deleted"], set(r["shared"])
                for t in REL_TYPES:
                    r = tx.run(DELETE_OWNED_RELS_TOUCHING[t], source=source_id).single()
                    deleted_rels += r["deleted"]
                    touched.update(r["shared"])
            done = []
            for name, batch in batches:
                done.append((name, batch, tx.run(QUERIES[name], rows=batch).single()["written"]))
            if keep is not None and touched - keep:
                r = tx.run(DELETE_ORPHANS_AMONG, ids=sorted(touched - keep)).single()
                deleted_nodes += r["deleted"]
                if set(r["next"]) - keep:
                    deleted_nodes += tx.run(DELETE_BARE_AMONG, ids=sorted(set(r["next"]) - keep)).single()["deleted"]
            return deleted_nodes, deleted_rels, done

        try:
            with self._session() as session:
                dn, dr, done = session.execute_write(work)
        except Exception as exc:
            raise translate_error(exc, f"replacing source {source_id!r} (nothing of it was committed)", self.uri) from exc
        res.deleted_nodes += dn
        res.deleted_relationships += dr
        res.statements += 1 + len(REL_TYPES) + (keep is not None)
        for name, batch, written in done:
            res.by_batch[name] += len(batch)
            res.statements += 1
            if name.startswith("edge:"):
                res.relationships += written
                res.dropped_edges += len(batch) - written
            else:
                res.nodes += written

    @staticmethod
    def _account(res: WriteResult, name: str, batch: list[dict], eager) -> None:
        written = eager.records[0]["written"] if eager.records else 0
        res.statements += 1
        res.by_batch[name] += len(batch)
        if name.startswith("edge:"):
            res.relationships += written
            res.dropped_edges += len(batch) - written
        else:
            res.nodes += written

    def write_per_row(self, rows: GraphRows) -> WriteResult:
        """Baseline for the benchmark: the same MERGEs, one node or edge per auto-committed query."""
        t0 = time.perf_counter()
        res = WriteResult()
        for name, batch in shape_batches(rows, self.batch_size):
            for row in batch:
                self._account(res, name, [row], self._run(f"writing {name}", QUERIES[name], {"rows": [row]}))
        res.seconds = time.perf_counter() - t0
        return res

    def delete_source(self, source_id: str) -> WriteResult:
        """Remove everything a source owns (its shared nodes stay)."""
        res = WriteResult()
        self._replace_source(source_id, [], res)
        return res

    def delete_orphans(self) -> int:
        """Delete every shared node no relationship points at any more: a scan of every node, for
        tests and repairs; a reload prunes only the nodes it touched (``write(…, prune_keep=…)``)."""
        deleted, passes = 0, [
            # agencies with no relationship but their own sector / jurisdiction edges (see OWN_FACTS) …
            f"MATCH (n:Agency) WHERE n.sourceId IS NULL AND NOT EXISTS {{ MATCH (n)-[r]-() WHERE NOT "
            f"(startNode(r) = n AND r.sourceId IS NULL AND type(r) IN {list(OWN_FACTS)!r}) }} "
            "DETACH DELETE n RETURN count(*) AS deleted",
            # … then the sectors and jurisdictions they alone were in
            f"MATCH (n:{ENTITY}) WHERE n.sourceId IS NULL AND NOT (n)--() DELETE n RETURN count(*) AS deleted"]
        for text in passes:
            deleted += self._run("deleting orphans", text).records[0]["deleted"]
        return deleted

    # -- inspection -----------------------------------------------------------

    def counts(self) -> dict[str, Any]:
        """``{"nodes": n, "relationships": r, "labels": {label: n}, "types": {type: r}}``."""
        nodes = self._run("counting", "MATCH (n) RETURN count(n) AS c").records[0]["c"]
        rels = self._run("counting", "MATCH ()-[r]->() RETURN count(r) AS c").records[0]["c"]
        labels = {}
        for label in NODE_LABELS:
            labels[label] = self._run("counting", f"MATCH (n:{label}) RETURN count(n) AS c").records[0]["c"]
        types = {r["t"]: r["c"] for r in self._run(
            "counting", "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c").records}
        return {"nodes": nodes, "relationships": rels, "labels": labels, "types": types}

    def ids(self) -> set[str]:
        return {r["id"] for r in self._run("listing ids", f"MATCH (n:{ENTITY}) RETURN n.id AS id").records}

    def is_scratch(self) -> bool:
        """True when this database carries the scratch marker (:data:`SCRATCH_MARKER`)."""
        records = self._run("looking for the scratch marker",
                            "SHOW CONSTRAINTS YIELD name WHERE name = $name RETURN count(*) AS c",
                            {"name": SCRATCH_MARKER}).records
        return records[0]["c"] > 0

    def clear(self) -> None:
        """Delete every node and relationship (tests only; the schema stays).

        Only a scratch database is wiped: one that carries the marker, or an empty one (which is
        marked then). A database with data and no marker, e.g. a real one that ``NEO4J_URI`` points
        at, is refused with a BackendError and left as it is.
        """
        if not self.is_scratch():
            if self._run("checking the database is empty", "MATCH (n) RETURN n LIMIT 1").records:
                raise BackendError(
                    f"refusing to clear Neo4j database {self.database!r} at {self.uri}: it holds data and is "
                    f"not marked as a scratch database of policykg's tests (constraint {SCRATCH_MARKER}). "
                    "Point NEO4J_URI / NEO4J_DATABASE at a test server, or, if this database may be wiped, "
                    f"mark it: {SCRATCH_MARKER_STATEMENT}")
            self._run("marking the scratch database", SCRATCH_MARKER_STATEMENT)
        # CALL … IN TRANSACTIONS needs an auto-commit transaction (session.run), not execute_query.
        # Relationships first, then the nodes: a DETACH DELETE of 5,000 nodes takes every relationship of
        # a dense node (a shared agency at 10,000 documents) into one transaction and exceeded Neo4j's
        # transaction memory pool
        try:
            with self._session() as session:
                session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
                session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
        except Exception as exc:
            raise translate_error(exc, "clearing the database", self.uri) from exc
