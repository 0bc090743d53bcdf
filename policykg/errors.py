"""One exception tree for the whole project.

Terminal errors name the input and the fix; transient ones (a server that is
still starting, a dropped connection) may be retried by the caller.
"""
from __future__ import annotations


class PolicyKGError(Exception):
    """Base of every error policykg raises on purpose."""


class InputError(PolicyKGError):
    """A source file cannot be read as text (missing, empty, binary, unknown encoding)."""


class ParseError(PolicyKGError):
    """Text was read but its structure could not be understood."""


class ExtractionError(PolicyKGError):
    """An extractor failed on a document."""


class OntologyError(PolicyKGError):
    """The ontology, a shape or the namespace disagree or are inconsistent."""


class BackendError(PolicyKGError):
    """A store or server failed (terminal)."""


class TransientBackendError(BackendError):
    """A server failed in a way worth retrying (not yet up, connection reset)."""


class QueryError(PolicyKGError):
    """A named query is missing, has wrong parameters, or is not read-only."""


class ServiceError(PolicyKGError):
    """A local server (Neo4j, Oxigraph) could not be installed, started or stopped."""
