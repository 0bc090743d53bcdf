"""RDF quality (issue 4): HermiT and pySHACL on the seed graph, golden RDF of a fixture by isomorphism,
the agency authority file and its build-time inference.

* HermiT (``ontology.reasoning.check_consistency``, needs Java) finds the ontology plus the seed
  graph, as ``PolicyGraph.build`` writes it (authority file + extraction + inferred triples),
  consistent; pySHACL finds that graph conforming to ``ontology/shapes.ttl``. Nothing here skips.
* ``tests/fixtures/tiny-gazette.txt`` (a hand-written gazette in the seed's style) gives the RDF in
  ``tests/fixtures/tiny-gazette.ttl``: compared as graphs (``rdflib.compare.isomorphic``), not as text.
  After a deliberate change to the writer, regenerate the golden file with
  ``python -m tests.unit.test_rdf_quality --regenerate`` and review its diff.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import ORG, RDF, SKOS

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loaders.authority import (AUTHORITY_TTL, authority_graph, authority_rows, infer, inferred_dataset,  # noqa: E402
                               load_authority, materialize_into)
from loaders.graph_rows import agency_id, merge_rows, rows_for  # noqa: E402
from loaders.pipeline import extract_file  # noqa: E402
from loaders.rdf_writer import graph_iri, to_dataset  # noqa: E402
from ontology.namespace import DATA, PKG  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "tiny-gazette.txt"
GOLDEN = ROOT / "tests" / "fixtures" / "tiny-gazette.ttl"
SEED = ROOT / "data" / "mianyang-gazette-2016-06.txt"
GOLDEN_HEADER = """\
# Golden RDF of tests/fixtures/tiny-gazette.txt: a hand-written 绵阳市 notice in the style of the
# bundled gazette (one document, two work items with 牵头/责任单位, a generic role 财政部门, deadlines,
# a target, citations, 有效期2年). Written by loaders.graph_rows.rows_for + loaders.rdf_writer.to_dataset
# (extraction only, no authority file; with the build-time inference), all named graphs merged.
# tests/unit/test_rdf_quality.py compares it by graph isomorphism, not as text. Regenerate after a
# deliberate change: python -m tests.unit.test_rdf_quality --regenerate (and review the diff).
"""


def union(ds: rdflib.Dataset) -> rdflib.Graph:
    from ontology.namespace import OA

    g = rdflib.Graph()
    for prefix, ns in (("pkg", PKG._NS), ("id", DATA), ("oa", OA), ("org", ORG), ("skos", SKOS)):
        g.bind(prefix, ns, override=True)
    for s, p, o, _c in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def fixture_dataset() -> rdflib.Dataset:
    return inferred_dataset(merge_rows([rows_for(extract_file(FIXTURE))]))


def seed_graph() -> rdflib.Graph:
    """The seed as PolicyGraph.build writes it: the authority file first, then the extraction."""
    return union(inferred_dataset(merge_rows([authority_rows(), rows_for(extract_file(SEED))])))


@pytest.fixture(scope="module")
def seed() -> rdflib.Graph:
    return seed_graph()


# --------------------------------------------------------------------------
# golden fixture, by isomorphism

def test_fixture_rdf_is_isomorphic_to_the_golden_file():
    got = union(fixture_dataset())
    want = rdflib.Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(got, want):
        _both, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        lines = [f"+ {t}" for t in sorted(only_got)[:15]] + [f"- {t}" for t in sorted(only_want)[:15]]
        pytest.fail(f"the RDF of {FIXTURE.name} differs from {GOLDEN.name} (+ written now, - golden; "
                    f"{len(only_got)} / {len(only_want)} triples):\n" + "\n".join(lines))


def test_fixture_named_graphs_and_facts():
    ds = fixture_dataset()
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names == {str(graph_iri("tiny-gazette-d1")), str(graph_iri(None)), str(DATA["graph/inferred"])}
    doc = DATA["document/tiny-gazette-d1"]
    g = union(ds)
    assert str(g.value(doc, PKG.validUntil)) == "2018-06-30"          # 有效期2年 from 2016-06-30
    assert str(g.value(doc, PKG.docNumber)) == "绵府办发〔2016〕99号"
    # the build-time inference: 市财政局 (sector fiscal) is one of the 财政部门 the second task names
    finance_role = DATA[f"agency/{_agency('财政部门')}"]
    inferred = ds.graph(DATA["graph/inferred"])
    assert (DATA[f"agency/{_agency('市财政局', '绵阳市')}"], ORG.classification, finance_role) in inferred
    assert (finance_role, RDF.type, PKG.GenericRole) in g


def _agency(name: str, jurisdiction: str | None = None) -> str:
    from loaders.authority import resolve

    return resolve(name, jurisdiction=jurisdiction).id


# --------------------------------------------------------------------------
# HermiT and pySHACL on the seed graph

def test_hermit_finds_the_ontology_and_the_seed_graph_consistent(seed):
    from ontology.reasoning import check_consistency

    t0 = time.perf_counter()
    check_consistency(seed)   # raises OntologyError when inconsistent (or when Java is missing)
    assert time.perf_counter() - t0 < 120


def test_pyshacl_conforms_on_the_seed_graph(seed):
    from ontology.reasoning import validate_shapes

    conforms, report = validate_shapes(seed)
    assert conforms, report[:4000]


def test_pyshacl_conforms_on_the_authority_file():
    from ontology.reasoning import validate_shapes

    conforms, report = validate_shapes(authority_graph())
    assert conforms, report[:4000]


# --------------------------------------------------------------------------
# the authority file

def test_every_written_lead_and_responsible_name_of_the_seed_is_in_the_authority_file():
    ex = extract_file(SEED)
    entries = load_authority().by_id()
    refs = [r for t in ex.tasks for r in t.lead + t.responsible]
    assert len({r.name for r in refs}) >= 60
    missing = sorted({r.name for r in refs if agency_id(r) not in entries})
    assert not missing, f"written names without an authority entry: {missing}"
    # the authority and the extractor agree on the sector (else an agency would get two)
    conflicts = sorted({(r.name, r.sector, entries[agency_id(r)].sector) for r in refs + [m.agency for m in ex.mentions]
                        if agency_id(r) in entries and r.sector and r.sector != entries[agency_id(r)].sector})
    assert not conflicts
    # canonical agencies carry their written names as skos:altLabel
    fin = entries[agency_id(next(r for r in refs if r.name == "市财政局"))]
    assert (fin.pref, fin.jurisdiction, fin.level, fin.sector) == ("绵阳市财政局", "绵阳市", "prefecture", "fiscal")
    assert "市财政局" in fin.alt


def test_authority_sectors_cover_the_lexicon():
    from loaders.extract.lexicon import lexicon

    a = load_authority()
    assert not a.problems, "\n".join(a.problems)   # every entry agrees with the alias data
    assert set(lexicon("agencies")["sectors"].values()) <= set(a.sectors)
    assert a.sectors["fiscal"]["broader"] == "finance"
    assert a.jurisdictions["绵阳市"]["within"] == "四川省"


def test_authority_rdf_uses_skos_and_pkg_terms():
    g = authority_graph()
    fin = DATA[f"agency/{_agency('市财政局', '绵阳市')}"]
    assert str(g.value(fin, SKOS.prefLabel)) == "绵阳市财政局"
    assert "市财政局" in {str(x) for x in g.objects(fin, SKOS.altLabel)}
    assert "绵阳财政局" in {str(x) for x in g.objects(fin, SKOS.hiddenLabel)}
    assert str(g.value(fin, PKG.agencyLevel)) == "prefecture"
    assert g.value(fin, PKG.sector) == DATA["sector/sector-fiscal"]
    assert (DATA["sector/sector-fiscal"], SKOS.broader, DATA["sector/sector-finance"]) in g
    mianyang = g.value(fin, PKG.jurisdiction)
    sichuan = g.value(mianyang, PKG.withinJurisdiction)
    assert str(g.value(sichuan, rdflib.RDFS.label)) == "四川省"
    role = DATA[f"agency/{_agency('财政部门')}"]
    assert (role, RDF.type, PKG.GenericRole) in g and (fin, ORG.classification, role) in g
    # a tax bureau is no 财政部门 (taxation is a sibling of fiscal under finance)
    tax = DATA[f"agency/{_agency('市国税局', '绵阳市')}"]
    assert (tax, ORG.classification, role) not in g


def test_authority_turtle_file_is_current():
    have = rdflib.Graph().parse(AUTHORITY_TTL, format="turtle")
    assert isomorphic(have, authority_graph()), \
        f"{AUTHORITY_TTL} is stale: run `python -m loaders.authority`"


def test_inference_is_fast_on_the_seed():
    ds = to_dataset(merge_rows([authority_rows(), rows_for(extract_file(SEED))]))
    t0 = time.perf_counter()
    added = materialize_into(ds)
    seconds = time.perf_counter() - t0
    assert added > 20 and seconds < 5, (added, seconds)
    assert not len(infer(union(ds)))   # a fixpoint: running the rules again derives nothing new


def regenerate() -> None:
    g = union(fixture_dataset())
    GOLDEN.write_bytes(GOLDEN_HEADER.encode("utf-8") + g.serialize(format="turtle", encoding="utf-8"))
    print(f"wrote {GOLDEN} ({len(g)} triples)")


if __name__ == "__main__":  # pragma: no cover
    if "--regenerate" in sys.argv:
        regenerate()
    else:
        print(__doc__)
