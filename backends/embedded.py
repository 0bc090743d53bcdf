"""The embedded store: pyoxigraph on disk (``$POLICYKG_HOME/store``), no server."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Optional

from backends import Traced
from backends.rdf import with_stubs
from loaders.graph_rows import GraphRows, Node, SourceGraph
from loaders.rdf_store import EmbeddedStore
from policykg import config
from queries.sparql_runner import bind_values, run_embedded, run_user_embedded
from queries.loader import load_query


class EmbeddedBackend(Traced):
    name = "embedded"
    language = "sparql"

    def __init__(self, home: Optional[Path] = None):
        super().__init__()
        self.store = EmbeddedStore(Path(home) / "store" if home else config.embedded_store_path())

    def load(self, rows: GraphRows, sources: set[str]) -> None:
        self.store.replace_sources(rows, sources)

    def load_linked(self, rows: GraphRows, sources: set[str], existing: Mapping[str, Node]) -> None:
        self.store.replace_sources(with_stubs(rows, existing), sources)

    def replace_graph(self, graph: SourceGraph) -> None:
        self.store.replace_graph(graph.graph, graph.nquads)

    def clear(self) -> None:
        self.store.clear()

    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        self._traced(name, params)
        keywords = self.store.keywords
        return run_embedded(self.store.store, name, params, None if keywords.stale else keywords)

    def read(self, text: str, params: Optional[dict[str, Any]] = None) -> list[dict[str, Any]]:
        return run_user_embedded(self.store.store, text)

    def query_text(self, name: str, params: dict[str, Any]) -> str:
        q = load_query(name, "sparql")
        return bind_values(q.text, params, list(q.params))

    def dump(self) -> bytes:
        return self.store.dump_nquads() if self.store.count() else b""

    def notices(self) -> list[str]:
        gone = self.store.interrupted()
        notes = [f"the last load into {self.store.path} was killed half-way (sources {', '.join(gone)}); "
                 "build those files again to repair it"] if gone else []
        if self.store.keywords.stale:
            notes.append(f"the keyword index beside {self.store.path} was written by an older policykg "
                         f"(format {self.store.keywords.format}): queries scan instead of using it (same answers, "
                         "slower at scale) until the store is built again with `policykg build --fresh`")
        return notes

    def close(self) -> None:
        self.store.close()
