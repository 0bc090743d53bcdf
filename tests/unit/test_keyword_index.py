"""The keyword index beside the embedded store (loaders/keyword_index.py) and its use by the runner."""
from __future__ import annotations

from loaders.graph_rows import Edge, GraphRows, Node
from loaders.keyword_index import KeywordIndex
from loaders.rdf_writer import iri
from queries.sparql_runner import use_keyword_index


def _rows(source: str, text: str, title: str = "") -> GraphRows:
    doc, task = f"{source}-d1", f"{source}-d1-t1"
    return GraphRows(
        nodes=[Node(doc, "Document", {"matchTitle": title}, source),
               Node(task, "Task", {"matchText": text}, source),
               Node("agency-x", "Agency", {"matchKey": "绵阳市财政局", "hiddenLabels": ["市财政"]})],
        edges=[Edge(task, "IN_DOCUMENT", doc, {}, source),
               Edge("agency-x", "LEADS", task, {"name": "市财政局", "start": 3}, source)])


def test_three_characters_and_more_find_by_trigram_two_by_like():
    ix = KeywordIndex()
    ix.replace_sources(_rows("a", "加快去库存步伐", "住房方案"), {"a"})
    ix.replace_sources(_rows("b", "降成本"), {"b"})
    task_a = str(iri("a-d1-t1", "Task"))
    assert ix.lookup("task", "去库存") == [task_a]
    assert ix.lookup("task", "库存") == [task_a]          # two characters: the LIKE fallback
    assert ix.lookup("task", "住房方案") == [task_a]      # the document's title counts for its tasks
    assert ix.lookup("task", "去产能") == []
    assert ix.lookup("agency", "市财政局") == [str(iri("agency-x", "Agency"))]  # a written name
    assert ix.lookup("agency", "阳市财") == [str(iri("agency-x", "Agency"))]    # a fragment of the canonical


def test_replacing_a_source_drops_its_old_entries_only():
    ix = KeywordIndex()
    ix.replace_sources(_rows("a", "加快去库存"), {"a"})
    ix.replace_sources(_rows("b", "去库存"), {"b"})
    ix.replace_sources(_rows("a", "降成本"), {"a"})
    assert ix.lookup("task", "去库存") == [str(iri("b-d1-t1", "Task"))]
    assert ix.lookup("task", "降成本") == [str(iri("a-d1-t1", "Task"))]


def test_the_runner_replaces_the_scan_block_by_values():
    ix = KeywordIndex()
    ix.replace_sources(_rows("a", "加快去库存"), {"a"})
    text = "SELECT * WHERE {\n  #@keyword task goal ?task\n  { SCAN }\n  #@end-keyword\n  ?task ?p ?o }"
    out = use_keyword_index(text, {"goal": "去库存"}, ix)
    assert "SCAN" not in out and f"VALUES ?task {{ <{iri('a-d1-t1', 'Task')}> }}" in out
    assert use_keyword_index(text, {"goal": None}, ix) == text  # no keyword: the scan stays


def test_an_index_written_by_an_older_version_is_stale_until_cleared(tmp_path):
    import sqlite3

    from loaders.keyword_index import FORMAT

    path = tmp_path / "store-keywords.sqlite"
    ix = KeywordIndex(path)
    assert ix.format == FORMAT and not ix.stale      # a new index is written by this version
    ix.replace_sources(_rows("a", "加快去库存"), {"a"})
    ix.close()
    db = sqlite3.connect(path)                       # as an index of before the version mark: user_version 0
    db.execute("PRAGMA user_version = 0")
    db.commit()
    db.close()
    old = KeywordIndex(path)
    assert old.format == 1 and old.stale             # entries of an older version: lookups could miss kinds
    old.replace_sources(_rows("b", "降成本"), {"b"})
    assert old.stale                                 # a load adds new entries, the old sources' stay incomplete
    old.clear()                                      # build --fresh
    assert old.format == FORMAT and not old.stale
    old.close()
    assert not KeywordIndex(path).stale

