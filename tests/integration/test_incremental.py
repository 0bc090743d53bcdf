"""Incremental updates: adding or re-loading one document changes only its subgraph, in both backends.

Build the seed, then a second small gazette (a 2017 flood-season notice written here): the seed's
subgraph is unchanged and the new file adds exactly its own nodes (plus the shared agencies and
cited documents it is the first to name); re-loading the seed gives the same counts as before.
Checked on the embedded store (quads per named graph, node ids) and on Neo4j (nodes and
relationships per source, every node id). Neo4j is a real server these tests own (they clear it);
when it cannot be reached they FAIL, never skip.
"""
from __future__ import annotations

from collections import Counter

import pytest

from graph_api import PolicyGraph
from tests.conftest import SEED
from tests.integration.neo4j_fixtures import neo4j_driver, neo4j_settings, neo4j_writer  # noqa: F401

pytestmark = pytest.mark.integration

SECOND = """绵阳市人民政府办公室
关于做好２０１７年防汛减灾工作的通知

绵府办发〔２０１７〕１２号

各县市区人民政府，科技城管委会，市级各部门：

为贯彻落实《中华人民共和国防洪法》，切实做好全市防汛减灾工作，现将有关事项通知如下：

一、加强隐患排查。２０１７年５月底前完成全市水库、堤防和地质灾害隐患点排查，建立隐患台账。（牵头单位：市水务局；责任单位：市国土资源局、市安全监管局）

二、完善应急预案。修订完善防汛应急预案，２０１７年６月底前组织开展应急演练。（牵头单位：市民政局；责任单位：市财政局、市水务局）

三、落实资金保障。市财政安排防汛资金不少于２０００万元，支持防汛物资储备。（牵头单位：市财政局；责任单位：市发展改革委）

绵阳市人民政府办公室

２０１７年４月１０日
"""
SEED_ID = SEED.stem  # source ids are file stems
SECOND_ID = "mianyang-flood-2017"


@pytest.fixture()
def second(tmp_path):
    p = tmp_path / f"{SECOND_ID}.txt"
    p.write_text(SECOND, encoding="utf-8")
    return p


# -- embedded -----------------------------------------------------------------

def _rdf_state(g: PolicyGraph) -> dict:
    store = g.backend.store.store
    per_graph: Counter = Counter()
    subjects: set[str] = set()
    for q in store.quads_for_pattern(None, None, None, None):
        per_graph[q.graph_name.value if hasattr(q.graph_name, "value") else "default"] += 1
        subjects.add(q.subject.value if hasattr(q.subject, "value") else str(q.subject))
    prefix = "https://w3id.org/policykg/id/graph/"
    return {"seed": {k: v for k, v in per_graph.items() if k.startswith(prefix + SEED_ID + "-d")},
            "second": {k: v for k, v in per_graph.items() if k.startswith(prefix + SECOND_ID + "-d")},
            "total": len(store), "subjects": subjects}


def test_embedded_store_is_incremental(tmp_path, second):
    g = PolicyGraph("embedded", home=tmp_path / "home")
    try:
        g.build([SEED])
        first = _rdf_state(g)
        assert first["seed"] and not first["second"]
        seed_answer = g.departments_for("去库存")

        g.build([second])  # add one document
        added = _rdf_state(g)
        assert added["seed"] == first["seed"], "adding a document changed the seed's named graphs"
        assert len(added["second"]) == 1 and sum(added["second"].values()) > 50
        assert first["subjects"] <= added["subjects"]
        assert g.departments_for("去库存") == seed_answer
        assert {a.task_title for a in g.departments_for("防汛")} == {"加强隐患排查", "完善应急预案", "落实资金保障"}

        g.build([SEED])  # re-load the seed: same counts, nothing doubled
        again = _rdf_state(g)
        assert again["seed"] == first["seed"] and again["second"] == added["second"]
        assert again["total"] == added["total"] and again["subjects"] == added["subjects"]

        g.build([second])  # and the new one again
        assert _rdf_state(g)["total"] == added["total"]
    finally:
        g.close()


# -- Neo4j --------------------------------------------------------------------

def _neo4j_state(writer) -> dict:
    run = lambda q, **p: writer._run("counting", q, p).records  # noqa: E731
    per_source = {s: {"nodes": run("MATCH (n:Entity {sourceId: $s}) RETURN count(n) AS c", s=s)[0]["c"],
                      "rels": run("MATCH ()-[r {sourceId: $s}]->() RETURN count(r) AS c", s=s)[0]["c"],
                      "labels": {r["l"]: r["c"] for r in run(
                          "MATCH (n:Entity {sourceId: $s}) UNWIND labels(n) AS l RETURN l, count(*) AS c", s=s)}}
                  for s in (SEED_ID, SECOND_ID)}
    c = writer.counts()
    return {"per_source": per_source, "nodes": c["nodes"], "rels": c["relationships"], "ids": writer.ids()}


def test_neo4j_is_incremental(tmp_path, second, neo4j_writer):
    g = PolicyGraph("embedded", home=tmp_path / "home")
    try:
        g.build([SEED], also=["neo4j"])
        first = _neo4j_state(neo4j_writer)
        assert first["per_source"][SEED_ID]["nodes"] > 300 and first["per_source"][SECOND_ID]["nodes"] == 0

        g.build([second], also=["neo4j"])
        added = _neo4j_state(neo4j_writer)
        assert added["per_source"][SEED_ID] == first["per_source"][SEED_ID], "adding a document changed the seed"
        new = added["per_source"][SECOND_ID]
        assert new["labels"].get("Task") == 3 and new["labels"].get("Document") == 1
        assert first["ids"] <= added["ids"]
        # what is new is the file's own nodes plus shared nodes it is the first to name (防洪法)
        fresh = added["ids"] - first["ids"]
        assert len(fresh) - new["nodes"] <= 3
        assert added["nodes"] == first["nodes"] + len(fresh)

        g.build([SEED], also=["neo4j"])  # re-load the seed
        again = _neo4j_state(neo4j_writer)
        assert again["per_source"] == added["per_source"]
        assert (again["nodes"], again["rels"], again["ids"]) == (added["nodes"], added["rels"], added["ids"])
        neo = PolicyGraph("neo4j", home=tmp_path / "home")
        try:
            assert {a.task_title for a in neo.departments_for("防汛")} == {"加强隐患排查", "完善应急预案", "落实资金保障"}
        finally:
            neo.close()
    finally:
        g.close()
