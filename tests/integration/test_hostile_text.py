"""Injection strings inside a document are text: they reach every store as literals and come back as written.

A notice whose title holds a Cypher injection (`'}) DETACH DELETE n //`) and whose lead unit holds a
SPARQL one (`" } ; DROP ALL ; #`) is built with the seed into the embedded store, the SPARQL server
and Neo4j (real servers, scratch-marked and cleared first). Each backend answers with the strings
exactly as the extractor read them, and the seed beside them is whole.
"""
from __future__ import annotations

import pytest

from graph_api import PolicyGraph
from loaders.pipeline import extract_file
from tests.conftest import SEED, seed_on_three_backends

pytestmark = pytest.mark.integration

CYPHER = "'}) DETACH DELETE n //"
SPARQL = '" } ; DROP ALL ; #'
HOSTILE = (f"绵阳市人民政府办公室关于{CYPHER}的通知\n\n"
           f"一、加强隐患排查。完成全市水库、堤防排查。（牵头单位：{SPARQL}市水务局；责任单位：市国土资源局）\n\n"
           "二、完善应急预案。组织开展应急演练。（牵头单位：市民政局；责任单位：市财政局）\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory, servers):
    home = tmp_path_factory.mktemp("home")
    hostile = home / "hostile-notice.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    graphs = seed_on_three_backends(home)
    graphs["embedded"].build([hostile], also=["sparql", "neo4j"])
    yield extract_file(hostile), graphs
    for g in graphs.values():
        g.close()


@pytest.mark.parametrize("backend", ["embedded", "sparql", "neo4j"])
def test_injection_strings_come_back_as_written(built, backend):
    ex, graphs = built
    g: PolicyGraph = graphs[backend]
    title = ex.documents[0].title
    leads = [a.name for a in ex.tasks[0].lead]
    assert "'})" in title and "DETACH" in title and "//" in title  # (layout spaces between words may go)
    assert '" }' in leads and "DROP ALL" in leads, leads  # split at ； as a list of units
    answers = [a for a in g.departments_for("隐患排查") if a.evidence.source == ex.source.id]
    assert {a.evidence.doc_title for a in answers} == {title}
    assert sorted(a.agency for a in answers if a.role == "lead") == sorted(leads)
    # the seed beside it is whole
    assert len({a.task_id for a in g.departments_for("去库存")}) == 15
    assert [c.task_title for c in g.tasks_citing("财税〔2015〕119号")] == ["落实税收优惠"]
