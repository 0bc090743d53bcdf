"""A document's end of force is a fact derived at load (issue 12), the same on every backend.

``pkg:endOfForce`` / ``Document.endOfForce``: the earliest issue date of a document that repeals or
invalidates it (through the cited document's SAME_AS). The RDF stores derive it with the build-time
inference (loaders/rdf_store.py DOCUMENT_RULES), Neo4j after each load (backends/neo4j.py); the
named query in_force_on reads it. The seed has no repeals, so the corpus here is written as rows:

    a  issued 2015-01-01                     (repealed by b, invalidated by c)
    b  issued 2018-03-01, 《A》同时废止       (source eof-b)
    c  issued 2019-01-01, declares A invalid (source eof-c)
    d  issued 2016-01-01, repealed by e, which has no issue date (so d stays in force)
"""
from __future__ import annotations

from datetime import date

import pytest

from loaders.graph_rows import Edge, GraphRows, Node, cited_id, match_key

pytestmark = pytest.mark.integration


def _doc(doc_id: str, source: str, issued, issuer: str) -> Node:
    title = f"关于{doc_id}的规定"
    return Node(doc_id, "Document", {
        "docNumber": None, "title": title, "issuer": issuer, "issueDate": issued, "docType": "规定",
        "addressees": [], "validUntil": None, "matchKey": match_key(title), "matchTitle": match_key(title),
        "source": source, "start": 0, "end": 10, "quote": title}, source)


def _cites(src_doc: str, source: str, key: str, target: str, relation: str) -> list:
    cid = cited_id(key)
    node = Node(cid, "CitedDocument", {"key": key, "docNumber": None, "title": key.strip("《》"),
                                       "matchKey": match_key(key), "matchTitle": match_key(key)})
    return [node, Edge(src_doc, "CITES", cid, {"relation": relation, "source": source, "start": 20, "end": 30,
                                                "quote": key}, source),
            Edge(cid, "SAME_AS", target, {}, source)]


def _rows(with_b_repeal: bool = True) -> GraphRows:
    rows = GraphRows()
    rows.nodes += [_doc("eof-a-d1", "eof-a", "2015-01-01", "青禾市人民政府"),
                   _doc("eof-b-d1", "eof-b", "2018-03-01", "青禾市人民政府"),
                   _doc("eof-c-d1", "eof-c", "2019-01-01", "四川省人民政府"),
                   _doc("eof-d-d1", "eof-d", "2016-01-01", "青禾市人民政府办公室"),
                   _doc("eof-e-d1", "eof-e", None, "青禾市人民政府办公室")]
    parts = [_cites("eof-c-d1", "eof-c", "《关于a的规定》", "eof-a-d1", "invalidates"),
             _cites("eof-e-d1", "eof-e", "《关于d的规定》", "eof-d-d1", "repeals")]
    if with_b_repeal:
        parts.insert(0, _cites("eof-b-d1", "eof-b", "《关于a的规定》", "eof-a-d1", "repeals"))
    seen = set()
    for part in parts:
        for x in part:
            if isinstance(x, Node):
                if x.id not in seen:
                    seen.add(x.id)
                    rows.nodes.append(x)
            else:
                rows.edges.append(x)
    return rows


SOURCES = {"eof-a", "eof-b", "eof-c", "eof-d", "eof-e"}  # document ids <source>-d<n>, as the extractor mints them


def _of(rows: GraphRows, source: str) -> GraphRows:
    """The rows a load of ``source`` alone writes: its nodes and edges, and the shared nodes (the
    other sources' nodes its edges point at are ``known``: already in the store)."""
    return GraphRows(nodes=[n for n in rows.nodes if n.source_id in (None, source)],
                     edges=[e for e in rows.edges if e.source_id == source],
                     known={n.id: n.label for n in rows.nodes if n.source_id not in (None, source)})


@pytest.fixture(scope="module")
def backends(tmp_path_factory, servers):
    from backends import open_backend

    out = {"embedded": open_backend("embedded", home=tmp_path_factory.mktemp("home"))}
    for name in ("sparql", "neo4j"):
        out[name] = open_backend(name)
        out[name].clear()
    for b in out.values():
        b.load(_rows(), SOURCES)
    yield out
    for b in out.values():
        b.close()


def _in_force(b, on: date, issued_by=None) -> list[str]:
    return sorted(r["doc_id"] for r in b.run("in_force_on", {"on_date": on, "issued_by": issued_by}))


@pytest.mark.parametrize("name", ["embedded", "sparql", "neo4j"])
def test_repeal_ends_force_on_the_repealing_documents_issue_date(backends, name):
    b = backends[name]
    assert _in_force(b, date(2018, 2, 28)) == ["eof-a-d1", "eof-d-d1"]
    # b repeals a on the day it is issued; c (2019) invalidating it too does not move the end
    assert _in_force(b, date(2018, 3, 1)) == ["eof-b-d1", "eof-d-d1"]
    assert _in_force(b, date(2019, 6, 1)) == ["eof-b-d1", "eof-c-d1", "eof-d-d1"]
    # the scope: documents whose issuer contains the fragment
    assert _in_force(b, date(2019, 6, 1), match_key("四川省")) == ["eof-c-d1"]
    assert _in_force(b, date(2017, 1, 1), match_key("青禾市人民政府办公室")) == ["eof-d-d1"]


def test_end_of_force_is_a_stored_fact(backends):
    rdf = backends["embedded"].read(
        "PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT ?d ?end WHERE { ?d pkg:endOfForce ?end }")
    assert [(r["d"].rsplit("/", 1)[-1], r["end"]) for r in rdf] == [("eof-a-d1", "2018-03-01")]
    cy = backends["neo4j"].read("MATCH (d:Document) WHERE d.endOfForce IS NOT NULL RETURN d.id AS d, d.endOfForce AS e")
    assert [(r["d"], r["e"]) for r in cy] == [("eof-a-d1", "2018-03-01")]


def test_reloading_the_repealing_source_derives_the_end_again(backends):
    # eof-b loaded again without its repeal: a's end of force moves to c's issue date, everywhere
    try:
        for b in backends.values():
            b.load(_of(_rows(with_b_repeal=False), "eof-b"), {"eof-b"})
        for name, b in backends.items():
            assert _in_force(b, date(2018, 6, 1)) == ["eof-a-d1", "eof-b-d1", "eof-d-d1"], name
            assert _in_force(b, date(2019, 1, 1)) == ["eof-b-d1", "eof-c-d1", "eof-d-d1"], name
    finally:
        for b in backends.values():
            b.load(_of(_rows(), "eof-b"), {"eof-b"})
