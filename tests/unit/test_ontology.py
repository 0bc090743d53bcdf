"""The ontology package: generated files, namespace, shapes, HermiT and OWL-RL."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:          # plain `pytest` without an installed package
    sys.path.insert(0, str(ROOT))

from ontology import (DATA, ELI, ORG, PKG, load_ontology_graph, ontology_path,  # noqa: E402
                      shapes_path, turtle_path)
from ontology import build as ontology_build  # noqa: E402
from ontology import reasoning  # noqa: E402
from policykg.errors import OntologyError  # noqa: E402

# XSD terms as constants: pytest probes module globals, and rdflib's open XSD namespace
# warns on unknown attributes.
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
SKOS_DEFINITION = URIRef("http://www.w3.org/2004/02/skos/core#definition")
PKG_NS = str(PKG._NS)
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
              OWL.NamedIndividual)


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return load_ontology_graph()


def declared_pkg_terms(graph: rdflib.Graph) -> set[str]:
    return {str(s)[len(PKG_NS):] for t in TERM_TYPES for s in graph.subjects(RDF.type, t)
            if isinstance(s, URIRef) and str(s).startswith(PKG_NS)}


# --------------------------------------------------------------------------
# namespace <-> ontology files
# --------------------------------------------------------------------------

def test_namespace_and_turtle_declare_the_same_terms(onto):
    in_namespace = set(PKG.__annotations__)
    in_turtle = declared_pkg_terms(onto)
    assert in_namespace == in_turtle, (
        f"only in namespace.py: {sorted(in_namespace - in_turtle)}; "
        f"only in policykg.ttl: {sorted(in_turtle - in_namespace)}")
    # nothing in the pkg namespace is used without being declared
    used = {str(t)[len(PKG_NS):] for triple in onto for t in triple
            if isinstance(t, URIRef) and str(t).startswith(PKG_NS)}
    assert used <= in_turtle


def test_every_term_has_zh_and_en_labels_and_a_definition(onto):
    for name in PKG.__annotations__:
        term = PKG[name]
        langs = {lit.language for lit in onto.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, name
        definitions = [d for d in onto.objects(term, SKOS_DEFINITION) if d.language == "en"]
        assert definitions and all(str(d).strip() for d in definitions), name


def test_expected_terms_and_alignments(onto):
    for name in ["PolicyDocument", "ExternalDocument", "Law", "Provision", "Task", "Target",
                 "Deadline", "InstantDeadline", "WindowDeadline", "RelativeDeadline",
                 "RecurringDeadline", "Agency", "AgencyMention", "Sector", "GenericRole",
                 "Jurisdiction", "Citation", "AgencyChange"]:
        assert (PKG[name], RDF.type, OWL.Class) in onto, name
    for name in ["responsibleFor", "leads", "sharesResponsibilityFor", "cites", "implements",
                 "basedOn", "repeals", "continues", "invalidates", "refersTo", "hasTarget",
                 "hasDeadline", "hasTask", "taskOf", "issuedBy", "partOf", "jurisdiction",
                 "sector", "mentions", "mentionOf", "succeededBy"]:
        assert (PKG[name], RDF.type, OWL.ObjectProperty) in onto, name
    for name in ["docNumber", "title", "issueDate", "docType", "startOffset", "endOffset",
                 "quote", "path", "taskKind", "value", "unit", "comparator", "metric",
                 "targetYear", "deadlineDate", "deadlineKind", "durationValue", "durationUnit",
                 "relation", "writtenName", "validUntil", "inForceFrom", "agencyLevel"]:
        assert (PKG[name], RDF.type, OWL.DatatypeProperty) in onto, name
    assert (PKG.unitWorkingDay, RDF.type, rdflib.namespace.TIME.TemporalUnit) in onto
    assert (PKG.PolicyDocument, RDFS.subClassOf, ELI.LegalResource) in onto
    assert (PKG.Provision, RDFS.subClassOf, ELI.LegalResourceSubdivision) in onto
    assert (PKG.Agency, RDFS.subClassOf, ORG.Organization) in onto
    assert (PKG.AgencyChange, RDFS.subClassOf, ORG.ChangeEvent) in onto
    assert (PKG.leads, RDFS.subPropertyOf, PKG.responsibleFor) in onto
    assert (PKG.implements, RDFS.subPropertyOf, ELI.ensures_implementation_of) in onto
    assert (PKG.cites, RDFS.subPropertyOf, ELI.cites) in onto
    assert (PKG.taskOf, OWL.inverseOf, PKG.hasTask) in onto
    assert (PKG.value, RDFS.range, XSD_DECIMAL) in onto
    assert (PKG.issueDate, RDFS.range, XSD_DATE) in onto
    # reused terms are declared, not redefined
    assert not list(onto.triples((ORG.subOrganizationOf, RDFS.domain, None)))


def test_owl_and_turtle_hold_the_same_triples(onto):
    owl = rdflib.Graph().parse(ontology_path(), format="xml")
    assert isomorphic(owl, onto)


def test_unknown_term_raises():
    assert PKG.Task == URIRef(PKG_NS + "Task")
    assert DATA["task/1"] == URIRef("https://w3id.org/policykg/id/task/1")
    with pytest.raises(AttributeError):
        PKG.NoSuchTerm  # noqa: B018
    with pytest.raises(AttributeError):
        PKG.Tsk  # noqa: B018


# --------------------------------------------------------------------------
# the build
# --------------------------------------------------------------------------

def test_build_is_deterministic_and_checked_in_files_are_current(tmp_path):
    first = ontology_build.build(tmp_path / "a")
    second = ontology_build.build(tmp_path / "b")
    for key in ("owl", "ttl", "namespace"):
        assert first[key].read_bytes() == second[key].read_bytes(), key
    assert first["owl"].read_bytes() == ontology_path().read_bytes(), \
        "policykg.owl is stale: run `python -m ontology.build`"
    assert first["ttl"].read_bytes() == turtle_path().read_bytes(), \
        "policykg.ttl is stale: run `python -m ontology.build`"
    assert first["namespace"].read_bytes() == (ROOT / "ontology" / "namespace.py").read_bytes(), \
        "namespace.py is stale: run `python -m ontology.build`"


def test_shapes_disjointness_mirrors_the_ontology(onto):
    shapes = rdflib.Graph().parse(shapes_path(), format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")

    def members(graph, node):
        return set(rdflib.collection.Collection(graph, node))

    axioms = {frozenset(members(onto, m)) for a in onto.subjects(RDF.type, OWL.AllDisjointClasses)
              for m in onto.objects(a, OWL.members)}
    in_shapes = set()
    for shape in shapes.subjects(sh.xone, None):
        options = members(shapes, shapes.value(shape, sh.xone))
        in_shapes.add(frozenset(shapes.value(o, sh["class"]) for o in options))
    assert axioms == in_shapes


# --------------------------------------------------------------------------
# data for the shape and reasoning tests
# --------------------------------------------------------------------------

DOC, TASK, AGENCY, TARGET, DEADLINE = (DATA["doc/1"], DATA["task/1"], DATA["agency/1"],
                                       DATA["target/1"], DATA["deadline/1"])


def good_graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.add((DOC, RDF.type, PKG.PolicyDocument))
    g.add((DOC, PKG.title, Literal("绵阳市人民政府关于印发2016年重点工作任务分解方案的通知")))
    g.add((DOC, PKG.docNumber, Literal("绵府发〔2016〕12号")))
    g.add((DOC, PKG.issueDate, Literal("2016-06-01", datatype=XSD_DATE)))
    g.add((TASK, RDF.type, PKG.Task))
    g.add((TASK, PKG.partOf, DOC))
    g.add((TASK, PKG.startOffset, Literal(120)))
    g.add((TASK, PKG.endOffset, Literal(168)))
    g.add((TASK, PKG.quote, Literal("城镇化率达到50%。牵头单位：市发展改革委")))
    g.add((TASK, PKG.taskKind, Literal("work_item")))
    g.add((AGENCY, RDF.type, PKG.Agency))
    g.add((AGENCY, RDFS.label, Literal("绵阳市发展和改革委员会", lang="zh")))
    g.add((AGENCY, PKG.leads, TASK))
    g.add((TARGET, RDF.type, PKG.Target))
    g.add((TARGET, PKG.value, Literal("50", datatype=XSD_DECIMAL)))
    g.add((TARGET, PKG.unit, Literal("%")))
    g.add((TARGET, PKG.metric, Literal("城镇化率")))
    g.add((TASK, PKG.hasTarget, TARGET))
    g.add((DEADLINE, RDF.type, PKG.InstantDeadline))
    g.add((DEADLINE, PKG.deadlineDate, Literal("2016-12-31", datatype=XSD_DATE)))
    g.add((TASK, PKG.hasDeadline, DEADLINE))
    return g


def without(graph: rdflib.Graph, *patterns) -> rdflib.Graph:
    g = rdflib.Graph()
    for triple in graph:
        g.add(triple)
    for pattern in patterns:
        g.remove(pattern)
    return g


def plus(graph: rdflib.Graph, *triples) -> rdflib.Graph:
    for triple in triples:
        graph.add(triple)
    return graph


# --------------------------------------------------------------------------
# SHACL
# --------------------------------------------------------------------------

def test_good_data_conforms():
    conforms, report = reasoning.validate_shapes(good_graph())
    assert conforms, report


def _broken_lead() -> rdflib.Graph:
    g = good_graph()
    role = DATA["role/finance"]
    g.add((role, RDF.type, PKG.GenericRole))     # 财政部门 is not an agency
    g.add((role, PKG.leads, TASK))
    return g


BROKEN = {
    "task without offsets": lambda: without(good_graph(), (TASK, PKG.startOffset, None),
                                            (TASK, PKG.endOffset, None)),
    "task without document": lambda: without(good_graph(), (TASK, PKG.partOf, None)),
    "target without unit": lambda: without(good_graph(), (TARGET, PKG.unit, None)),
    "lead that is not an agency": _broken_lead,
    "deadline without date or duration": lambda: without(good_graph(),
                                                         (DEADLINE, PKG.deadlineDate, None)),
    "document without title": lambda: without(good_graph(), (DOC, PKG.title, None)),
    "start offset after end": lambda: plus(without(good_graph(), (TASK, PKG.startOffset, None)),
                                           (TASK, PKG.startOffset, Literal(500))),
    "target value not a number": lambda: plus(without(good_graph(), (TARGET, PKG.value, None)),
                                              (TARGET, PKG.value, Literal("五十"))),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_data_does_not_conform(case):
    conforms, report = reasoning.validate_shapes(BROKEN[case]())
    assert not conforms, f"{case} was accepted"
    assert "Constraint Violation" in report


def test_validation_leaves_inputs_alone():
    g = good_graph()
    before = len(g)
    onto_before = len(reasoning._ontology_graph())
    reasoning.validate_shapes(_broken_lead())
    reasoning.validate_shapes(g)
    assert len(g) == before
    assert len(reasoning._ontology_graph()) == onto_before


# --------------------------------------------------------------------------
# HermiT
# --------------------------------------------------------------------------

def _require_java(fn):
    """HermiT runs on Java: without it these tests FAIL with what to install (never skip)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not (os.environ.get("POLICYKG_JAVA") or os.path.exists("/usr/bin/java") or shutil.which("java")):
            pytest.fail("HermiT needs Java 11+ (apt-get install openjdk-17-jre-headless, or set POLICYKG_JAVA)")
        return fn(*args, **kwargs)
    return wrapper


