"""The Neo4j writer and the Cypher runners against a real Neo4j 5.26 server.

Nothing here skips: an unreachable server FAILS every test (see neo4j_fixtures).
The tests clear the database they are pointed at.
"""
from __future__ import annotations

import pytest

try:  # `tests` importable as a (namespace) package, or this directory on sys.path
    from tests.integration.neo4j_fixtures import (neo4j_driver, neo4j_settings, neo4j_writer,  # noqa: F401
                                                  seed_extraction, seed_rows)
except ImportError:  # pragma: no cover
    from neo4j_fixtures import neo4j_driver, neo4j_settings, neo4j_writer, seed_extraction, seed_rows  # noqa: F401

from loaders.graph_rows import Edge, GraphRows, Node, match_key
from loaders.neo4j_writer import QUERIES, Neo4jWriter, WriteResult, shape_batches, split_by_source
from policykg.errors import BackendError, QueryError
from queries import load_query
from queries import cypher_runner
from queries.cypher_runner import run_cypher, run_user_cypher

pytestmark = pytest.mark.integration


def expected_counts(rows: GraphRows) -> tuple[int, int]:
    """(nodes, relationships) the rows must produce: unique ids, deduplicated edges."""
    nodes = len({n.id for n in rows.nodes})
    rels = sum(len(b) for name, b in shape_batches(rows) if name.startswith("edge:"))
    return nodes, rels


def snapshot(w: Neo4jWriter) -> tuple[dict, set[str], set[tuple]]:
    """Counts, node ids and relationships (src, type, dst, edgeKey) of the whole graph."""
    rels = {(r["a"], r["t"], r["b"], r["k"]) for r in w.driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, r.edgeKey AS k",
        database_=w.database).records}
    return w.counts(), w.ids(), rels


# --------------------------------------------------------------------------- schema

