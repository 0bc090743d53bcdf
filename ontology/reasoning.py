"""Reasoning over the policykg ontology and data.

* :func:`check_consistency` -- HermiT (through owlready2, needs Java) on the
  ontology plus optional data; raises :class:`OntologyError` when they are
  inconsistent or a pkg class is unsatisfiable.
* :func:`validate_shapes` -- pySHACL against ``shapes.ttl`` with the ontology
  as ``ont_graph`` and RDFS inference.
* :func:`materialize` -- OWL 2 RL closure (owlrl) of ontology + data,
  returning only the new triples about data under the pkg/org namespaces.
"""
from __future__ import annotations

import functools
import io
import os
import shutil
from collections.abc import Iterable

import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef

from ontology import load_ontology_graph, ontology_path, shapes_path
from ontology.namespace import ONTOLOGY_IRI, ORG, PKG
from policykg.errors import OntologyError

__all__ = ["check_consistency", "validate_shapes", "materialize", "owlrl_errors"]

_DEFAULT_JAVA = "/usr/bin/java"
_DATA_ONTOLOGY_IRI = "https://w3id.org/policykg/id/consistency-check"
_PKG = str(PKG._NS)


# --------------------------------------------------------------------------
# HermiT
# --------------------------------------------------------------------------

def _java() -> str:
    java = os.environ.get("POLICYKG_JAVA") or (
        _DEFAULT_JAVA if os.path.exists(_DEFAULT_JAVA) else shutil.which("java"))
    if not java:
        raise OntologyError("HermiT needs Java: install a JRE (java on PATH) or set POLICYKG_JAVA")
    return java


def check_consistency(data_graph: rdflib.Graph | None = None) -> None:
    """Run HermiT on the ontology (plus ``data_graph`` if given).

    Returns ``None`` when consistent.  Raises :class:`OntologyError` when the
    ontology and data are inconsistent (the message lists OWL-RL findings such
    as a resource in two disjoint classes), when a pkg class is unsatisfiable,
    or when HermiT cannot run.  Datatypes outside OWL 2 (``xsd:gYear`` ...) in
    the data are ignored rather than fatal.
    """
    import owlready2
    from owlready2 import OwlReadyInconsistentOntologyError, OwlReadyJavaError

    saved_java = owlready2.JAVA_EXE
    owlready2.JAVA_EXE = _java()
    world = owlready2.World()
    try:
        onto = world.get_ontology(str(ONTOLOGY_IRI))
        with open(ontology_path(), "rb") as f:
            onto.load(fileobj=f)
        if data_graph is not None and len(data_graph):
            data = world.get_ontology(_DATA_ONTOLOGY_IRI)
            data.load(fileobj=io.BytesIO(data_graph.serialize(format="nt", encoding="utf-8")),
                      format="ntriples")
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                           ignore_unsupported_datatypes=True)
        except OwlReadyInconsistentOntologyError:
            findings = owlrl_errors(data_graph)
            detail = ("; ".join(findings) if findings else
                      "OWL-RL found no simple cause; look for resources typed with disjoint "
                      "classes or literals outside a property's range")
            what = "ontology and data are" if data_graph is not None else "ontology is"
            raise OntologyError(f"HermiT: the {what} inconsistent: {detail}") from None
        except OwlReadyJavaError as exc:
            raise OntologyError(f"HermiT failed to run: {exc}") from None
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes()
                               if c is not None and c.iri.startswith(_PKG))
        if unsatisfiable:
            raise OntologyError("HermiT: unsatisfiable classes (equivalent to owl:Nothing): "
                                + ", ".join(unsatisfiable))
    finally:
        world.close()
        owlready2.JAVA_EXE = saved_java


# --------------------------------------------------------------------------
# SHACL
# --------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _shapes_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    try:
        graph.parse(shapes_path(), format="turtle")
    except OntologyError:
        raise
    except Exception as exc:
        raise OntologyError(f"cannot parse {shapes_path()}: {exc}") from exc
    return graph


@functools.lru_cache(maxsize=1)
def _ontology_graph() -> rdflib.Graph:
    return load_ontology_graph()


def validate_shapes(data_graph: rdflib.Graph) -> tuple[bool, str]:
    """Validate ``data_graph`` against ``shapes.ttl``.

    Uses pySHACL with the ontology as ``ont_graph`` and RDFS inference (on a
    copy: ``data_graph`` is not modified).  Returns ``(conforms, report_text)``.
    """
    import pyshacl

    conforms, _report, text = pyshacl.validate(
        data_graph,
        shacl_graph=_shapes_graph(),
        ont_graph=_ontology_graph(),
        inference="rdfs",
        abort_on_first=False,
        allow_warnings=False,
        advanced=False,
        inplace=False,
    )
    return bool(conforms), str(text)


