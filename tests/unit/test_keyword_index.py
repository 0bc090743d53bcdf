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



def test_targets_are_found_by_metric_and_year_together(tmp_path):
    import sqlite3

    from loaders.keyword_index import FORMAT

    def target(source, metric, year):
        return GraphRows(nodes=[Node(f"{source}-g1", "Target", {"metric": metric, "year": year}, source)], edges=[])

    ix = KeywordIndex(tmp_path / "k.sqlite")
    for k, year in enumerate((2016, 2017, 2018, None)):
        ix.replace_sources(target(f"s{k}", "直接融资比重", year), {f"s{k}"})
    every = ix.lookup("target", "直接融资")
    assert len(every) == 4
    assert ix.lookup("target", "直接融资", year=2017) == [str(iri("s1-g1", "Target"))]
    assert ix.lookup("target", "融资", year=2018) == [str(iri("s2-g1", "Target"))]   # the LIKE path too
    assert ix.lookup("target", "直接融资", year=2030) == []
    ix.close()
    # an index of format 2 has no year column: it gets one, and stays stale (its targets have no year)
    db = sqlite3.connect(tmp_path / "old.sqlite")
    db.executescript("CREATE TABLE entries (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, iri TEXT NOT NULL, "
                     "source TEXT, text TEXT NOT NULL); INSERT INTO entries(kind, iri, text) VALUES ('task', 'x', 'y');"
                     "PRAGMA user_version = 2;")
    db.commit()
    db.close()
    old = KeywordIndex(tmp_path / "old.sqlite")
    assert old.stale and old.format == 2 < FORMAT
    assert old.lookup("target", "直接融资", year=2017) == []
