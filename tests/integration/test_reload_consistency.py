"""Reloading a document, removing it, loading the laws before or after the gazettes: the embedded
store and the SPARQL server each end with the same N-Quads as a fresh build of the same files on
that store, shared and inferred graphs included (issue 13). Before: an agency only a reloaded
document named stayed in ``graph/shared``, and gazettes loaded after the laws had no ``owl:sameAs``
from their citations to the laws.

Neo4j ends with the same database as a fresh build into it: compared as a canonical dump (every node:
labels and all properties; every relationship: type, the ids of both ends, all properties), derived
facts (``Document.endOfForce``) included. Before: shared nodes only a reloaded or removed document
pointed at (an agency, its jurisdiction) stayed behind.

The server is the local ``oxigraph serve`` (started if needed; POLICYKG_OXIGRAPH_BIND picks its
port), emptied before each run by ``RemoteSparqlStore.clear`` — which refuses a server holding data
without the scratch marker, so a real one is never wiped. Its dump leaves the marker graph and the
keyword index's stamp graph (a new token per write) out.
Neo4j is emptied the same way (``Neo4jWriter.clear``: a scratch database only, its marker a schema
constraint that no dump sees); unreachable, it FAILS the tests (tests/integration/neo4j_fixtures.py).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from graph_api import PolicyGraph
from loaders.keyword_index import STAMP_GRAPH
from loaders.rdf_store import SCRATCH_GRAPH
from tests.conftest import SEED, SHARED
from tests.integration.neo4j_fixtures import neo4j_driver, neo4j_settings  # noqa: F401

pytestmark = pytest.mark.integration
BACKENDS = ["embedded", "sparql", "neo4j"]

FLOOD = """绵阳市人民政府办公室
关于做好２０１７年防汛减灾工作的通知

绵府办发〔２０１７〕１２号

为贯彻落实《中华人民共和国防洪法》和《中华人民共和国安全生产法》，切实做好全市防汛减灾工作，现将有关事项通知如下：

一、加强隐患排查。２０１７年５月底前完成全市水库、堤防和地质灾害隐患点排查。（牵头单位：市水务局；责任单位：市国土资源局、市安全监管局）

二、完善应急预案。依照《中华人民共和国防洪法》修订完善防汛应急预案。（牵头单位：市民政局；责任单位：市财政局、市水务局）

绵阳市人民政府办公室
２０１７年４月１０日
"""
#: the first version names a unit no other document names
FIRST = FLOOD.replace("市水务局；", "市防汛抗旱指挥部办公室；")



@pytest.fixture(params=BACKENDS)
def backend(request):
    if request.param == "sparql":
        request.getfixturevalue("sparql_server")
    elif request.param == "neo4j":
        request.getfixturevalue("neo4j_driver")  # reachable, or the test fails
    return request.param


@pytest.fixture()
def files(tmp_path):
    laws = tmp_path / "laws" / "行政法"
    laws.mkdir(parents=True)
    for name in ("防洪法(2016-07-02).md", "安全生产法(2021-06-10).md"):
        found = sorted((SHARED / "corpus" / "laws").glob(f"*/{name}"))
        assert found, f"{name} is missing from the shared laws corpus"
        (laws / name).write_bytes(found[0].read_bytes())
    flood = tmp_path / "in" / "flood-2017.txt"
    flood.parent.mkdir()
    return tmp_path / "laws", flood


def _neo4j_dump(g: PolicyGraph) -> set[bytes]:
    """Every node (labels, all properties) and every relationship (type, ``id`` of both ends, all
    properties) as one canonical JSON line each; a repeated line gets its count (``#2``, …)."""
    def line(value) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)

    nodes = g.backend.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = g.backend.read("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS src, b.id AS dst, "
                          "properties(r) AS props")
    lines = ["N " + line([sorted(r["labels"]), r["props"]]) for r in nodes]
    lines += ["R " + line([r["type"], r["src"], r["dst"], r["props"]]) for r in rels]
    seen: Counter = Counter()
    out = set()
    for x in lines:
        seen[x] += 1
        out.add((x if seen[x] == 1 else f"{x} #{seen[x]}").encode())
    return out


def _dump(g: PolicyGraph) -> set[bytes]:
    if g.backend_name == "embedded":
        return set(g.backend.dump().splitlines())
    if g.backend_name == "neo4j":
        return _neo4j_dump(g)
    marks = tuple(f"<{x}> .".encode() for x in (SCRATCH_GRAPH, STAMP_GRAPH))
    return {q for q in g.backend.store.dump_nquads().splitlines() if not q.endswith(marks)}


