"""Pure parts of the Neo4j side, no server: row shaping, whitelists, schema text,
the named-query loader and the read-only pre-check of user Cypher."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # plain `pytest` without an installed package
    sys.path.insert(0, str(ROOT))

from loaders.graph_rows import Edge, GraphRows, Node  # noqa: E402
from loaders.neo4j_writer import (DELETE_OWNED_RELS, NODE_LABELS, QUERIES, REL_TYPES, SHARED_LABELS,  # noqa: E402
                                  Neo4jWriter, edge_key, schema_statements, shape_batches, split_by_source)
from policykg.config import Neo4jSettings  # noqa: E402
from policykg.errors import BackendError, QueryError, TransientBackendError  # noqa: E402
from queries import list_queries, load_query  # noqa: E402
from queries.cypher_runner import check_read_only  # noqa: E402
from queries.loader import parse_header  # noqa: E402

SRC = "gazette"


def span(start: int) -> dict:
    return {"source": SRC, "start": start, "end": start + 5, "quote": "原文。"}


def sample_rows(n_tasks: int = 3) -> GraphRows:
    """A document with tasks, each led by the same shared agency; IN_SECTOR repeated per mention."""
    g = GraphRows()
    g.nodes.append(Node(f"{SRC}-d1", "Document", {"title": "方案", "docNumber": None, "addressees": [], **span(0)},
                        SRC))
    g.nodes.append(Node("agency-a", "Agency", {"name": "绵阳市财政局", "canonical": None, "generic": False}))
    g.nodes.append(Node("sector-finance", "Sector", {"name": "finance"}))
    for k in range(1, n_tasks + 1):
        tid = f"{SRC}-d1-t{k}"
        g.nodes.append(Node(tid, "Task", {"title": f"任务{k}", "matchText": f"任务{k}", **span(10 * k)}, SRC))
        g.edges.append(Edge(tid, "IN_DOCUMENT", f"{SRC}-d1", {}, SRC))
        g.edges.append(Edge("agency-a", "LEADS", tid, {"name": "市财政局", "order": 0, **span(10 * k + 2)}, SRC))
        g.edges.append(Edge("agency-a", "IN_SECTOR", "sector-finance", {}, SRC))
    return g


# --------------------------------------------------------------------------- shaping

def test_batches_respect_the_batch_size_and_keep_every_row():
    g = sample_rows(25)
    batches = shape_batches(g, batch_size=7)
    assert all(1 <= len(rows) <= 7 for _, rows in batches)
    by_name: dict[str, int] = {}
    for name, rows in batches:
        by_name[name] = by_name.get(name, 0) + len(rows)
    assert by_name == {"shared:Agency": 1, "shared:Sector": 1, "node:Document": 1, "node:Task": 25,
                       "edge:IN_DOCUMENT": 25, "edge:LEADS": 25, "edge:IN_SECTOR": 1}
    # node:Task 25 rows in batches of 7 → 7, 7, 7, 4
    assert [len(r) for n, r in batches if n == "node:Task"] == [7, 7, 7, 4]


def test_default_batch_size_is_a_thousand():
    g = sample_rows(2500)
    sizes = [len(r) for n, r in shape_batches(g) if n == "node:Task"]
    assert sizes == [1000, 1000, 500]


def test_nodes_come_before_edges_and_shared_nodes_first():
    names = [n for n, _ in shape_batches(sample_rows(3))]
    kinds = [n.split(":")[0] for n in names]
    assert kinds == sorted(kinds, key=["shared", "node", "edge"].index)


def test_batch_names_are_keys_of_the_fixed_query_table():
    for name, _ in shape_batches(sample_rows(3)):
        assert name in QUERIES
    # every label / type has its statement and nothing else does
    assert set(QUERIES) == ({f"node:{lb}" for lb in NODE_LABELS} | {f"shared:{lb}" for lb in NODE_LABELS}
                            | {f"edge:{t}" for t in REL_TYPES})
    for q in QUERIES.values():
        assert q.startswith("UNWIND $rows AS row ")


def test_unknown_labels_and_types_are_refused():
    with pytest.raises(BackendError, match="not one of"):
        shape_batches(GraphRows(nodes=[Node("x", "Task) DETACH DELETE (n", {}, SRC)]))
    with pytest.raises(BackendError, match="not one of"):
        shape_batches(GraphRows(edges=[Edge("a", "KNOWS`]->() DELETE r //", "b", {}, SRC)]))


def test_data_never_reaches_query_text():
    """Statements are fixed at import; hostile text travels only as a parameter value."""
    before = dict(QUERIES)
    hostile = "'}) DETACH DELETE n //"
    g = sample_rows(1)
    g.nodes.append(Node(f"{SRC}-d1-t9", "Task", {"title": hostile, "matchText": hostile}, SRC))
    batches = shape_batches(g)
    assert QUERIES == before
    assert not any(hostile in q for q in QUERIES.values())
    assert any(row["props"].get("title") == hostile for _, rows in batches for row in rows)


def test_owned_and_shared_rows():
    batches = dict(shape_batches(sample_rows(1)))
    task = batches["node:Task"][0]
    assert task["props"]["sourceId"] == SRC and task["props"]["id"] == task["id"]
    agency = batches["shared:Agency"][0]
    assert "sourceId" not in agency["props"]
    assert "canonical" not in agency["props"]  # nulls are dropped: Neo4j stores none
    doc = batches["node:Document"][0]
    assert "docNumber" not in doc["props"] and doc["props"]["addressees"] == []


def test_edges_carry_source_and_key():
    batches = dict(shape_batches(sample_rows(2)))
    lead = batches["edge:LEADS"][0]
    assert lead["props"]["sourceId"] == SRC
    assert lead["edgeKey"] == lead["props"]["edgeKey"] == f"{SRC}|12"
    assert batches["edge:IN_DOCUMENT"][0]["edgeKey"] == f"{SRC}|"
    assert edge_key(Edge("a", "PART_OF", "b", {}, None)) == "|"


def test_duplicate_edges_collapse_but_distinct_mentions_stay():
    g = sample_rows(1)
    tid = f"{SRC}-d1-t1"
    # the same agency named twice in one task (two spans) stays two relationships
    g.edges.append(Edge("agency-a", "LEADS", tid, {"name": "财政局", "order": 1, **span(40)}, SRC))
    g.edges.append(Edge("agency-a", "LEADS", tid, {"name": "财政局", "order": 1, **span(40)}, SRC))
    g.edges.append(Edge("agency-a", "IN_SECTOR", "sector-finance", {}, SRC))
    batches = dict(shape_batches(g))
    assert len(batches["edge:LEADS"]) == 2
    assert len(batches["edge:IN_SECTOR"]) == 1


def test_maps_are_refused():
    with pytest.raises(BackendError, match="map"):
        shape_batches(GraphRows(nodes=[Node("x", "Task", {"bad": {"a": 1}}, SRC)]))


def test_shaping_is_deterministic():
    a = shape_batches(sample_rows(30), batch_size=8)
    b = shape_batches(sample_rows(30), batch_size=8)
    assert a == b


def test_seed_rows_shape_deterministically():
    """Two extractions of the seed give identical batches (ids are deterministic)."""
    from loaders.graph_rows import rows_for
    from loaders.pipeline import extract_file
    from policykg.config import BUNDLED_GAZETTE

    one = shape_batches(rows_for(extract_file(BUNDLED_GAZETTE)))
    two = shape_batches(rows_for(extract_file(BUNDLED_GAZETTE)))
    assert one == two
    ids = [row["id"] for name, rows in one if not name.startswith("edge:") for row in rows]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[\x21-\x7e]+", i) for i in ids)  # ASCII ids


def test_split_by_source():
    g = sample_rows(2)
    g.edges.append(Edge("agency-a", "IN_SECTOR", "sector-finance", {}, None))
    shared, per = split_by_source(g)
    assert {n.label for n in shared.nodes} <= SHARED_LABELS
    assert set(per) == {SRC}
    assert len(shared.edges) == 1
    assert len(per[SRC].nodes) + len(shared.nodes) == len(g.nodes)
    assert len(per[SRC].edges) + len(shared.edges) == len(g.edges)


def test_bad_batch_size():
    with pytest.raises(ValueError):
        shape_batches(sample_rows(1), batch_size=0)


# --------------------------------------------------------------------------- schema text

def test_schema_statements():
    stmts = schema_statements()
    assert all("IF NOT EXISTS" in s for s in stmts)
    for label in NODE_LABELS + ("Entity",):
        assert any(f"FOR (n:{label}) REQUIRE n.id IS UNIQUE" in s for s in stmts)
    fulltext = [s for s in stmts if s.startswith("CREATE FULLTEXT INDEX")]
    assert len(fulltext) == 2 and all("`fulltext.analyzer`: 'cjk'" in s for s in fulltext)
    assert any("TEXT INDEX" in s and "n.matchText" in s for s in stmts)
    assert any("(n:Deadline) ON (n.date)" in s for s in stmts)
    assert any("(n:CitedDocument) ON (n.matchKey)" in s for s in stmts)
    assert any("(n:Document) ON (n.docNumber)" in s for s in stmts)
    assert set(DELETE_OWNED_RELS) == set(REL_TYPES)


# --------------------------------------------------------------------------- errors without a server

def test_unreachable_server_is_a_transient_error_without_the_password():
    settings = Neo4jSettings(uri="bolt://127.0.0.1:1", user="neo4j", password="s3cret-pw", database="neo4j")
    w = Neo4jWriter(settings=settings)
    try:
        with pytest.raises(TransientBackendError) as info:
            w.verify()
    finally:
        w.close()
    assert "s3cret-pw" not in str(info.value) and "127.0.0.1:1" in str(info.value)
    assert "s3cret-pw" not in repr(settings)


# --------------------------------------------------------------------------- named-query loader

def test_every_named_query_has_both_twins_with_the_same_header():
    names = list_queries()
    assert {"departments_for_goal", "tasks_citing"} <= set(names)
    for name in names:
        rq, cy = load_query(name, "sparql"), load_query(name, "cypher")
        assert (rq.name, rq.params, rq.returns) == (cy.name, cy.params, cy.returns)
        assert cy.doc and cy.kind == "cypher"
        for p in cy.params:
            assert f"${p}" in cy.text


def test_load_query_header():
    q = load_query("tasks_citing", "cypher")
    assert q.params == ("reg",)
    assert q.returns[:2] == ("task_id", "task_title") and q.returns[-3:] == ("source", "start", "end")
    assert q.doc.startswith("Tasks that cite")


def test_unknown_queries_and_kinds():
    with pytest.raises(QueryError, match="no cypher query named 'nope'"):
        load_query("nope", "cypher")
    with pytest.raises(QueryError, match="not a query name"):
        load_query("../etc/passwd", "cypher")
    with pytest.raises(QueryError, match="unknown query kind"):
        load_query("tasks_citing", "gremlin")  # type: ignore[arg-type]


@pytest.mark.parametrize("text, message", [
    ("MATCH (n) RETURN n", "lacks // name:"),
    ("// name: x\n// returns: a\nMATCH (n) RETURN n", "// params:"),
    ("// name: x\n// params:\n// returns: a\nRETURN 1 AS a", None),
])
def test_parse_header(text, message):
    if message:
        with pytest.raises(QueryError, match=re.escape(message)):
            parse_header(text, "cypher")
    else:
        assert parse_header(text, "cypher") == ("x", (), ("a",), "")


def test_sparql_header_skips_markers():
    name, params, returns, doc = parse_header("# name: q\n# params: a, b\n# returns: x\n# Doc.\n#@values\nSELECT",
                                              "sparql")
    assert (name, params, returns, doc) == ("q", ("a", "b"), ("x",), "Doc.")


# --------------------------------------------------------------------------- read-only pre-check

@pytest.mark.parametrize("text", [
    "MATCH (t:Task) RETURN t.title",
    "MATCH (t:Task) WHERE t.title CONTAINS 'CREATE SET DELETE' RETURN t",
    "MATCH (t:Task) // we do not SET anything\nRETURN t",
    "MATCH (a:Agency)-[:LEADS]->(t) WITH a, count(t) AS n RETURN a.name, n ORDER BY n DESC",
    "CALL db.index.fulltext.queryNodes('task_fulltext', '税收') YIELD node RETURN node",
    "MATCH (n) RETURN n.offset AS `set`",
    "UNWIND [1,2] AS x RETURN x",
])
def test_read_queries_pass_the_precheck(text):
    check_read_only(text)


@pytest.mark.parametrize("text", [
    "CREATE (n:X)",
    "match (n) set n.x = 1",
    "MATCH (n) DETACH  DELETE n",
    "MATCH (n) REMOVE n.title",
    "MERGE (n:X {id: 1})",
    "DROP CONSTRAINT entity_id",
    "LOAD CSV FROM 'x' AS r RETURN r",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})",
    "CALL apoc.cypher.doIt('CREATE (n)', {})",
    "CALL db.createLabel('X')",
    "UNWIND [1] AS x FOREACH (i IN [1] | CREATE (:X))",
])
def test_write_queries_fail_the_precheck(text):
    with pytest.raises(QueryError, match="policykg runs user Cypher read-only"):
        check_read_only(text)


def test_the_driver_encodes_with_the_rust_extension():
    """neo4j-rust-ext is a dependency for speed (README, dependencies): the driver falls back to its pure
    Python PackStream silently when the extension is missing or does not match the driver's version."""
    from neo4j._codec.packstream import v1

    assert v1._rust_pack is not None, "neo4j-rust-ext is not installed or does not match the neo4j driver"
