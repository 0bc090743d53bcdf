"""User queries are read-only on every path: the API, the CLI and `policykg serve`, on every backend.

Each write attempt of tests/read_only_cases.py (updates after comments, behind \\u escapes, after
an IRI with '#', CALL procedures, LOAD CSV, CREATE after a // line …) is refused on each path with
a clear message, and the stores hold exactly what they held before. Then the servers' own guards
are shown with the pre-checks switched off: the SPARQL server is only ever sent `query=` (which
parses no update) and user Cypher runs in a READ transaction, which Neo4j refuses to write in.
The seed is built into the three backends first (real servers; a server down FAILS the tests).
"""
from __future__ import annotations

import gc
import json
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from typer.testing import CliRunner

from interface.cli import app
from policykg.errors import QueryError
from tests.conftest import seed_on_three_backends
from tests.read_only_cases import CYPHER_READS, CYPHER_WRITES, SPARQL_READS, SPARQL_WRITES

pytestmark = pytest.mark.integration

SPARQL_BACKENDS = ("embedded", "sparql")


@pytest.fixture(scope="module")
def home(tmp_path_factory, servers):
    h = tmp_path_factory.mktemp("home")
    graphs = seed_on_three_backends(h)
    yield h, graphs
    for g in graphs.values():
        g.close()


def _state(graphs) -> dict:
    """What each store holds: quads, and Neo4j's nodes, relationships and label tokens."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    neo = graphs["neo4j"]
    return {"embedded": graphs["embedded"].sparql(count)[0]["n"],
            "sparql": graphs["sparql"].sparql(count)[0]["n"],
            "neo4j": neo.cypher("MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, "
                                "count(r) AS rels, collect(DISTINCT labels(n)) AS labels")[0],
            "labels": sorted(r["label"] for r in neo.cypher("CALL db.labels() YIELD label RETURN label")),
            "properties": sorted(r["k"] for r in neo.cypher("CALL db.propertyKeys() YIELD propertyKey AS k RETURN k"))}


@pytest.fixture(scope="module")
def serve(home):
    """`policykg serve` on each backend (port 0), as {backend: GET(path, **params) → (status, body)}."""
    from interface.server import make_server

    _, graphs = home
    servers, out = [], {}
    for name, g in graphs.items():
        srv = make_server("127.0.0.1", 0, graph=g)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)

        def get(path, _base=f"http://127.0.0.1:{srv.server_address[1]}", **params):
            url = _base + path + "?" + urllib.parse.urlencode(params)
            try:
                with urllib.request.urlopen(url, timeout=30) as resp:
                    return resp.status, json.loads(resp.read())
            except urllib.error.HTTPError as exc:
                return exc.code, json.loads(exc.read())
        out[name] = get
    yield out
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def _every_path(home, serve, backend: str, lang: str, text: str) -> list[str]:
    """Run ``text`` on the API, the CLI and serve; the refusal messages (a path that ran it fails)."""
    h, graphs = home
    messages = []
    with pytest.raises(QueryError) as api:
        getattr(graphs[backend], lang)(text)
    messages.append(str(api.value))
    del api  # its traceback holds the store open
    graphs[backend].close()  # the CLI opens the embedded store itself (one process at a time); reopened lazily
    result = CliRunner().invoke(app, ["query", f"--{lang}", text, "--backend", backend],
                                env={"POLICYKG_HOME": str(h)})
    assert result.exit_code != 0, f"CLI ran it: {result.output}"
    assert "Traceback" not in result.output
    messages.append(result.output)
    del result  # its exc_info holds the CLI's frames, and so its store, open (a real CLI process exits)
    gc.collect()
    status, body = serve[backend](f"/{lang}", query=text)
    assert status == 400, (status, body)
    messages.append(body["error"])
    return messages


@pytest.mark.parametrize("backend", SPARQL_BACKENDS)
@pytest.mark.parametrize("text", SPARQL_WRITES.values(), ids=SPARQL_WRITES.keys())
def test_sparql_writes_are_refused_on_every_path(home, serve, backend, text):
    before = _state(home[1])
    for message in _every_path(home, serve, backend, "sparql", text):
        assert "read-only" in " ".join(message.split())
    assert _state(home[1]) == before


@pytest.mark.parametrize("text", CYPHER_WRITES.values(), ids=CYPHER_WRITES.keys())
def test_cypher_writes_are_refused_on_every_path(home, serve, text):
    before = _state(home[1])
    for message in _every_path(home, serve, "neo4j", "cypher", text):
        assert "read-only" in " ".join(message.split())
    assert _state(home[1]) == before


@pytest.mark.parametrize("backend", SPARQL_BACKENDS)
@pytest.mark.parametrize("text", SPARQL_READS.values(), ids=SPARQL_READS.keys())
def test_sparql_reads_with_write_words_run(home, serve, backend, text):
    assert home[1][backend].sparql(text)
    status, body = serve[backend]("/sparql", query=text)
    assert status == 200 and body


@pytest.mark.parametrize("text", CYPHER_READS.values(), ids=CYPHER_READS.keys())
def test_cypher_reads_with_write_words_run(home, serve, text):
    assert home[1]["neo4j"].cypher(text)
    assert serve["neo4j"]("/cypher", query=text)[0] == 200


# -- the servers' own guards, with the pre-checks off ---------------------------------------------

SERVER_SIDE_SPARQL = {k: v for k, v in SPARQL_WRITES.items() if "service" not in k}  # SERVICE is a read
# LOAD CSV is a read for Neo4j (only the pre-check refuses it); APOC is not installed
SERVER_SIDE_CYPHER = {k: v for k, v in CYPHER_WRITES.items() if "load csv" not in k and "apoc" not in k}


@pytest.mark.parametrize("backend", SPARQL_BACKENDS)
@pytest.mark.parametrize("text", SERVER_SIDE_SPARQL.values(), ids=SERVER_SIDE_SPARQL.keys())
def test_the_sparql_protocol_refuses_updates_the_precheck_missed(home, backend, text, monkeypatch):
    from queries import sparql_runner

    monkeypatch.setattr(sparql_runner, "ensure_read_only", lambda text: None)
    before = _state(home[1])
    with pytest.raises(QueryError):
        home[1][backend].sparql(text)
    assert _state(home[1]) == before


@pytest.mark.parametrize("text", SERVER_SIDE_CYPHER.values(), ids=SERVER_SIDE_CYPHER.keys())
def test_neo4j_read_transactions_refuse_writes_the_precheck_missed(home, text, monkeypatch):
    from queries import cypher_runner

    monkeypatch.setattr(cypher_runner, "check_read_only", lambda text: None)
    before = _state(home[1])
    with pytest.raises(QueryError):
        home[1]["neo4j"].cypher(text)
    assert _state(home[1]) == before
