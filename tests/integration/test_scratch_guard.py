"""The test suite never wipes a database it did not create.

``Neo4jWriter.clear`` and ``RemoteSparqlStore.clear`` (what the tests call to start from an empty
graph) wipe a scratch database only: one carrying the marker (the Neo4j constraint
``policykg_scratch_database``, the SPARQL graph ``<urn:policykg:scratch-database>``) or an empty
one, which they mark. A database holding data without the marker — a real one that NEO4J_URI or
SPARQL_ENDPOINT points at — is refused, and its data is still there afterwards.

Neo4j: the shared test server, with its marker taken away for the length of the test (and put back).
SPARQL: a second `oxigraph serve` of this test's own, on a free loopback port, in a temp folder.
"""
from __future__ import annotations

import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from loaders.neo4j_writer import SCRATCH_MARKER, SCRATCH_MARKER_STATEMENT
from loaders.rdf_store import SCRATCH_GRAPH, RemoteSparqlStore
from policykg.errors import BackendError
from tests.integration.neo4j_fixtures import neo4j_driver, neo4j_settings, neo4j_writer  # noqa: F401
from tests.conftest import free_port

pytestmark = pytest.mark.integration


def test_neo4j_refuses_to_clear_a_database_with_data_and_no_marker(neo4j_writer):
    w = neo4j_writer  # cleared, hence marked
    assert w.is_scratch()
    run = lambda q, **p: w.driver.execute_query(q, p, database_=w.database).records  # noqa: E731
    try:
        run(f"DROP CONSTRAINT {SCRATCH_MARKER}")
        run("CREATE (:Precious {name: 'a real graph'})")
        assert not w.is_scratch()
        with pytest.raises(BackendError) as refused:
            w.clear()
        message = str(refused.value)
        assert "refusing to clear" in message and w.uri in message and SCRATCH_MARKER in message
        assert run("MATCH (n:Precious) RETURN n.name AS name")[0]["name"] == "a real graph"
    finally:
        run("MATCH (n:Precious) DELETE n")
        run(SCRATCH_MARKER_STATEMENT)
    assert w.is_scratch()
    w.clear()  # marked again: wiped, and the marker survives its own wipe
    assert w.counts()["nodes"] == 0 and w.is_scratch()


def test_neo4j_marks_an_empty_database_before_clearing_it(neo4j_writer):
    w = neo4j_writer
    w.driver.execute_query(f"DROP CONSTRAINT {SCRATCH_MARKER}", database_=w.database)
    try:
        assert not w.is_scratch() and w.counts()["nodes"] == 0
        w.clear()
        assert w.is_scratch()
    finally:
        w.driver.execute_query(SCRATCH_MARKER_STATEMENT, database_=w.database)


# -- SPARQL: a private `oxigraph serve` ---------------------------------------------------------


@pytest.fixture()
def private_oxigraph(tmp_path):
    from interface.services.oxigraph_server import ensure_binary

    port = free_port()
    proc = subprocess.Popen([str(ensure_binary()), "serve", "--location", str(tmp_path / "data"),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("a private oxigraph serve did not start", pytrace=False)
            time.sleep(0.1)
    yield RemoteSparqlStore(base + "/query", base + "/update", base + "/store", timeout=10)
    proc.terminate()
    proc.wait(timeout=20)


def _triples(store: RemoteSparqlStore) -> int:
    import json

    q = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    req = urllib.request.Request(store.query_url + "?" + urllib.parse.urlencode({"query": q}),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return int(json.loads(resp.read())["results"]["bindings"][0]["n"]["value"])


def test_sparql_refuses_to_clear_a_server_with_data_and_no_marker(private_oxigraph):
    store = private_oxigraph
    store._post(store.update_url, b'INSERT DATA { GRAPH <urn:x:real> { <urn:x:a> <urn:x:b> "precious" } }',
                "application/sparql-update")
    with pytest.raises(BackendError) as refused:
        store.clear()
    assert "refusing to clear" in str(refused.value) and store.update_url in str(refused.value)
    assert _triples(store) == 1 and not store.is_scratch()


def test_sparql_marks_an_empty_server_and_keeps_the_mark_across_clears(private_oxigraph):
    store = private_oxigraph
    store.clear()  # empty: marked
    assert store.is_scratch() and _triples(store) == 1  # the marker itself
    store._post(store.update_url, b'INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> "test data" } }',
                "application/sparql-update")
    store.clear()  # marked: wiped, marker kept
    assert store.is_scratch() and _triples(store) == 1
    assert SCRATCH_GRAPH.startswith("urn:policykg:")
