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


def neo4j_error(exc: Exception, what: str, uri: str) -> BackendError:
    """A Neo4j driver exception → the policykg error for it (messages carry no credentials).

    Here, beside the tree, so that the writer and the query runner map driver errors the same way
    without one importing the other."""
    from neo4j import exceptions as nx

    if isinstance(exc, BackendError):
        return exc
    if isinstance(exc, nx.AuthError):
        return BackendError(f"{what}: Neo4j at {uri} refused the credentials ({exc.code}); "
                            "set NEO4J_USER / NEO4J_PASSWORD to the server's")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, nx.TransientError, nx.IncompleteCommit,
                        nx.ConnectionAcquisitionTimeoutError)):
        return TransientBackendError(f"{what}: Neo4j at {uri} is unreachable or busy ({type(exc).__name__}: {exc}); "
                                     "is it running? `policykg neo4j start`")
    if isinstance(exc, nx.Neo4jError):
        return BackendError(f"{what}: Neo4j refused the statement ({exc.code}): {exc.message}")
    if isinstance(exc, (nx.DriverError, OSError)):
        return BackendError(f"{what}: Neo4j driver error talking to {uri} ({type(exc).__name__}: {exc})")
    return BackendError(f"{what}: {type(exc).__name__}: {exc}")