needs_java = _require_java


@needs_java
def test_hermit_finds_the_ontology_consistent():
    reasoning.check_consistency()


@needs_java
def test_hermit_rejects_a_resource_in_disjoint_classes():
    g = good_graph()
    g.add((TARGET, PKG.leads, TASK))     # makes the target an agency too
    with pytest.raises(OntologyError, match="inconsistent") as info:
        reasoning.check_consistency(g)
    assert "Target" in str(info.value) and "Agency" in str(info.value)


# --------------------------------------------------------------------------
# OWL-RL
# --------------------------------------------------------------------------

def test_owlrl_infers_responsibility_from_leading():
    g = good_graph()
    g.add((DOC, PKG.hasTask, TASK))
    inferred = reasoning.materialize(g)
    assert (AGENCY, PKG.responsibleFor, TASK) in inferred
    assert (TASK, PKG.taskOf, DOC) in inferred                 # inverse of hasTask
    assert (DEADLINE, RDF.type, PKG.Deadline) in inferred      # subclass
    assert (AGENCY, RDF.type, ORG.Organization) in inferred
    # only new facts, only pkg/org vocabulary, nothing about the ontology itself
    for s, p, o in inferred:
        assert (s, p, o) not in g
        assert str(s).startswith(str(DATA))
        assert str(p).startswith((PKG_NS, str(ORG))) or (
            p == RDF.type and str(o).startswith((PKG_NS, str(ORG))))


def test_owlrl_strict_mode_reports_disjointness():
    g = good_graph()
    g.add((TARGET, PKG.leads, TASK))
    with pytest.raises(OntologyError, match="OWL-RL"):
        reasoning.materialize(g)
    assert (TARGET, PKG.responsibleFor, TASK) in reasoning.materialize(g, strict=False)
