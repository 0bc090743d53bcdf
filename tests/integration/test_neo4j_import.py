"""The bulk path (``neo4j-admin database import``, loaders/neo4j_import.py) builds the SAME graph as Bolt.

On the local server the tests run (POLICYKG_NEO4J_* ports): the seed and a subset of the laws corpus
are loaded over Bolt exactly as ``policykg build --neo4j`` + ``policykg laws load --neo4j`` would,
and dumped (every node: labels and properties; every relationship: type, ends, properties; the
indexes and constraints); then the same inputs go through the bulk path (CSV files, stop, import,
start, schema, derived facts) and the dump must be equal, and so must the canned queries' answers.
The database is a scratch one (the marker survives the import); one that holds data without the
marker, a remote URI or a second write of a source are refused.
"""
from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from backends.neo4j import Neo4jBackend, derive_after_import
from interface.services import neo4j_server
from loaders.graph_rows import Edge, GraphRows, Node, match_key, rows_for
from loaders.neo4j_import import CsvGraph, ImportRefused, bulk_import, check_target, feed
from loaders.neo4j_writer import SCRATCH_MARKER, SCRATCH_MARKER_STATEMENT, Neo4jWriter
from policykg.errors import BackendError
from queries.cypher_runner import run_cypher
from tests.conftest import SEED, SHARED
from tests.integration.neo4j_fixtures import neo4j_settings  # noqa: F401 (fixture)

LAWS = SHARED / "corpus" / "laws"
LAWS_LIMIT = 60
#: values a CSV file could get wrong: quotes, commas, line breaks, backslashes, the empty string,
#: big and small numbers, booleans, lists (empty too), loaded both ways after the seed and the laws
HOSTILE = GraphRows(
    nodes=[Node("hostile-d1", "Document", {
        "title": 'a "quoted", comma\nnew line \\ backslash; semi\ttab \u3000《全角》 \U0001F600',
        "docNumber": "", "issuer": " leading and trailing spaces ", "level": 2 ** 62, "value": 1e-7,
        "ratio": -0.5, "generic": False, "recurring": True, "addressees": [], "tags": ["x", 'y,z"q', "多\n行"],
        "years": [2016, 2017], "issueDate": "2016-06-01"}, "hostile"),
           Node("hostile-t1", "Task", {"title": "\"", "text": "\r\n", "path": "1"}, "hostile")],
    edges=[Edge("hostile-t1", "IN_DOCUMENT", "hostile-d1", {"quote": '""', "start": 0, "order": 0}, "hostile"),
           Edge("hostile-t1", "CITES", "cited-nowhere", {}, "hostile")])  # no end node: dropped both ways


