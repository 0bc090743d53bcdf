"""policykg: a knowledge graph of Chinese government policy documents.

This package is the ground floor every layer may import: the domain model (``model``), the answer
models (``answers``), the exception tree (``errors``) and configuration (``config``). It imports
nothing of the project. The stack above it reads top-down with no arrow back up:
``interface`` (CLI, questions, reports, server) → ``graph_api`` (facade) → ``queries`` (named query
twins and runners) → ``loaders`` (read, extract, shape rows, write) → ``ontology`` → ``policykg``.
"""

__version__ = "0.1.0"
