"""RDF stores: the embedded pyoxigraph store on disk (default) and a SPARQL server.

Both receive the same N-Quads from :mod:`loaders.rdf_writer`. Re-loading a source
file first drops the named graphs of its documents, so a reload replaces that
file's subgraph and nothing else (shared agencies stay).
"""
from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from typing import Optional

from loaders.graph_rows import GraphRows
from loaders.rdf_writer import to_dataset, to_nquads
from ontology.namespace import DATA
from policykg.errors import BackendError, TransientBackendError

GRAPH_PREFIX = str(DATA["graph/"])


class EmbeddedStore:
    """pyoxigraph on disk at ``path`` (``$POLICYKG_HOME/store`` by default)."""

    def __init__(self, path: Optional[Path] = None):
        import pyoxigraph as ox

        self.path = Path(path) if path else None
        try:
            if self.path:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
            else:
                self.store = ox.Store()
        except OSError as exc:
            raise BackendError(f"cannot open the embedded store at {self.path}: {exc}. "
                               "Is another policykg process using it? Set POLICYKG_HOME to use another folder.") from exc

    def replace_sources(self, rows: GraphRows, sources: set[str]) -> None:
        import pyoxigraph as ox

        for g in list(self.store.named_graphs()):
            name = g.value
            if any(name.startswith(GRAPH_PREFIX + s + "-d") for s in sources):
                self.store.remove_graph(g)
        data = to_nquads(to_dataset(rows))
        self.store.load(data, format=ox.RdfFormat.N_QUADS)
        self.store.flush()

    def clear(self) -> None:
        self.store.clear()

    def close(self) -> None:
        """Release the on-disk store (RocksDB holds a file lock until the Store object is gone)."""
        import gc

        if self.store is not None:
            self.store.flush()
            self.store = None
            gc.collect()

    def count(self) -> int:
        return len(self.store)

    def dump_nquads(self) -> bytes:
        import pyoxigraph as ox

        return self.store.dump(format=ox.RdfFormat.N_QUADS)


class RemoteSparqlStore:
    """A SPARQL 1.1 server (``oxigraph serve``): Graph Store Protocol for loading, Update for drops."""

    def __init__(self, query_url: str, update_url: str, store_url: str, timeout: float = 60.0):
        self.query_url, self.update_url, self.store_url, self.timeout = query_url, update_url, store_url, timeout

    def _post(self, url: str, data: bytes, content_type: str) -> None:
        req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": content_type})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()
        except urllib.error.HTTPError as exc:
            raise BackendError(f"SPARQL server at {url} refused the request: HTTP {exc.code} {exc.read()[:300]!r}") from exc
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise TransientBackendError(
                f"SPARQL server at {url} is not reachable ({exc}); start it with `policykg sparql start` "
                "or set SPARQL_ENDPOINT") from exc

    def replace_sources(self, rows: GraphRows, sources: set[str]) -> None:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper

        sw = SPARQLWrapper(self.query_url)
        sw.setMethod(POST)
        sw.setReturnFormat(JSON)
        sw.setTimeout(int(self.timeout))
        sw.setQuery("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        try:
            res = sw.queryAndConvert()
        except Exception as exc:  # SPARQLWrapper raises URLError and its own exceptions
            raise TransientBackendError(f"SPARQL server at {self.query_url} is not reachable: {exc}") from exc
        drops = []
        for b in res["results"]["bindings"]:
            g = b["g"]["value"]
            if any(g.startswith(GRAPH_PREFIX + s + "-d") for s in sources):
                drops.append(f"DROP SILENT GRAPH <{g}>")  # IRIs we minted ourselves: ASCII, no '>'
        if drops:
            self._post(self.update_url, ";\n".join(drops).encode("utf-8"), "application/sparql-update")
        self._post(self.store_url, to_nquads(to_dataset(rows)), "application/n-quads")

    def clear(self) -> None:
        self._post(self.update_url, b"CLEAR ALL", "application/sparql-update")
