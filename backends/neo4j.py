"""Neo4j 5 over Bolt: batched MERGE writes (loaders.neo4j_writer), named and user Cypher (queries.cypher_runner)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Optional

from backends import Traced, no_dump, retrying
from loaders.graph_rows import Edge, GraphRows, Node, SourceGraph
from loaders.neo4j_writer import Neo4jWriter
from policykg import config
from policykg.errors import BackendError, neo4j_error
from queries.cypher_runner import run_cypher, run_user_cypher
from queries.loader import load_query

# the relationships other sources drew to nodes of ``$sources`` (load_linked keeps them across a replace)
_INCOMING = ("MATCH (x:Entity)-[r]->(n:Entity) WHERE n.sourceId IN $sources "
             "AND (r.sourceId IS NULL OR NOT r.sourceId IN $sources) "
             "RETURN x.id AS src, type(r) AS type, n.id AS dst, properties(r) AS props")

#: What the named queries need beyond the writer's schema: TEXT / RANGE indexes for the selective end
#: of targets_for (Target.metric, Target.year), in_force_on (Document.issuer, Document.issueDate) and
#: impact_of_document (CitedDocument.matchTitle).
_QUERY_SCHEMA = (
    "CREATE TEXT INDEX target_metric_text IF NOT EXISTS FOR (n:Target) ON (n.metric)",
    "CREATE INDEX target_year IF NOT EXISTS FOR (n:Target) ON (n.year)",
    "CREATE TEXT INDEX document_issuer_text IF NOT EXISTS FOR (n:Document) ON (n.issuer)",
    "CREATE INDEX document_issue_date IF NOT EXISTS FOR (n:Document) ON (n.issueDate)",
    "CREATE INDEX document_valid_until IF NOT EXISTS FOR (n:Document) ON (n.validUntil)",
    "CREATE TEXT INDEX cited_match_title_text IF NOT EXISTS FOR (n:CitedDocument) ON (n.matchTitle)",
)

#: A document's facts derived from other documents, set after every load (the RDF stores derive the
#: same in loaders/rdf_store.py DOCUMENT_RULES): endOfForce = the earliest issue date of a document
#: repealing or invalidating it (CITES relation repeals|invalidates, through SAME_AS); queries/in_force_on.
_DERIVE = (
    "MATCH (d:Document) WHERE d.endOfForce IS NOT NULL REMOVE d.endOfForce",
    "MATCH (other:Document)-[c:CITES]->(:CitedDocument)-[:SAME_AS]->(d:Document) "
    "WHERE c.relation IN ['repeals', 'invalidates'] AND other.issueDate IS NOT NULL "
    "WITH d, min(other.issueDate) AS ended SET d.endOfForce = ended",
)


class Neo4jBackend(Traced):
    name = "neo4j"
    language = "cypher"

    def __init__(self, home: Optional[Path] = None):
        super().__init__()
        self.settings = config.neo4j_settings()
        self.writer = Neo4jWriter.from_settings(self.settings)
        self.driver = self.writer.driver

    def _authority_ids(self) -> set[str]:
        """The authority file's nodes: shared nodes a reload or a removal never prunes (a fresh build
        writes them all, referred to or not), as ``EmbeddedStore.prune_shared`` keeps them."""
        from loaders.authority import authority_rows, load_authority

        authority = load_authority()  # the same object until the file changes
        if getattr(self, "_authority", None) is not authority:
            self._authority, self._authority_node_ids = authority, {n.id for n in authority_rows(authority).nodes}
        return self._authority_node_ids

    @retrying
    def load(self, rows: GraphRows, sources: set[str]) -> None:
        """Replace ``sources`` by ``rows`` (no rows: remove them); each replaced source also drops, in
        its transaction, the shared nodes only its old version referred to (an agency it alone named)."""
        self.writer.ensure_schema()
        self.writer.write(rows, replace_sources=sources, prune_keep=self._authority_ids())
        self.derive()

    @retrying
    def load_linked(self, rows: GraphRows, sources: set[str], existing: Mapping[str, Node]) -> None:
        """Sources that cite each other cannot be written one transaction per source (an edge to a
        law of a later source would find no end node), and replacing a source (DETACH DELETE) drops
        the edges other sources drew to it. So: remember the edges other sources drew to these
        sources' nodes, replace each source's nodes, then MERGE all edges (these and the remembered).
        ``existing`` is not needed: an edge finds its end nodes by id."""
        self.writer.ensure_schema()
        try:
            found = self.driver.execute_query(_INCOMING, {"sources": sorted(sources)},
                                              database_=self.settings.database).records
        except Exception as exc:
            raise neo4j_error(exc, "reading the edges drawn to the sources being replaced", self.settings.uri) from exc
        kept = []
        for r in found:
            props = dict(r["props"])
            kept.append(Edge(r["src"], r["type"], r["dst"],
                             {k: v for k, v in props.items() if k not in ("edgeKey", "sourceId")},
                             props.get("sourceId")))
        # the edges written next need both their ends: no prune of a shared node one of them touches
        ends = {x for e in (*rows.edges, *kept) for x in (e.src, e.dst)}
        self.writer.write(GraphRows(nodes=rows.nodes), replace_sources=sources,
                          prune_keep=self._authority_ids() | ends)
        res = self.writer.write(GraphRows(edges=rows.edges + kept), replace_sources=set())
        if res.dropped_edges:
            raise BackendError(f"{res.dropped_edges} edges found no end node in Neo4j (was the database "
                               "cleared during the load?); load them again")
        self.derive()

    def derive(self) -> None:
        """The query indexes (once) and the derived document facts (:data:`_DERIVE`), in one write
        transaction, after a load: what the RDF stores' ``materialize`` does on their side."""
        def work(tx):
            for text in _DERIVE:
                tx.run(text).consume()

        try:
            if not getattr(self, "_query_schema", False):
                for text in _QUERY_SCHEMA:
                    self.driver.execute_query(text, database_=self.settings.database)
                self._query_schema = True
            with self.driver.session(database=self.settings.database) as session:
                session.execute_write(work)
        except Exception as exc:
            raise neo4j_error(exc, "deriving the documents' end of force", self.settings.uri) from exc

    @retrying
    def replace_graph(self, graph: SourceGraph) -> None:
        def work(tx):
            for text, params in graph.cypher:
                tx.run(text, params).consume()

        try:
            with self.driver.session(database=self.settings.database) as session:
                session.execute_write(work)
        except Exception as exc:
            raise neo4j_error(exc, f"replacing {graph.source_id} (nothing of it was committed)",
                              self.settings.uri) from exc

    def clear(self) -> None:
        self.writer.clear()

    @retrying
    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        self._traced(name, params)
        return run_cypher(self.driver, name, params, self.settings.database)

    @retrying
    def read(self, text: str, params: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:
        return run_user_cypher(self.driver, text, params or {}, self.settings.database)

    def query_text(self, name: str, params: dict[str, Any]) -> str:
        return load_query(name, "cypher").text

    def dump(self) -> bytes:
        raise no_dump(self.name)

    def close(self) -> None:
        self.driver.close()


def derive_after_import() -> None:
    """:meth:`Neo4jBackend.derive` on a fresh connection: the ``after_start`` step of
    :func:`loaders.neo4j_import.bulk_import` (a driver that lived across the import waits on old bookmarks)."""
    backend = Neo4jBackend()
    try:
        backend.derive()
    finally:
        backend.close()
