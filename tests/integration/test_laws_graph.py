"""About 50 real laws (the most cited ones and laws citing them) into the embedded store and Neo4j.

Both backends must hold the same law-to-law CITES edges, a policy document's citation of
《中华人民共和国预算法》 must become a SAME_AS to the law, and re-loading must replace each
law file's subgraph (same counts, nothing doubled). Neo4j that cannot be reached FAILS the
test, never skips it. Only this test's sources are touched in Neo4j (no clear), and they are
deleted at the end.
"""
from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # plain `pytest` without an installed package
    sys.path.insert(0, str(ROOT))

from graph_api import PolicyGraph  # noqa: E402
from loaders.graph_rows import cited_id  # noqa: E402
from loaders.laws import iter_laws, rows_for_laws  # noqa: E402
from tests.conftest import SHARED  # noqa: E402

pytestmark = pytest.mark.integration

LAWS = SHARED / "corpus" / "laws"
PKG = "PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX owl: <http://www.w3.org/2002/07/owl#> "
POLICY = ("某市人民政府关于加强预算管理的通知\n某府发〔2019〕3号\n各县区人民政府：\n"
          "为贯彻落实《中华人民共和国预算法》，现就有关事项通知如下。\n一、严格执行预算。\n")


def _pick(records, n=50):
    """The 10 most cited laws, 预算法 (for SAME_AS) and the laws citing them most, n in all."""
    by_id = {r.id: r for r in records}
    rows = rows_for_laws(records)
    cited = Counter(e.dst for e in rows.edges if e.dst in by_id)
    chosen = [i for i, _ in sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))[:10]]
    chosen += [r.id for r in records if Path(r.path).name == "预算法(2018-12-29).md"]
    hits = Counter(e.src for e in rows.edges if e.dst in set(chosen) and e.src not in chosen)
    for i, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(chosen) >= n:
            break
        chosen.append(i)
    return [by_id[i] for i in chosen]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    from policykg.errors import PolicyKGError
    from interface.services import neo4j_server

    if not LAWS.is_dir():
        pytest.fail(f"the laws corpus is missing at {LAWS}; set SHARED_DIR to the shared/ folder", pytrace=False)
    try:
        neo4j_server.start(wait=True, timeout=300)
    except PolicyKGError as exc:
        pytest.fail(f"Neo4j could not be started: {exc}", pytrace=False)
    tmp = tmp_path_factory.mktemp("laws")
    picked = _pick(list(iter_laws(LAWS)))
    for r in picked:  # the same category/file layout, so the same ids
        dst = tmp / "laws" / Path(r.path).relative_to(LAWS)
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(r.path, dst)
    policy = tmp / "laws-policy-sample.txt"
    policy.write_text(POLICY, encoding="utf-8")
    home = tmp / "home"
    g = PolicyGraph("embedded", home=home)
    neo = PolicyGraph("neo4j", home=home)
    try:
        g.build([policy], also=["neo4j"])
        report = g.load_laws(tmp / "laws", also=["neo4j"])
    except PolicyKGError as exc:
        pytest.fail(f"loading failed: {exc}", pytrace=False)
    sources = sorted({r.source_id for r in picked})
    yield {"g": g, "neo": neo, "report": report, "picked": picked, "sources": sources, "root": tmp / "laws"}
    # leave Neo4j as we found it: our sources, and the cited documents only they pointed at
    writer = neo.backend.writer
    for s in sources + ["laws-policy-sample"]:
        writer.delete_source(s)
    ids = [cited_id("《中华人民共和国预算法》")] + [n.id for n in rows_for_laws(picked).nodes
                                               if n.label == "CitedDocument"] + _extracted_cited(picked)
    writer._run("cleaning up", "MATCH (c:CitedDocument) WHERE c.id IN $ids AND NOT (c)--() DELETE c", {"ids": ids})
    g.close()
    neo.close()


def _extracted_cited(records) -> list[str]:
    """The cited documents the extractor read in the laws' texts (loaded with them)."""
    from loaders.graph_rows import rows_for
    from loaders.laws import extract_law

    return [n.id for r in records for n in rows_for(extract_law(r)).nodes if n.label == "CitedDocument"]


def _embedded_law_cites(g, sources) -> set[tuple[str, str, str]]:
    rows = g.sparql(PKG + """PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?a ?b ?rel WHERE { ?x a pkg:Law ; dcterms:identifier ?a ; pkg:hasCitation ?c .
        ?c pkg:citedResource ?y ; pkg:relation ?rel . ?y a pkg:Law ; dcterms:identifier ?b }""")
    return {(r["a"], r["b"], r["rel"]) for r in rows if r["a"].rsplit("-", 1)[0] in sources}


