"""A SPARQL 1.1 server (``oxigraph serve`` by default): Graph Store Protocol to load, Update to drop.

Keyword index (issue 12): the home that builds into the server keeps a
:class:`loaders.keyword_index.KeywordIndex` of what it wrote (``sparql-keywords-<endpoint hash>.sqlite``)
and the keyword queries bind their candidates from it, as on the embedded store, but only while the
index provably describes the server: each write stamps the server with a new token in the same
Update request as its data (:func:`loaders.keyword_index.stamp_update`); the index takes that token
when the write replaced the index's own token (or went into an empty server). A query trusts the
index when the server still holds the index's token AFTER the query ran (so no write came between
the look-up and the answer); otherwise it runs again as the scan, and that token is not tried again.
A server another home (or anything else stamping) wrote into, a failed write, a server built before
this: the queries scan, as before (same answers, slower at scale).
"""
from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from backends import Traced, no_dump, retrying
from backends.rdf import with_stubs
from loaders.graph_rows import GraphRows, Node, SourceGraph
from loaders.keyword_index import STAMP_QUERY, KeywordIndex, stamp_update
from loaders.rdf_store import RemoteSparqlStore
from policykg import config
from policykg.errors import BackendError
from queries.loader import load_query
from queries.sparql_runner import bind_values, run_remote, run_remote_text, run_user_remote, uses_keyword_index

#: (endpoint, token) pairs found stale in this process: a server's token never comes back
_STALE: set[tuple[str, str]] = set()


class SparqlBackend(Traced):
    name = "sparql"
    language = "sparql"

    def __init__(self, home: Optional[Path] = None, endpoint: Optional[str] = None):
        super().__init__()
        self.endpoint = endpoint or config.sparql_endpoint()
        self.store = RemoteSparqlStore(self.endpoint, config.sparql_update_endpoint(), config.sparql_store_endpoint())
        self.home = Path(home) if home else config.home()
        self._keywords: Optional[KeywordIndex] = None

    # -- the keyword index of this home for this server ------------------
    @property
    def keywords_path(self) -> Path:
        """``<home>/sparql-keywords-<hash of the query endpoint>.sqlite``: one index per server."""
        digest = hashlib.sha256(self.endpoint.encode("utf-8")).hexdigest()[:12]
        return self.home / f"sparql-keywords-{digest}.sqlite"

    def keyword_index(self, create: bool = False) -> Optional[KeywordIndex]:
        """The index (None when this home has none and ``create`` is false, or it cannot be opened)."""
        if self._keywords is None and (create or self.keywords_path.exists()):
            import sqlite3

            try:
                if create:
                    self.home.mkdir(parents=True, exist_ok=True)
                self._keywords = KeywordIndex(self.keywords_path)
            except (OSError, sqlite3.Error):
                return None
        return self._keywords

    def _server_stamp(self) -> tuple[Optional[str], Optional[str]]:
        """(token, follows) of the server's stamp; (None, None) when unstamped."""
        rows = run_remote_text(self.endpoint, STAMP_QUERY)
        return (rows[0]["token"], rows[0]["follows"]) if len(rows) == 1 else (None, None)

    def _write(self, rows: GraphRows, sources: set[str], write: Callable[[str], None]) -> None:
        """Stamp and write (``write(stamp)`` puts the stamp first in its request); then bring the index
        up to date, taking the new token only when this write followed the index's own (or an empty server)."""
        index = self.keyword_index(create=True)
        base = index.server_token if index is not None else None
        token = uuid.uuid4().hex
        write(stamp_update(token))
        if index is None:
            return
        try:
            now, follows = self._server_stamp()
        except BackendError:  # the write went through; whether it followed the index's own is unknown
            now = follows = None
        claim = now == token and follows is not None and (follows == "empty" or (base is not None and follows == base))
        index.replace_sources(rows, sources, server_token=token if claim and not index.stale else None)

    @retrying
    def load(self, rows: GraphRows, sources: set[str]) -> None:
        self._write(rows, sources, lambda stamp: self.store.replace_sources(rows, sources, stamp=stamp))

    @retrying
    def load_linked(self, rows: GraphRows, sources: set[str], existing: Mapping[str, Node]) -> None:
        linked = with_stubs(rows, existing)
        self._write(linked, sources, lambda stamp: self.store.replace_sources(linked, sources, stamp=stamp))

    @retrying
    def replace_graph(self, graph: SourceGraph) -> None:
        # a reform graph: the embedded store's index takes no entries from it either
        self._write(GraphRows(), set(), lambda stamp: self.store.replace_graph(graph.graph, graph.nquads, stamp=stamp))

    def clear(self) -> None:
        self.store.clear()
        index = self.keyword_index()
        if index is not None:
            index.clear()

    @retrying
    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        self._traced(name, params)
        index = self.keyword_index() if uses_keyword_index(load_query(name, "sparql").text, params) else None
        token = index.server_token if index is not None and not index.stale else None
        if token is not None and (self.endpoint, token) not in _STALE:
            rows = run_remote(self.endpoint, name, params, keywords=index)
            # the server still holds the token the index describes AFTER the answer: no write came between
            if index.server_token == token and self._server_stamp()[0] == token:
                return rows
            _STALE.add((self.endpoint, token))
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
        if self._keywords is not None:
            self._keywords.close()
            self._keywords = None
