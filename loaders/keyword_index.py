"""A keyword index beside an RDF store: which tasks or agencies a keyword names, without scanning.

SPARQL has no text index, so ``CONTAINS`` over every task's text is a scan of the whole
corpus. This index is an SQLite FTS5 table (trigram tokenizer: any substring of three or
more characters is an index lookup; a one- or two-character keyword, frequent in Chinese
(财政, 住房), falls back to ``LIKE`` on the same table, still in SQLite's C code). It only
narrows: the named query binds the candidates with ``VALUES`` and keeps its own
``CONTAINS`` test on each, so its answers are exactly those of the scan
(``tests/integration/test_parity.py``).

Kinds of entries (``text`` is in match form, :func:`loaders.graph_rows.match_key`):
- ``task``: a task's ``matchText`` and its document's ``matchTitle`` (departments_for_goal);
- ``agency``: an agency's ``matchKey`` and its authority labels (no source: shared), and each
  name an agency is written as in a task (the task's source);
- ``cited``: a cited document's ``matchKey`` and ``matchTitle`` (shared; tasks_citing,
  documents_citing, impact_of_document);
- ``target``: a target's metric as written and in match form, with its year (targets_for: a metric
  and a year narrow together, so the candidates are the answer's, not every target of the metric);
- ``issuer``: a document's issuer as written and in match form (in_force_on's scope).

It is updated with the store: :meth:`replace_sources` deletes the entries of the replaced
sources and adds those of the new rows, in the same call as the store's load.

An index written by an older policykg lacks kinds added since (:data:`FORMAT`, kept as SQLite's
``user_version``): it is :attr:`KeywordIndex.stale`, the queries then scan (their answers stay
right, only slower) and a build says so until the store is built again with ``--fresh``.

The same index can describe a SPARQL server's contents (``backends/sparql.py``: one file per
endpoint in the home that builds into it). A server is shared, so there it is only trusted while
it provably describes the server's contents: every write from policykg stamps the server
(:func:`stamp_update`, in the same Update request as the data: one transaction on Oxigraph) with a
new token, recording the token it replaced; the index takes the new token
(:attr:`KeywordIndex.server_token`, in the same SQLite transaction as its entries) only when the
replaced one was its own, or the server was empty. A write from another home (or a failed one)
leaves the server's token different from the index's, and the queries scan.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Iterable, Optional

from loaders.graph_rows import GraphRows, match_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, iri TEXT NOT NULL,
                                    source TEXT, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entries_source ON entries(source);
CREATE INDEX IF NOT EXISTS entries_iri ON entries(iri);
CREATE VIRTUAL TABLE IF NOT EXISTS entries_fts USING fts5(text, content='entries', content_rowid='id',
                                                          tokenize='trigram');
CREATE TRIGGER IF NOT EXISTS entries_ai AFTER INSERT ON entries BEGIN
  INSERT INTO entries_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS entries_ad AFTER DELETE ON entries BEGIN
  INSERT INTO entries_fts(entries_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""

_UNCHANGED = object()

#: The named graph of a SPARQL server holding the stamp of the last policykg write: ``<STAMP_GRAPH>
#: <…#token> "T"`` and, when that write replaced a token, ``<…#follows> "T0"`` ("empty": it was the
#: first write into an empty server). No query of the project reads it.
STAMP_GRAPH = "urn:policykg:keyword-stamp"
_TOKEN, _FOLLOWS = "urn:policykg:keyword-stamp#token", "urn:policykg:keyword-stamp#follows"
#: a server's graphs that are bookkeeping, not data (an "empty" server may hold them)
_BOOKKEEPING = (STAMP_GRAPH, "urn:policykg:scratch-database")


def stamp_update(token: str) -> str:
    """SPARQL Update operations (no prologue; to go FIRST in a write's request, before its data
    operations) that replace the server's stamp by ``token``, recording the token replaced, or
    "empty" when the server held no data. ``token``: hex digits (we mint it)."""
    if not token.isalnum():
        raise ValueError(f"a stamp token is alphanumeric, not {token!r}")
    g, t, f = f"<{STAMP_GRAPH}>", f"<{_TOKEN}>", f"<{_FOLLOWS}>"
    skip = ", ".join(f"<{x}>" for x in _BOOKKEEPING)
    return " ;\n".join([
        f"DELETE WHERE {{ GRAPH {g} {{ {g} {f} ?f }} }}",
        f"DELETE {{ GRAPH {g} {{ {g} {t} ?t }} }} INSERT {{ GRAPH {g} {{ {g} {f} ?t }} }} "
        f"WHERE {{ GRAPH {g} {{ {g} {t} ?t }} }}",
        f"INSERT {{ GRAPH {g} {{ {g} {f} \"empty\" }} }} WHERE {{ "
        f"FILTER NOT EXISTS {{ GRAPH {g} {{ {g} {f} ?any }} }} FILTER NOT EXISTS {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?gx {{ ?s2 ?p2 ?o2 }} FILTER(?gx NOT IN ({skip})) }} }}",
        f"INSERT DATA {{ GRAPH {g} {{ {g} {t} \"{token}\" }} }}",
    ])


#: the server's stamp: rows of ?token (and ?follows, unbound when the last write replaced no token)
STAMP_QUERY = (f"SELECT ?token ?follows WHERE {{ GRAPH <{STAMP_GRAPH}> {{ <{STAMP_GRAPH}> <{_TOKEN}> ?token "
               f"OPTIONAL {{ <{STAMP_GRAPH}> <{_FOLLOWS}> ?follows }} }} }}")


#: the kinds an index of this version holds: 1 = task, agency, cited; 2 = also target and issuer;
#: 3 = targets with their year
FORMAT = 3


class KeywordIndex:
    """The index at ``path`` (an SQLite file; ``None``: in memory)."""

    def __init__(self, path: Optional[Path] = None):
        self.path = path
        self.db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self.db.executescript(_SCHEMA)
        if "year" not in {r[1] for r in self.db.execute("PRAGMA table_info(entries)")}:
            self.db.execute("ALTER TABLE entries ADD COLUMN year INTEGER")  # an index of format < 3
        if self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM entries)").fetchone()[0]:
            self._set_format()  # empty: whatever is written from now on is written by this version

    def _set_format(self) -> None:
        self.db.execute(f"PRAGMA user_version = {FORMAT}")

    @property
    def format(self) -> int:
        """The version of the code that wrote the entries (:data:`FORMAT`; 1 for an index of before)."""
        try:
            return self.db.execute("PRAGMA user_version").fetchone()[0] or 1
        except sqlite3.Error:
            return FORMAT

    @property
    def stale(self) -> bool:
        """Written by an older version: some entries are missing, so lookups could miss candidates."""
        return self.format < FORMAT

    def close(self) -> None:
        self.db.close()

    def clear(self) -> None:
        with self.db:
            self.db.execute("DELETE FROM entries")
            self.db.execute("DELETE FROM meta")
        self._set_format()

    @property
    def server_token(self) -> Optional[str]:
        """The server stamp this index describes (:func:`stamp_update`); None: no server's."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'server_token'").fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def replace_sources(self, rows: GraphRows, sources: Iterable[str], *,
                        server_token: Any = _UNCHANGED) -> None:
        """Drop the entries of ``sources``, add those of ``rows``; ``server_token`` (for an index of a
        server): the stamp it now describes, None for none, written in the same transaction."""
        from loaders.rdf_writer import iri

        sources = sorted(set(sources))
        labels = {n.id: n.label for n in rows.nodes}
        labels.update(rows.known)
        titles = {n.id: n.props.get("matchTitle") or "" for n in rows.nodes if n.label == "Document"}
        entries: list[tuple] = []  # (kind, iri, source, text[, year])
        for n in rows.nodes:
            if n.label == "Agency":
                names = [n.props.get("matchKey") or ""] + list(n.props.get("altLabels") or []) \
                    + list(n.props.get("hiddenLabels") or [])
                entries.append(("agency", str(iri(n.id, "Agency")), None, "\n".join(x for x in names if x)))
            elif n.label == "CitedDocument":
                keys = [n.props.get("matchKey") or "", n.props.get("matchTitle") or ""]
                entries.append(("cited", str(iri(n.id, "CitedDocument")), None, "\n".join(x for x in keys if x)))
        task_doc = {e.src: e.dst for e in rows.edges if e.type == "IN_DOCUMENT"}
        for n in rows.nodes:
            if n.label == "Task":
                text = (n.props.get("matchText") or "") + "\n" + titles.get(task_doc.get(n.id, ""), "")
                entries.append(("task", str(iri(n.id, "Task")), n.source_id, text))
            elif n.label == "Document" and n.props.get("issuer"):
                issuer = n.props["issuer"]
                entries.append(("issuer", str(iri(n.id, "Document")), n.source_id, issuer + "\n" + match_key(issuer)))
            elif n.label == "Target" and n.props.get("metric"):
                metric = n.props["metric"]
                entries.append(("target", str(iri(n.id, "Target")), n.source_id, metric + "\n" + match_key(metric),
                                n.props.get("year")))
        for e in rows.edges:
            if e.type in ("LEADS", "SHARES") and e.props.get("name"):
                entries.append(("agency", str(iri(e.src, labels.get(e.src, "Agency"))), e.source_id,
                                e.props["name"]))
        with self.db:
            for k in range(0, len(sources), 500):
                chunk = sources[k:k + 500]
                self.db.execute(f"DELETE FROM entries WHERE source IN ({','.join('?' * len(chunk))})", chunk)
            shared = [e[1] for e in entries if e[2] is None]
            for k in range(0, len(shared), 500):  # a shared node's own entry is rewritten, not repeated
                chunk = shared[k:k + 500]
                self.db.execute("DELETE FROM entries WHERE source IS NULL "
                                f"AND iri IN ({','.join('?' * len(chunk))})", chunk)
            self.db.executemany("INSERT INTO entries(kind, iri, source, text, year) VALUES (?, ?, ?, ?, ?)",
                                [e if len(e) == 5 else (*e, None) for e in entries])
            if server_token is not _UNCHANGED:
                self.db.execute("DELETE FROM meta WHERE key = 'server_token'")
                if server_token is not None:
                    self.db.execute("INSERT INTO meta(key, value) VALUES ('server_token', ?)", (server_token,))

    def lookup(self, kind: str, keyword: str, year: Optional[int] = None) -> list[str]:
        """IRIs of the entries of ``kind`` whose text contains ``keyword`` (match form), sorted; with
        ``year``, only entries of that year (targets)."""
        if not keyword:
            return []
        and_year, args = ("AND e.year = ?", (year,)) if year is not None else ("", ())
        if len(keyword) >= 3:  # trigram: a substring query is an index lookup
            q = ("SELECT DISTINCT e.iri FROM entries_fts f JOIN entries e ON e.id = f.rowid "
                 f"WHERE entries_fts MATCH ? AND e.kind = ? {and_year}")
            found = self.db.execute(q, ('"' + keyword.replace('"', '""') + '"', kind, *args)).fetchall()
        else:  # shorter than a trigram: LIKE over the table (a scan in SQLite, no index)
            pattern = "%" + keyword.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            found = self.db.execute("SELECT DISTINCT e.iri FROM entries e WHERE e.kind = ? AND e.text LIKE ? "
                                    f"ESCAPE '\\' {and_year}", (kind, pattern, *args)).fetchall()
        return sorted(r[0] for r in found)
