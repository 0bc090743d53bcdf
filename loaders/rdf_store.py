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
from loaders.authority import inferred_dataset
from loaders.rdf_writer import to_nquads
from ontology.namespace import DATA
from policykg.errors import BackendError, TransientBackendError

GRAPH_PREFIX = str(DATA["graph/"])
#: The named graph that marks a SPARQL server :meth:`RemoteSparqlStore.clear` may wipe (a scratch
#: server of the tests); no query of the project reads it.
SCRATCH_GRAPH = "urn:policykg:scratch-database"
SCRATCH_MARK_UPDATE = (f"INSERT DATA {{ GRAPH <{SCRATCH_GRAPH}> {{ <{SCRATCH_GRAPH}> "
                       "<http://www.w3.org/2000/01/rdf-schema#comment> \"scratch server of policykg's tests\" } }")


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
        data = to_nquads(inferred_dataset(rows))
        self.store.load(data, format=ox.RdfFormat.N_QUADS)
        self.store.flush()

    def replace_graph(self, graph: str, nquads: bytes) -> None:
        """Drop the named graph ``graph`` and load ``nquads`` (all in that graph)."""
        import pyoxigraph as ox

        self.store.remove_graph(ox.NamedNode(graph))
        self.store.load(nquads, format=ox.RdfFormat.N_QUADS)
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
        from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

        sw = SPARQLWrapper(self.query_url)
        sw.setMethod(POST)
        sw.setReturnFormat(JSON)
        sw.setTimeout(int(self.timeout))
        sw.setQuery("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        try:
            res = sw.queryAndConvert()
        except (EndPointInternalError, OSError) as exc:  # URLError, a timeout, a reset connection, a 5xx
            raise TransientBackendError(f"SPARQL server at {self.query_url} is not reachable: {exc}") from exc
        except (SPARQLWrapperException, ValueError) as exc:  # refused, or not JSON
            raise BackendError(f"SPARQL server at {self.query_url} refused to list its graphs: {exc}") from exc
        drops = []
        for b in res["results"]["bindings"]:
            g = b["g"]["value"]
            if any(g.startswith(GRAPH_PREFIX + s + "-d") for s in sources):
                drops.append(f"DROP SILENT GRAPH <{g}>")  # IRIs we minted ourselves: ASCII, no '>'
        if drops:
            self._post(self.update_url, ";\n".join(drops).encode("utf-8"), "application/sparql-update")
        self._post(self.store_url, to_nquads(inferred_dataset(rows)), "application/n-quads")

    def replace_graph(self, graph: str, nquads: bytes) -> None:
        """Drop the named graph ``graph`` (an IRI we minted: ASCII, no '>') and load ``nquads``."""
        self._post(self.update_url, f"DROP SILENT GRAPH <{graph}>".encode("utf-8"), "application/sparql-update")
        self._post(self.store_url, nquads, "application/n-quads")

    def _ask(self, query: str) -> bool:
        import json
        import urllib.parse

        req = urllib.request.Request(self.query_url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return json.loads(resp.read().decode("utf-8"))["boolean"] is True
        except urllib.error.HTTPError as exc:
            raise BackendError(f"SPARQL server at {self.query_url} refused an ASK: HTTP {exc.code}") from exc
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise TransientBackendError(f"SPARQL server at {self.query_url} is not reachable ({exc})") from exc
        except (ValueError, KeyError) as exc:
            raise BackendError(f"SPARQL server at {self.query_url} answered an ASK with something else") from exc

    def is_scratch(self) -> bool:
        """True when the server holds the scratch marker graph (:data:`SCRATCH_GRAPH`)."""
        return self._ask(f"ASK {{ GRAPH <{SCRATCH_GRAPH}> {{ ?s ?p ?o }} }}")

    def clear(self) -> None:
        """``CLEAR ALL`` (tests only) — on a scratch server only: one holding the marker graph, or an
        empty one (marked then). A server with data and no marker is refused and left as it is."""
        if not self.is_scratch() and self._ask("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"):
            raise BackendError(
                f"refusing to clear the SPARQL server at {self.update_url}: it holds data and is not marked as "
                f"a scratch server of policykg's tests (graph <{SCRATCH_GRAPH}>). Point SPARQL_ENDPOINT, "
                "SPARQL_UPDATE_ENDPOINT and SPARQL_STORE_ENDPOINT at a test server, or, if it may be wiped, "
                f"mark it: {SCRATCH_MARK_UPDATE}")
        self._post(self.update_url, f"CLEAR ALL ; {SCRATCH_MARK_UPDATE}".encode("utf-8"),
                   "application/sparql-update")
