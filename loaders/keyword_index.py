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
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable, Optional

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
"""


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
        self._set_format()

    def replace_sources(self, rows: GraphRows, sources: Iterable[str]) -> None:
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