def _run(tmp_path: Path, backend: str, name: str, steps) -> set[bytes]:
    with PolicyGraph(backend, home=tmp_path / name) as g:
        if backend != "embedded":
            g.backend.clear()  # a scratch server only (refused otherwise)
            assert not _dump(g)
        for step in steps:
            step(g)
        return _dump(g)


def test_reloads_removals_and_law_order_give_the_fresh_graph(tmp_path, files, backend):
    laws, flood = files

    def text(t):
        return lambda g: flood.write_text(t, encoding="utf-8")

    def build(*paths):
        return lambda g: g.build(list(paths))

    fresh = _run(tmp_path, backend, "fresh", [text(FLOOD), build(SEED, flood), lambda g: g.load_laws(laws)])
    if backend == "neo4j":  # citations linked to the laws; a law repeals nothing here, so no endOfForce
        assert any(q.startswith(b'R ["SAME_AS"') and b'"law-' in q for q in fresh), sorted(fresh)[:3]
    else:
        assert any(b"owl#sameAs> <https://w3id.org/policykg/id/law/" in q for q in fresh)
    variants = {
        "laws first": [text(FLOOD), lambda g: g.load_laws(laws), build(SEED, flood)],
        "gazette after the laws": [build(SEED), lambda g: g.load_laws(laws), text(FLOOD), build(flood)],
        "reloaded with a unit gone": [text(FIRST), build(SEED, flood), lambda g: g.load_laws(laws),
                                      text(FLOOD), build(flood)],
        "removed, then built again": [text(FIRST), build(SEED, flood), lambda g: g.remove([flood]),
                                      text(FLOOD), lambda g: g.load_laws(laws), build(flood)],
    }
    for name, steps in variants.items():
        got = _run(tmp_path, backend, name.replace(" ", "-"), steps)
        assert got == fresh, (name, sorted(fresh - got)[:3], sorted(got - fresh)[:3])


def test_removing_a_document_gives_the_graph_without_it(tmp_path, files, backend):
    _, flood = files
    flood.write_text(FIRST, encoding="utf-8")
    seed_only = _run(tmp_path, backend, "seed", [lambda g: g.build([SEED])])
    removed = _run(tmp_path, backend, "removed", [lambda g: g.build([SEED, flood]), lambda g: g.remove([flood])])
    assert removed == seed_only
    assert not (tmp_path / "removed" / "sources" / "flood-2017.txt").exists()



def _without(rows, gone: set[str]):
    """``rows`` without the sources ``gone`` and the shared nodes only they referred to."""
    from loaders.graph_rows import GraphRows

    edges = [e for e in rows.edges if e.source_id not in gone]
    ends = {x for e in edges for x in (e.src, e.dst)}
    return GraphRows(nodes=[n for n in rows.nodes if n.source_id not in gone if n.source_id or n.id in ends],
                     edges=edges)


def _removing_repeals(tmp_path: Path, backend: str, gone: set[str]) -> set[bytes]:
    """The graph of tests/integration/test_end_of_force.py's rows with ``gone`` removed equals a fresh
    load without them; returns the fresh graph."""
    from tests.integration.test_end_of_force import SOURCES, _rows

    fresh = _run(tmp_path, backend, "fresh", [lambda g: g.backend.load(_without(_rows(), gone), SOURCES - gone)])
    got = _run(tmp_path, backend, "removed", [lambda g: g.backend.load(_rows(), SOURCES),
                                              lambda g: g.remove(sorted(gone))])
    assert got == fresh, (sorted(fresh - got)[:3], sorted(got - fresh)[:3])
    return fresh


def test_removing_a_repealing_document_derives_the_end_of_force_again(tmp_path, backend):
    """a is repealed by b (2018-03-01) and invalidated by c (2019-01-01): without b, a's end of force
    is c's issue date (the derived fact recomputed by the removal)."""
    fresh = _removing_repeals(tmp_path, backend, {"eof-b"})
    ended = [q for q in fresh if b"endOfForce" in q and (backend != "neo4j" or q.startswith(b'N [["Document"'))]
    assert len(ended) == 1 and b"2019-01-01" in ended[0] and b"eof-a-d1" in ended[0], ended


def test_removing_every_repealing_document_ends_no_force(tmp_path, backend):
    """Without b and c, a has no end of force, and the cited document only they named is gone (on the
    RDF stores too: the owl:sameAs b and c state to a's document is in their graphs, not in a's)."""
    fresh = _removing_repeals(tmp_path, backend, {"eof-b", "eof-c"})
    assert not [q for q in fresh if b"endOfForce" in q or "《关于a的规定》".encode() in q]
