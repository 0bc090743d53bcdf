"""The keyword index beside the embedded store (loaders/keyword_index.py) and its use by the runner."""
from __future__ import annotations

from loaders.graph_rows import Edge, GraphRows, Node
from loaders.keyword_index import KeywordIndex
from loaders.rdf_writer import iri
from queries.sparql_runner import use_keyword_index, uses_keyword_index


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
    assert uses_keyword_index(text, {"goal": "去库存"}) and not uses_keyword_index(text, {"goal": None})


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


def test_a_server_token_is_written_with_the_entries_and_cleared_with_them(tmp_path):
    path = tmp_path / "sparql-keywords.sqlite"
    ix = KeywordIndex(path)
    assert ix.server_token is None
    ix.replace_sources(_rows("a", "加快去库存"), {"a"}, server_token="t1")
    assert ix.server_token == "t1"
    ix.replace_sources(_rows("b", "降成本"), {"b"})  # no token given: the token stays
    assert ix.server_token == "t1"
    ix.replace_sources(_rows("b", "降成本"), {"b"}, server_token=None)  # a write it could not follow
    assert ix.server_token is None
    ix.replace_sources(_rows("b", "降成本"), {"b"}, server_token="t2")
    ix.close()
    ix = KeywordIndex(path)
    assert ix.server_token == "t2" and ix.lookup("task", "去库存")
    ix.clear()
    assert ix.server_token is None and not ix.lookup("task", "去库存")


def test_the_stamp_is_one_update_on_a_store_and_records_what_it_replaced():
    import pyoxigraph as ox
    import pytest

    from loaders.keyword_index import STAMP_QUERY, stamp_update

    def stamp(store):
        rows = [(s["token"].value, s["follows"].value if s["follows"] else None) for s in store.query(STAMP_QUERY)]
        assert len(rows) <= 1
        return rows[0] if rows else (None, None)

    store = ox.Store()
    store.update(stamp_update("a1"))
    assert stamp(store) == ("a1", "empty")            # the first write into an empty store
    store.update(stamp_update("b2"))
    assert stamp(store) == ("b2", "a1")
    store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> 1 } }")
    store.update("DROP GRAPH <urn:policykg:keyword-stamp>")  # data and no stamp: an unknown writer
    store.update(stamp_update("c3"))
    assert stamp(store) == ("c3", None)
    with pytest.raises(ValueError):
        stamp_update('x" } }')


def test_the_server_gets_lateral_only_when_it_parses_it(monkeypatch):
    from policykg.errors import QueryError
    from queries import sparql_runner as runner

    sent = []

    def fake(endpoint, text, timeout=30):
        sent.append(text)
        if "LATERAL" in text and endpoint.endswith("/old"):
            raise QueryError("the SPARQL server rejected the query")
        return []

    monkeypatch.setattr(runner, "run_remote_text", fake)
    monkeypatch.setattr(runner, "_LATERAL", {})
    params = {"date_from": None, "date_to": None, "for_agency": None}
    runner.run_remote("http://x/new", "deadlines_between", params)
    runner.run_remote("http://x/new", "deadlines_between", params)
    assert sent[0] == runner.LATERAL_PROBE and "LATERAL {" in sent[1] and "LATERAL {" in sent[2]
    sent.clear()
    runner.run_remote("http://x/old", "deadlines_between", params)
    runner.run_remote("http://x/old", "deadlines_between", params)
    assert sent[0] == runner.LATERAL_PROBE and len(sent) == 3 and not any("LATERAL {" in t for t in sent[1:])
    # a server that parses the probe but not a query's LATERAL: that query again, portable, and from then on
    monkeypatch.setattr(runner, "_LATERAL", {"http://x/old": True})
    sent.clear()
    runner.run_remote("http://x/old", "deadlines_between", params)
    assert "LATERAL {" in sent[0] and "LATERAL {" not in sent[1] and runner._LATERAL["http://x/old"] is False
