"""policykg: a knowledge graph of Chinese government policy documents.

The importable pieces live in the packages the project was asked to have:
``loaders`` (reading, extraction, writers), ``ontology`` (OWL + namespace),
``queries`` (named SPARQL / Cypher files) and ``graph_api`` (the facade).
This package holds what ties them together: configuration, errors, the
CLI and the management of local servers.
"""

__version__ = "0.1.0"