def test_schema_constraints_and_indexes(neo4j_writer):
    w = neo4j_writer
    w.ensure_schema()  # a second time: IF NOT EXISTS makes it a no-op
    db = w.database
    constraints = {r["name"]: r for r in w.driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties", database_=db).records}
    for label in ("Entity", "Document", "Provision", "Task", "Agency", "Target", "Deadline", "CitedDocument",
                  "Sector", "Jurisdiction"):
        c = constraints[f"{label.lower()}_id"]
        assert c["type"] == "UNIQUENESS" and c["labelsOrTypes"] == [label] and c["properties"] == ["id"]
    indexes = {r["name"]: r for r in w.driver.execute_query(
        "SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state, options", database_=db).records}
    assert indexes["document_doc_number"]["properties"] == ["docNumber"]
    assert indexes["task_match_text"]["type"] == "TEXT"
    assert indexes["cited_match_key"]["labelsOrTypes"] == ["CitedDocument"]
    assert indexes["deadline_date"]["properties"] == ["date"]
    for name, props in (("task_fulltext", ["title", "text"]), ("agency_fulltext", ["name", "canonical"])):
        ix = indexes[name]
        assert ix["type"] == "FULLTEXT" and ix["properties"] == props
        assert ix["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"
    assert all(ix["state"] == "ONLINE" for ix in indexes.values())


def test_cjk_fulltext_finds_a_task(neo4j_writer, seed_rows):
    w = neo4j_writer
    w.write(seed_rows)
    w.driver.execute_query("CALL db.awaitIndexes(120)", database_=w.database)
    recs = w.driver.execute_query(
        "CALL db.index.fulltext.queryNodes('task_fulltext', $q) YIELD node, score "
        "RETURN node.title AS title ORDER BY score DESC LIMIT 5", {"q": "税收优惠"}, database_=w.database).records
    assert any("税收优惠" in r["title"] for r in recs)


# --------------------------------------------------------------------------- idempotent reloads

def test_loading_the_seed_twice_changes_nothing(neo4j_writer, seed_rows):
    w = neo4j_writer
    first = w.write(seed_rows)
    assert first.dropped_edges == 0
    before = snapshot(w)
    nodes, rels = expected_counts(seed_rows)
    assert (before[0]["nodes"], before[0]["relationships"]) == (nodes, rels)
    assert before[1] == {n.id for n in seed_rows.nodes}

    again = w.write(seed_rows)
    assert snapshot(w) == before
    # the reload replaced the source's own nodes and kept the shared ones
    owned = {n.id for n in seed_rows.nodes if n.source_id}
    assert again.deleted_nodes == len(owned)

    w.write(seed_rows, replace_sources=set())  # a plain MERGE is idempotent too
    assert snapshot(w) == before


def test_properties_and_provenance_survive(neo4j_writer, seed_rows, seed_extraction):
    w = neo4j_writer
    w.write(seed_rows)
    text = seed_extraction.source.text
    recs = w.driver.execute_query(
        "MATCH (t:Task) RETURN t.id AS id, t.source AS source, t.sourceId AS sourceId, t.start AS start, "
        "t.end AS end, t.quote AS quote, labels(t) AS labels", database_=w.database).records
    assert recs
    for r in recs:
        assert sorted(r["labels"]) == ["Entity", "Task"]
        assert r["source"] == r["sourceId"] == seed_extraction.source.id
        assert text[r["start"]:r["end"]] == r["quote"]
    shared = w.driver.execute_query("MATCH (a:Agency) WHERE a.sourceId IS NOT NULL RETURN count(a) AS c",
                                    database_=w.database).records[0]["c"]
    assert shared == 0
    # the only relationships without a source: an agency's own sector and jurisdiction, once per agency
    no_source = w.driver.execute_query(
        "MATCH (a)-[r]->(b) WHERE r.sourceId IS NULL RETURN type(r) AS t, labels(a) AS la, a.id AS a, b.id AS b",
        database_=w.database).records
    assert no_source and {(r["t"], tuple(sorted(r["la"]))) for r in no_source} <= {
        ("IN_SECTOR", ("Agency", "Entity")), ("IN_JURISDICTION", ("Agency", "Entity"))}
    assert len({(r["t"], r["a"], r["b"]) for r in no_source}) == len(no_source)


def test_a_replace_that_fails_half_way_commits_nothing_and_a_rerun_converges(neo4j_writer, seed_rows):
    """A load killed inside a source's transaction: the source stays as it was."""
    w = neo4j_writer
    w.write(seed_rows)
    reference = snapshot(w)

    shared, per_source = split_by_source(seed_rows)
    (source_id, part), = per_source.items()
    batches = shape_batches(part, batch_size=100)
    half = batches[: len(batches) // 2]
    # a batch Neo4j refuses (a map is not a property value) makes the transaction fail
    # after the delete and half of the writes ran inside it
    poison = ("node:Task", [{"id": "poison", "props": {"id": "poison", "bad": {"nested": 1}}}])
    with pytest.raises(BackendError, match="nothing of it was committed"):
        w._replace_source(source_id, half + [poison], _fresh_result())
    assert snapshot(w) == reference  # rolled back: not half-deleted, not half-written

    # the same crash on an empty graph leaves nothing of the source behind
    w.clear()
    with pytest.raises(BackendError):
        w._replace_source(source_id, half + [poison], _fresh_result())
    assert w.counts()["nodes"] == 0
    w.write(seed_rows)
    assert snapshot(w) == reference


def test_a_partial_non_atomic_load_is_cleaned_up_by_the_rerun(neo4j_writer, seed_rows):
    """Half of the batches MERGEd without the delete step (plus a stale node), then a real load."""
    w = neo4j_writer
    w.write(seed_rows)
    reference = snapshot(w)

    _, per_source = split_by_source(seed_rows)
    (source_id, part), = per_source.items()
    stale = GraphRows(nodes=[Node(f"{source_id}-d1-t999", "Task", {"title": "旧任务", "matchText": "旧任务"},
                                  source_id)],
                      edges=[Edge(f"{source_id}-d1-t999", "IN_DOCUMENT", f"{source_id}-d1", {}, source_id)])
    partial = GraphRows(nodes=part.nodes[: len(part.nodes) // 2] + stale.nodes,
                        edges=part.edges[: len(part.edges) // 2] + stale.edges)
    w.clear()
    w.write(GraphRows(nodes=[n for n in seed_rows.nodes if n.source_id is None]), replace_sources=set())
    for name, batch in shape_batches(partial, batch_size=50)[:-1]:  # "killed" before the last batch
        w.driver.execute_query(QUERIES[name], {"rows": batch}, database_=w.database)
    assert snapshot(w) != reference

    w.write(seed_rows)
    assert snapshot(w) == reference


def test_delete_source_keeps_shared_nodes(neo4j_writer, seed_rows):
    w = neo4j_writer
    w.write(seed_rows)
    (source_id,) = {n.source_id for n in seed_rows.nodes if n.source_id}
    w.delete_source(source_id)
    c = w.counts()
    shared = [n for n in seed_rows.nodes if n.source_id is None]
    own_facts = {(e.type, e.src, e.dst) for e in seed_rows.edges if e.source_id is None}  # sector, jurisdiction
    assert c["nodes"] == len(shared) and c["relationships"] == len(own_facts) > 0
    assert w.delete_orphans() == len(shared)
    assert w.counts()["nodes"] == 0


def test_a_pruning_removal_deletes_only_the_shared_nodes_it_left_alone(neo4j_writer, seed_rows):
    """``prune_keep``: removing a source also deletes the shared nodes it referred to that nothing refers to
    any more, except the ids kept; a shared node it never touched is not even looked at (scoped, no scan)."""
    w = neo4j_writer
    w.write(seed_rows)
    (source_id,) = {n.source_id for n in seed_rows.nodes if n.source_id}
    shared = sorted({n.id for n in seed_rows.nodes if n.source_id is None})
    owned = {n.id for n in seed_rows.nodes if n.source_id}
    untouched = Node("agency-untouched", "Agency", {"name": "无人提及局", "matchKey": match_key("无人提及局")})
    w.write(GraphRows(nodes=[untouched]), replace_sources=set())
    # kept: a node with no sector or jurisdiction edges (one with them would keep those ends too)
    with_own_facts = {x for e in seed_rows.edges if e.source_id is None for x in (e.src, e.dst)}
    kept = next(i for i in shared if i not in with_own_facts)
    res = w.write(GraphRows(), replace_sources={source_id}, prune_keep={kept})
    assert res.deleted_nodes == len(owned) + len(shared) - 1
    assert w.ids() == {kept, untouched.id} and w.counts()["relationships"] == 0


def test_batched_write_equals_per_row_write(neo4j_writer, seed_rows):
    w = neo4j_writer
    batched = w.write(seed_rows)
    reference = snapshot(w)
    w.clear()
    per_row = w.write_per_row(seed_rows)
    assert snapshot(w) == reference
    assert per_row.statements > 10 * batched.statements
    print(f"\nseed load: batched {batched.seconds:.2f} s in {batched.statements} statements, "
          f"per-row {per_row.seconds:.2f} s in {per_row.statements} statements")


def test_writer_refuses_labels_outside_the_whitelist(neo4j_writer):
    w = neo4j_writer
    with pytest.raises(BackendError, match="not one of"):
        w.write(GraphRows(nodes=[Node("x", "Task`) DETACH DELETE (n", {}, "s")]))
    with pytest.raises(BackendError, match="not one of"):
        w.write(GraphRows(edges=[Edge("a", "KNOWS", "b", {}, "s")]))
    assert w.counts()["nodes"] == 0


# --------------------------------------------------------------------------- named queries

def test_departments_for_goal(neo4j_writer, seed_rows, seed_extraction):
    w = neo4j_writer
    w.write(seed_rows)
    q = load_query("departments_for_goal", "cypher")
    # '去库存' is in the work plan's title, not in its tasks' text: the contract matches both
    rows = run_cypher(w.driver, "departments_for_goal", {"goal": match_key("去库存")}, w.database)
    assert rows and all(list(r) == list(q.returns) for r in rows)
    leads = {r["agency"] for r in rows if r["role"] == "lead"}
    assert "市国土资源局" in leads
    assert {r["role"] for r in rows} == {"lead", "responsible"}
    gt = next(r for r in rows if r["agency"] == "市国土资源局" and r["role"] == "lead")
    assert gt["canonical"] == "绵阳市国土资源局"
    assert gt["doc_title"] == "绵阳市推进供给侧结构性改革去库存专项工作方案"
    assert {r["doc_id"] for r in rows} == {gt["doc_id"]}
    # a goal in a task's own text
    rows = run_cypher(w.driver, "departments_for_goal", {"goal": match_key("住房公积金")}, w.database)
    assert ("市住房公积金管理中心", "lead", "提高住房公积金使用率") in {
        (r["agency"], r["role"], r["task_title"]) for r in rows}
    text = seed_extraction.source.text
    for r in rows:  # source/start/end point at the task in the original text
        assert r["source"] == seed_extraction.source.id
        task = next(t for t in seed_extraction.tasks if t.id == r["task_id"])
        assert (r["start"], r["end"]) == (task.span.start, task.span.end)
        assert text[r["start"]:r["end"]] == task.span.quote
    # parameters are values, never text: quotes and brackets are harmless
    assert run_cypher(w.driver, "departments_for_goal", {"goal": "'}) DETACH DELETE (n"}, w.database) == []
    assert w.counts()["nodes"] == len({n.id for n in seed_rows.nodes})


def test_named_query_parameters_are_checked(neo4j_driver, neo4j_settings):
    with pytest.raises(QueryError, match="takes parameters"):
        run_cypher(neo4j_driver, "departments_for_goal", {"reg": "x"}, neo4j_settings.database)
    with pytest.raises(QueryError, match="no cypher query named"):
        run_cypher(neo4j_driver, "no_such_query", {}, neo4j_settings.database)


def test_tasks_citing_on_hand_made_rows(neo4j_writer):
    """The query's shape on rows that do not depend on the citation extractor."""
    w = neo4j_writer
    s = "src"
    span = {"source": s, "start": 10, "end": 20, "quote": "落实税收优惠。"}
    rows = GraphRows(
        nodes=[Node("src-d1", "Document", {"title": "方案", "docNumber": "绵府发〔2016〕1号", **span}, s),
               Node("src-d1-t1", "Task", {"title": "落实税收优惠", "text": "…", "matchText": "落实税收优惠", **span}, s),
               Node("src-d1-t2", "Task", {"title": "无牵头", "text": "…", "matchText": "无牵头", **span}, s),
               Node("agency-1", "Agency", {"name": "绵阳市财政局", "canonical": "绵阳市财政局"}),
               Node("cited-1", "CitedDocument", {"key": "财税〔2015〕119号", "docNumber": "财税〔2015〕119号",
                                                 "matchKey": "财税〔2015〕119号"}),
               Node("cited-2", "CitedDocument", {"key": "《关于完善研究开发费用税前加计扣除政策的通知》",
                                                 "title": "关于完善研究开发费用税前加计扣除政策的通知",
                                                 "matchKey": "关于完善研究开发费用税前加计扣除政策的通知",
                                                 "matchTitle": "关于完善研究开发费用税前加计扣除政策的通知"})],
        edges=[Edge("src-d1-t1", "IN_DOCUMENT", "src-d1", {}, s), Edge("src-d1-t2", "IN_DOCUMENT", "src-d1", {}, s),
               Edge("agency-1", "LEADS", "src-d1-t1", {"name": "市财政局", "order": 0, **span}, s),
               Edge("src-d1-t1", "CITES", "cited-1", {"relation": "implements", **span}, s),
               Edge("src-d1-t2", "CITES", "cited-2", {"relation": "refers_to", **span}, s)])
    w.write(rows)
    got = run_cypher(w.driver, "tasks_citing", {"reg": match_key("财税〔2015〕119号")}, w.database)
    assert [(r["task_title"], r["lead"], r["cited"], r["relation"], r["doc_number"]) for r in got] == [
        ("落实税收优惠", "市财政局", "财税〔2015〕119号", "implements", "绵府发〔2016〕1号")]
    got = run_cypher(w.driver, "tasks_citing", {"reg": match_key("研究开发费用")}, w.database)
    assert [(r["task_id"], r["lead"]) for r in got] == [("src-d1-t2", None)]


def test_tasks_citing_on_the_seed(neo4j_writer, seed_rows):
    w = neo4j_writer
    w.write(seed_rows)
    rows = run_cypher(w.driver, "tasks_citing", {"reg": match_key("财税〔2015〕119号")}, w.database)
    assert [(r["task_title"], r["lead"], r["cited"]) for r in rows] == [("落实税收优惠", "市财政局", "财税〔2015〕119号")]
    rows = run_cypher(w.driver, "tasks_citing", {"reg": match_key("绵府发〔2016〕13号")}, w.database)
    assert "加大奖补支持" in {r["task_title"] for r in rows}
    # the number as printed (full-width digits, other brackets) in match form finds the same
    rows = run_cypher(w.driver, "tasks_citing", {"reg": match_key("财税[２０１５]１１９号")}, w.database)
    assert [r["task_title"] for r in rows] == ["落实税收优惠"]


# --------------------------------------------------------------------------- user Cypher

def test_user_cypher_reads(neo4j_writer, seed_rows):
    w = neo4j_writer
    w.write(seed_rows)
    rows = run_user_cypher(w.driver, "MATCH (t:Task) WHERE t.title CONTAINS $w RETURN t.title AS title "
                                     "// SET in a comment is fine", {"w": "税收优惠"}, w.database)
    assert rows and all("税收优惠" in r["title"] for r in rows)
    rows = run_user_cypher(w.driver, "MATCH (t:Task) WHERE t.title = 'CREATE SET' RETURN count(t) AS n",
                           None, w.database)
    assert rows == [{"n": 0}]


@pytest.mark.parametrize("text", [
    "CREATE (n:Probe) RETURN n",
    "MATCH (t:Task) SET t.title = 'x'",
    "MATCH (n) DETACH DELETE n",
    "MERGE (n:Probe {id: 1})",
    "LOAD CSV FROM 'file:///x.csv' AS row RETURN row",
    "CALL apoc.create.node(['Probe'], {}) YIELD node RETURN node",
    "DROP INDEX task_fulltext",
])
def test_user_cypher_writes_are_refused_before_reaching_the_server(neo4j_writer, text):
    w = neo4j_writer
    with pytest.raises(QueryError, match="policykg runs user Cypher read-only"):
        run_user_cypher(w.driver, text, None, w.database)


def test_user_cypher_writes_that_slip_past_the_precheck_are_refused_by_the_server(neo4j_writer, monkeypatch):
    w = neo4j_writer
    monkeypatch.setattr(cypher_runner, "check_read_only", lambda text: None)
    with pytest.raises(QueryError, match="policykg runs user Cypher read-only"):
        run_user_cypher(w.driver, "CREATE (n:Probe) RETURN n", None, w.database)
    assert w.driver.execute_query("MATCH (n:Probe) RETURN count(n) AS c",
                                  database_=w.database).records[0]["c"] == 0


def _fresh_result() -> WriteResult:
    return WriteResult()