def _freeze(v):
    if isinstance(v, list):
        return tuple(_freeze(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    return v


def dump(driver, database) -> dict:
    """The whole database in a comparable form (ids are the Entity.id property)."""
    nodes = {}
    for r in driver.execute_query("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props",
                                  database_=database).records:
        props = dict(r["props"])
        nodes[props["id"]] = (tuple(sorted(r["labels"])), _freeze(props))
    rels = Counter(
        (r["a"], r["t"], r["b"], _freeze(dict(r["props"])))
        for r in driver.execute_query("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                                      "properties(r) AS props", database_=database).records)
    indexes = sorted(
        (r["name"], r["type"], tuple(r["labelsOrTypes"] or ()), tuple(r["properties"] or ()), r["state"])
        for r in driver.execute_query("SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state "
                                      "RETURN *", database_=database).records)
    constraints = sorted((r["name"], r["type"]) for r in driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type RETURN *", database_=database).records)
    return {"nodes": nodes, "rels": rels, "indexes": indexes, "constraints": constraints}


def answers(driver, database) -> dict:
    """Every canned query that the seed and the laws answer, with its documented example."""
    laws = run_cypher(driver, "laws_held", {}, database)
    law_title = sorted(r["title"] for r in laws)[0]
    cases = {
        "departments_for_goal": {"goal": match_key("住房公积金")},
        "tasks_citing": {"reg": match_key("财税〔2015〕119号")},
        "documents_citing": {"reg": match_key("四川省行政机关限时办结制度")},
        "impact_of_document": {"reg": match_key("绵府发〔2016〕13号"), "on_date": "2016-07-01"},
        "agency_tasks": {"for_agency": match_key("市财政局")},
        "deadlines_between": {"date_from": "2016-06-01", "date_to": "2016-12-31", "for_agency": None},
        "in_force_on": {"on_date": "2021-07-01", "issued_by": None},
        "targets_for": {"of_metric": "直接融资", "in_year": None},
        "agencies_in_sector": {"of_sector": "财政部门", "within": "四川省"},
        "cited_titles": {},
        "known_names": {},
        "laws_held": {},
        "expiring_documents": {},
    }
    out = {}
    for name, params in cases.items():
        from queries.loader import load_query

        wanted = load_query(name, "cypher").params
        params = {k: v for k, v in params.items() if k in wanted}
        params.update({k: None for k in wanted if k not in params})
        out[name] = sorted((_freeze(r) for r in run_cypher(driver, name, params, database)), key=repr)
    out["documents_citing a law"] = sorted((_freeze(r) for r in run_cypher(
        driver, "documents_citing", {"reg": match_key(law_title)}, database)), key=repr)
    return out


def _driver(settings):
    """A driver of its own: the import replaces the database, so the transaction ids restart and a
    driver that lived across it waits for a bookmark the new database never reaches."""
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password))
    driver.verify_connectivity()
    return driver


@pytest.fixture(scope="module")
def loads(neo4j_settings, tmp_path_factory):  # noqa: F811
    db = neo4j_settings.database
    neo4j_server.start(wait=True, timeout=300)  # a quick no-op when it runs
    before = _driver(neo4j_settings)
    try:
        Neo4jWriter(before, db).clear()  # a scratch database only (an empty one is marked)
        # 1. over Bolt, as `policykg build --neo4j` then `policykg laws load --neo4j`
        backend = Neo4jBackend()
        try:
            feed(backend, [SEED], laws_root=LAWS, laws_limit=LAWS_LIMIT)
            backend.load(HOSTILE, {"hostile"})
        finally:
            backend.close()
        bolt = dump(before, db)
        bolt_answers = answers(before, db)
    finally:
        before.close()
    # 2. the bulk path, from the same inputs
    was_scratch = check_target(neo4j_settings, neo4j_server)
    graph = CsvGraph(tmp_path_factory.mktemp("csv") / "import")
    feed(graph, [SEED], laws_root=LAWS, laws_limit=LAWS_LIMIT)
    graph.load(HOSTILE, {"hostile"})


    report = bulk_import(graph, settings=neo4j_settings, server=neo4j_server, was_scratch=was_scratch,
                         after_start=derive_after_import)
    after = _driver(neo4j_settings)
    yield {"bolt": bolt, "bulk": dump(after, db), "bolt_answers": bolt_answers, "bulk_answers": answers(after, db),
           "report": report, "was_scratch": was_scratch, "csv": graph.dir, "driver": after}
    after.close()


def test_the_loads_are_not_trivial(loads):
    bolt = loads["bolt"]
    labels = Counter(lb for ls, _ in bolt["nodes"].values() for lb in ls)
    types = Counter(t for (_, t, _, _), n in bolt["rels"].items() for _ in range(n))
    assert labels["Law"] == LAWS_LIMIT and labels["Document"] > LAWS_LIMIT and labels["Task"] > 100
    assert {"LEADS", "SHARES", "CITES", "SAME_AS", "PART_OF", "IN_DOCUMENT", "MENTIONED_IN"} <= set(types)
    hostile = dict(bolt["nodes"]["hostile-d1"][1])
    assert hostile["docNumber"] == "" and hostile["tags"][1] == 'y,z"q' and hostile["addressees"] == ()
    assert loads["report"].dropped_edges == 1
    # the derived fact and the list properties are part of what is compared
    assert any(dict(p).get("addressees") for _, p in bolt["nodes"].values())
    assert any(dict(p).get("addressees") == () for _, p in bolt["nodes"].values())


def test_bulk_import_builds_the_same_nodes(loads):
    bolt, bulk = loads["bolt"]["nodes"], loads["bulk"]["nodes"]
    assert set(bulk) == set(bolt)
    differ = [i for i in bolt if bolt[i] != bulk[i]]
    assert not differ, f"{len(differ)} nodes differ, e.g. {differ[0]}: bolt {bolt[differ[0]]} bulk {bulk[differ[0]]}"
    assert loads["report"].nodes == len(bolt)


def test_bulk_import_builds_the_same_relationships(loads):
    bolt, bulk = loads["bolt"]["rels"], loads["bulk"]["rels"]
    assert bulk == bolt, (f"only over Bolt: {list((bolt - bulk).items())[:3]}; "
                          f"only in the import: {list((bulk - bolt).items())[:3]}")
    assert loads["report"].relationships == sum(bolt.values())


def test_bulk_import_creates_the_same_schema_and_keeps_the_scratch_marker(loads):
    assert loads["bulk"]["indexes"] == loads["bolt"]["indexes"]
    assert loads["bulk"]["constraints"] == loads["bolt"]["constraints"]
    assert loads["was_scratch"] is True
    assert (SCRATCH_MARKER, "UNIQUENESS") in loads["bulk"]["constraints"]
    assert not loads["csv"].exists()  # the CSV files are removed after a successful import


def test_canned_queries_answer_the_same(loads):
    bolt, bulk = loads["bolt_answers"], loads["bulk_answers"]
    assert bolt["departments_for_goal"] and bolt["impact_of_document"] and bolt["laws_held"]
    for name in bolt:
        assert bulk[name] == bolt[name], name


def test_refuses_a_database_with_data_and_no_scratch_marker(loads, neo4j_settings):  # noqa: F811
    db, neo4j_driver = neo4j_settings.database, loads["driver"]
    neo4j_driver.execute_query(f"DROP CONSTRAINT {SCRATCH_MARKER} IF EXISTS", database_=db)
    try:
        with pytest.raises(ImportRefused, match="not marked as a scratch database"):
            check_target(neo4j_settings, neo4j_server)
        assert neo4j_server.status().running  # nothing was stopped
    finally:
        neo4j_driver.execute_query(SCRATCH_MARKER_STATEMENT, database_=db)


def test_refuses_a_server_it_does_not_manage(neo4j_settings):  # noqa: F811
    remote = dataclasses.replace(neo4j_settings, uri="neo4j+s://example.databases.neo4j.io")
    with pytest.raises(ImportRefused, match="LOCAL Neo4j"):
        check_target(remote, neo4j_server)
    other = dataclasses.replace(neo4j_settings, database="reports")
    with pytest.raises(ImportRefused, match="NEO4J_DATABASE"):
        check_target(other, neo4j_server)


def test_refuses_a_second_write_of_a_source(tmp_path, seed_extraction):
    rows = rows_for(seed_extraction)
    graph = CsvGraph(tmp_path / "csv")
    graph.load(rows, {seed_extraction.source.id})
    with pytest.raises(BackendError, match="first full load"):
        graph.load(rows, {seed_extraction.source.id})
