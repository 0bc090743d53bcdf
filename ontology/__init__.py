"""The policykg ontology: namespace, generated OWL/Turtle files and SHACL shapes.

* ``PKG`` -- closed namespace of ontology terms (``PKG.Task``; ``PKG.Tsk`` raises).
* ``ELI``, ``ORG``, ``TIME``, ``PROV``, ``OA``, ``SKOS``, ``DCTERMS`` -- external
  vocabularies; ``DATA`` -- base of data IRIs.
* ``ontology_path()``, ``turtle_path()``, ``shapes_path()`` -- packaged files.
* ``load_ontology_graph()`` -- the ontology as an rdflib Graph.

Regenerate ``policykg.owl``, ``policykg.ttl`` and ``namespace.py`` with
``python -m ontology.build``; reasoning and validation live in
``ontology.reasoning``.
"""
from __future__ import annotations

from pathlib import Path

from policykg.errors import OntologyError

try:
    from ontology.namespace import DATA, DCTERMS, ELI, OA, ORG, PKG, PROV, SKOS, TIME
except ModuleNotFoundError as exc:  # namespace.py not generated yet: let the build run
    if exc.name != "ontology.namespace":
        raise

__all__ = [
    "PKG", "ELI", "ORG", "TIME", "PROV", "OA", "SKOS", "DCTERMS", "DATA",
    "ontology_path", "turtle_path", "shapes_path", "load_ontology_graph",
]

_HERE = Path(__file__).resolve().parent


def _existing(name: str) -> Path:
    path = _HERE / name
    if not path.is_file():
        raise OntologyError(f"{path} is missing; run `python -m ontology.build` to regenerate it")
    return path


def ontology_path() -> Path:
    """The ontology in RDF/XML (``ontology/policykg.owl``)."""
    return _existing("policykg.owl")


def turtle_path() -> Path:
    """The ontology in Turtle (``ontology/policykg.ttl``)."""
    return _existing("policykg.ttl")


def shapes_path() -> Path:
    """The SHACL shapes data must conform to (``ontology/shapes.ttl``)."""
    return _existing("shapes.ttl")


def load_ontology_graph():
    """Parse ``policykg.ttl`` into a new ``rdflib.Graph`` (a fresh copy on every call)."""
    import rdflib

    graph = rdflib.Graph()
    try:
        graph.parse(turtle_path(), format="turtle")
    except OntologyError:
        raise
    except Exception as exc:  # rdflib raises many parser-specific types
        raise OntologyError(f"cannot parse {turtle_path()}: {exc}; "
                            "run `python -m ontology.build` to regenerate it") from exc
    return graph
