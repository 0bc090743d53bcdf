"""A SPARQL 1.1 server (``oxigraph serve`` by default): Graph Store Protocol to load, Update to drop."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Optional

from backends import Traced, no_dump, retrying
from backends.rdf import with_stubs
from loaders.graph_rows import GraphRows, Node, SourceGraph
from loaders.rdf_store import RemoteSparqlStore
from policykg import config
from queries.loader import load_query
from queries.sparql_runner import bind_values, run_remote, run_user_remote


class SparqlBackend(Traced):
    name = "sparql"
    language = "sparql"

    def __init__(self, home: Optional[Path] = None, endpoint: Optional[str] = None):
        super().__init__()
        self.endpoint = endpoint or config.sparql_endpoint()
        self.store = RemoteSparqlStore(self.endpoint, config.sparql_update_endpoint(), config.sparql_store_endpoint())

    @retrying
    def load(self, rows: GraphRows, sources: set[str]) -> None:
        self.store.replace_sources(rows, sources)

    @retrying
    def load_linked(self, rows: GraphRows, sources: set[str], existing: Mapping[str, Node]) -> None:
        self.store.replace_sources(with_stubs(rows, existing), sources)

    @retrying
    def replace_graph(self, graph: SourceGraph) -> None:
        self.store.replace_graph(graph.graph, graph.nquads)

    def clear(self) -> None:
        self.store.clear()

    @retrying
    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        self._traced(name, params)
        return run_remote(self.endpoint, name, params)

    @retrying
    def read(self, text: str, params: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:
        return run_user_remote(self.endpoint, text)

    def query_text(self, name: str, params: dict[str, Any]) -> str:
        q = load_query(name, "sparql")
        return bind_values(q.text, params, list(q.params))

    def dump(self) -> bytes:
        raise no_dump(self.name)

    def close(self) -> None:
        pass