# --------------------------------------------------------------------------
# OWL-RL
# --------------------------------------------------------------------------

_ERR_NS = "http://www.daml.org/2002/03/agents/agent-ont#"   # where owlrl writes its errors


_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.isDefinedBy, RDFS.seeAlso, SKOS.definition,
                OWL.versionInfo}


@functools.lru_cache(maxsize=1)
def _rule_schema() -> rdflib.Graph:
    """The ontology without annotations (labels, definitions): nothing to infer from."""
    schema = rdflib.Graph()
    for s, p, o in _ontology_graph():
        if p not in _ANNOTATIONS and not (p == RDF.type and o == OWL.Ontology):
            if not (isinstance(o, Literal) and s == ONTOLOGY_IRI):
                schema.add((s, p, o))
    return schema


@functools.lru_cache(maxsize=1)
def _literal_predicates_with_rules() -> frozenset:
    """Properties whose literal values OWL-RL can draw a conclusion about a subject from."""
    schema = _rule_schema()
    preds = {s for s, p, _ in schema if p in (RDFS.domain, RDFS.subPropertyOf, OWL.equivalentProperty)}
    preds |= {s for s, _, o in schema.triples((None, RDF.type, None))
              if o in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty)}
    preds |= {o for _, _, o in schema.triples((None, OWL.onProperty, None))}
    preds |= set(schema.subjects(OWL.hasKey, None))
    return frozenset(preds)


def _closure(data_graph: rdflib.Graph | None, *, prune: bool) -> tuple[rdflib.Graph, rdflib.Graph]:
    """``(base, closed)``: ontology + data, and the OWL 2 RL closure.

    With ``prune`` (for speed) the closure is computed from the ontology without
    annotations and from the data without the literal-valued triples no rule can
    use (e.g. pkg:quote), keeping one literal per subject and property otherwise.
    The conclusions about resources are the same; data with owl:sameAs is not pruned.
    """
    import owlrl

    data = data_graph if data_graph is not None else rdflib.Graph()
    if (None, OWL.sameAs, None) in data:
        prune = False   # equality copies every literal to the aliases: keep them all
    base = rdflib.Graph()
    closed = rdflib.Graph()
    for triple in _ontology_graph():
        base.add(triple)
    for triple in (_rule_schema() if prune else base):
        closed.add(triple)
    useful = _literal_predicates_with_rules()
    seen: set = set()
    for s, p, o in data:
        base.add((s, p, o))
        if prune and isinstance(o, Literal):
            if p not in useful or (s, p) in seen:
                continue
            seen.add((s, p))
        closed.add((s, p, o))
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closed)
    return base, closed


def _errors_in(closed: rdflib.Graph) -> list[str]:
    error = URIRef(_ERR_NS + "error")
    return sorted(str(o) for o in closed.objects(None, error))


def owlrl_errors(data_graph: rdflib.Graph | None = None) -> list[str]:
    """Inconsistencies OWL 2 RL finds in ontology + data (e.g. disjoint classes)."""
    return _errors_in(_closure(data_graph, prune=False)[1])


def materialize(data_graph: rdflib.Graph, *,
                namespaces: Iterable[str] = (_PKG, str(ORG)),
                strict: bool = True) -> rdflib.Graph:
    """Apply OWL 2 RL (owlrl) to ontology + ``data_graph``; return the new facts.

    The result holds only entailed triples that are not already in the data or
    the ontology, whose subject is not a term of the ontology, and whose
    predicate -- or, for ``rdf:type``, object -- is in one of ``namespaces``
    (default pkg and W3C ORG): e.g. ``?a pkg:responsibleFor ?t`` from
    ``?a pkg:leads ?t``, or ``?t pkg:partOf ?d`` from ``?d pkg:hasTask ?t``.
    ``data_graph`` is not modified.  With ``strict`` (default) an inconsistency
    that OWL-RL detects raises :class:`OntologyError`.
    """
    base, closed = _closure(data_graph, prune=True)
    errors = _errors_in(closed)
    if errors and strict:
        raise OntologyError("OWL-RL: the data is inconsistent with the ontology: " + "; ".join(errors))
    prefixes = tuple(namespaces)
    schema_subjects = set(_ontology_graph().subjects())

    def wanted(s, p, o) -> bool:
        if isinstance(s, Literal) or s in schema_subjects:
            return False
        if p == RDF.type:
            return isinstance(o, URIRef) and str(o).startswith(prefixes)
        return str(p).startswith(prefixes)

    result = rdflib.Graph()
    for prefix, ns in data_graph.namespaces():
        result.bind(prefix, ns, override=False)
    result.bind("pkg", _PKG)
    result.bind("org", str(ORG))
    for triple in closed:
        if triple not in base and wanted(*triple):
            result.add(triple)
    return result