def _neo4j_law_cites(neo, sources) -> set[tuple[str, str, str]]:
    rows = neo.cypher("MATCH (a:Law)-[r:CITES]->(b:Law) WHERE a.sourceId IN $sources "
                      "RETURN a.id AS a, b.id AS b, r.relation AS rel", sources=sources)
    return {(r["a"], r["b"], r["rel"]) for r in rows}


def test_law_to_law_citations_are_the_same_in_both_backends(loaded):
    g, neo, report, sources = loaded["g"], loaded["neo"], loaded["report"], loaded["sources"]
    assert report.files == 50 and not report.errors
    emb = _embedded_law_cites(g, set(sources))
    n4j = _neo4j_law_cites(neo, sources)
    assert len(emb) == report.law_to_law_edges > 50
    assert emb == n4j
    n_laws = neo.cypher("MATCH (l:Law) WHERE l.sourceId IN $s RETURN count(l) AS n", s=sources)[0]["n"]
    assert n_laws == 50
    assert g.sparql(PKG + "SELECT (COUNT(DISTINCT ?l) AS ?n) WHERE { ?l a pkg:Law }")[0]["n"] == "50"


def test_a_known_edge_in_both(loaded):
    by_name = {Path(r.path).name: r for r in loaded["picked"]}
    src, dst = by_name["行政诉讼法(2017-06-27).md"], by_name["宪法.md"]
    edge = (src.id, dst.id, "based_on")  # 第一条 …根据宪法，制定本法。
    assert edge in _embedded_law_cites(loaded["g"], set(loaded["sources"]))
    assert edge in _neo4j_law_cites(loaded["neo"], loaded["sources"])


def test_policy_citation_is_the_same_as_the_law(loaded):
    law = next(r for r in loaded["picked"] if Path(r.path).name == "预算法(2018-12-29).md")
    cid = cited_id("《中华人民共和国预算法》")
    assert loaded["report"].same_as == {"embedded": 1, "neo4j": 1}
    rows = loaded["g"].sparql(PKG + f"""PREFIX dcterms: <http://purl.org/dc/terms/>
        ASK {{ ?c dcterms:identifier "{cid}" ; owl:sameAs ?l . ?l a pkg:Law ; dcterms:identifier "{law.id}" }}""")
    assert rows == [{"result": True}]
    n = loaded["neo"].cypher("MATCH (c:CitedDocument {id: $c})-[:SAME_AS]->(l:Law {id: $l}) RETURN count(*) AS n",
                             c=cid, l=law.id)
    assert n[0]["n"] == 1


def test_reload_replaces_each_law_file(loaded):
    g, neo, sources = loaded["g"], loaded["neo"], loaded["sources"]
    before = (_embedded_law_cites(g, set(sources)), _neo4j_law_cites(neo, sources))
    triples = len(g.backend.store.store)
    report = g.load_laws(loaded["root"], also=["neo4j"])
    assert report.files == 50
    assert (_embedded_law_cites(g, set(sources)), _neo4j_law_cites(neo, sources)) == before
    assert len(g.backend.store.store) == triples
    n_rels = neo.cypher("MATCH (a:Law)-[r]->() WHERE a.sourceId IN $s RETURN count(r) AS n", s=sources)[0]["n"]
    assert n_rels == report.edges


def test_reloading_one_file_keeps_its_links_both_ways(loaded, tmp_path):
    """A single law re-loaded alone: its citations still resolve to the laws already loaded, and the
    citations other laws drew to it survive (Neo4j re-draws them after DETACH DELETE)."""
    g, neo, sources = loaded["g"], loaded["neo"], loaded["sources"]
    before = (_embedded_law_cites(g, set(sources)), _neo4j_law_cites(neo, sources))
    one = next(r for r in loaded["picked"] if Path(r.path).name == "行政诉讼法(2017-06-27).md")
    assert any(b == one.id for _, b, _ in before[0]) and any(a == one.id for a, _, _ in before[0])
    dst = tmp_path / "laws" / Path(one.path).relative_to(LAWS)
    dst.parent.mkdir(parents=True)
    shutil.copy(one.path, dst)
    report = g.load_laws(tmp_path / "laws", also=["neo4j"])
    assert report.files == 1
    assert _embedded_law_cites(g, set(sources)) == before[0]
    assert _neo4j_law_cites(neo, sources) == before[1]
