"""Backends: the only way into a store. One small protocol, one module per store, chosen by name.

    from backends import open_backend
    b = open_backend("embedded", home=Path(".policykg"))   # or "sparql", "neo4j"
    b.load(rows, sources)                                  # replace those sources' subgraphs
    b.run("tasks_citing", {"reg": "财税〔2015〕119号"})       # a named query (queries/NAME.rq | .cypher)
    b.read("SELECT …")                                     # a read-only user query in b.language

Where it sits: above ``queries`` (a backend runs the named queries in its language) and
``loaders`` (it writes the rows the loaders shape), below ``graph_api`` (the facade picks one by
name). A new store is a module here with a class that has the verbs of :class:`Backend`, and
one line in :data:`REGISTRY` (or :func:`register` from outside); nothing else branches on a
backend's name.
"""
from __future__ import annotations

import contextlib
import importlib
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Optional, Protocol

from loaders.graph_rows import GraphRows, Node, SourceGraph
from policykg.errors import BackendError, QueryError, TransientBackendError

#: hook(query name, parameters): called before a backend runs a named query (reports list what ran)
TraceHook = Callable[[str, dict[str, Any]], None]


class Backend(Protocol):
    name: str
    language: str  # "sparql" | "cypher": the language of its named queries and of read()

    def load(self, rows: GraphRows, sources: set[str]) -> None:
        """Write ``rows``; each source in ``sources`` is replaced (its old subgraph goes)."""

    def load_linked(self, rows: GraphRows, sources: set[str], existing: Mapping[str, Node]) -> None:
        """Like load, for sources whose edges point at each other and at nodes the store already
        holds (``existing``: id → the node, label and source; not rewritten): the laws corpus."""

    def replace_graph(self, graph: SourceGraph) -> None:
        """Replace everything ``graph.source_id`` owns with ``graph``."""

    def clear(self) -> None:
        """Delete everything in the store."""

    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Run the named query ``name`` (parameters as the query's header lists them)."""

    def read(self, text: str, params: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:
        """Run a user's query in :attr:`language`, read-only (a write is a QueryError)."""

    def query_text(self, name: str, params: dict[str, Any]) -> str:
        """The text :meth:`run` sends for ``name`` with ``params``."""

    def dump(self) -> bytes:
        """The whole store as N-Quads (a QueryError where the store cannot give them)."""

    def notices(self) -> list[str]: ...

    def trace(self, hook: TraceHook) -> contextlib.AbstractContextManager:
        """``with backend.trace(hook):`` — ``hook(name, params)`` for every named query run inside."""

    def close(self) -> None: ...


class Traced:
    """The trace hook every backend shares: :meth:`run` calls :meth:`_traced` first."""

    def __init__(self) -> None:
        self._hooks: list[TraceHook] = []

    @contextlib.contextmanager
    def trace(self, hook: TraceHook) -> Iterator[None]:
        self._hooks.append(hook)
        try:
            yield
        finally:
            self._hooks.remove(hook)

    def _traced(self, name: str, params: dict[str, Any]) -> None:
        for hook in list(self._hooks):
            hook(name, params)

    def notices(self) -> list[str]:
        """What a build should tell about this store before loading (e.g. a load killed half-way)."""
        return []


def no_dump(backend_name: str) -> QueryError:
    return QueryError(f"export reads the embedded store, not {backend_name}; build it (policykg build) "
                      "and use the embedded backend")


def retrying(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Retry ``fn`` on :class:`TransientBackendError` (a server starting, a dropped connection) with
    exponential backoff, three attempts in all. Only for calls that are safe to repeat: reads, and
    writes that replace a source or MERGE on deterministic ids."""
    from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_exponential

    return retry(retry=retry_if_exception_type(TransientBackendError), stop=stop_after_attempt(3),
                 wait=wait_exponential(multiplier=0.2, max=2.0), reraise=True)(fn)


#: name → "module:Class"; a backend's module is imported when it is first opened
REGISTRY: dict[str, str] = {
    "embedded": "backends.embedded:EmbeddedBackend",
    "sparql": "backends.sparql:SparqlBackend",
    "neo4j": "backends.neo4j:Neo4jBackend",
}


def register(name: str, target: str | Callable[..., Backend]) -> None:
    """Make ``open_backend(name)`` build ``target`` ("module:Class", or a callable taking ``home=``)."""
    REGISTRY[name] = target  # type: ignore[assignment]


def names() -> tuple[str, ...]:
    return tuple(REGISTRY)


def open_backend(name: str, *, home: Optional[Path] = None) -> Backend:
    """The backend registered as ``name``; ``home`` is where a local store keeps its files."""
    target = REGISTRY.get(name)
    if target is None:
        raise BackendError(f"unknown backend {name!r}; choose one of {', '.join(REGISTRY)}")
    if isinstance(target, str):
        module, _, cls = target.partition(":")
        target = getattr(importlib.import_module(module), cls)
    return target(home=home)
