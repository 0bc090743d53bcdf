"""The local Neo4j and Oxigraph servers answer for real.

Each test starts its server first (a quick no-op when it already runs; Neo4j is
installed from Maven Central on first use). A server that cannot be started or
reached makes the test FAIL, in CI (CI=true) and outside it alike: nothing here
is ever skipped.
"""
from __future__ import annotations

import os
import time
import urllib.request

import pytest

from policykg import config
from policykg.errors import ServiceError
from interface.services import neo4j_server, oxigraph_server

pytestmark = pytest.mark.integration

IN_CI = os.environ.get("CI", "").lower() == "true"


_started_once: dict[str, object] = {}
_start_problem: dict[str, str] = {}


def _started(name: str, start):
    """Start (or find running) a server once per session; FAIL the test when it cannot be.

    A failed start is remembered, so the following tests fail at once instead of
    waiting for the same timeout again.
    """
    if name not in _started_once and name not in _start_problem:
        try:
            _started_once[name] = start()
        except ServiceError as exc:
            _start_problem[name] = str(exc)
    if name in _start_problem:
        where = "in CI (CI=true)" if IN_CI else "locally"
        pytest.fail(f"{name} could not be started/reached {where}: {_start_problem[name]}", pytrace=False)
    return _started_once[name]


def _neo4j() -> neo4j_server.Neo4jStatus:
    return _started("Neo4j", lambda: neo4j_server.start(wait=True, timeout=300))


def _oxigraph() -> oxigraph_server.OxigraphStatus:
    return _started("Oxigraph", lambda: oxigraph_server.start(wait=True, timeout=60))


def test_neo4j_answers_return_1_over_bolt_with_auth():
    _neo4j()
    from neo4j import GraphDatabase

    settings = config.neo4j_settings()
    with GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password)) as driver:
        driver.verify_connectivity()
        records, summary, keys = driver.execute_query("RETURN 1 AS one", database_=settings.database)
    assert keys == ["one"]
    assert records[0]["one"] == 1
    assert summary.server.agent.startswith("Neo4j/5.26")


def test_neo4j_refuses_a_wrong_password():
    _neo4j()
    from neo4j import GraphDatabase
    from neo4j.exceptions import AuthError

    settings = config.neo4j_settings()
    with GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password + "-wrong")) as driver:
        with pytest.raises(AuthError):
            driver.verify_connectivity()


def test_neo4j_http_serves_browser():
    _neo4j()
    # A browser asking for "/" is redirected (303) to /browser/, Neo4j Browser's page.
    req = urllib.request.Request(neo4j_server.http_url() + "/", headers={"Accept": "text/html"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 200
        assert resp.geturl().rstrip("/").endswith("/browser")
        assert resp.headers.get_content_type() == "text/html"
        html = resp.read().decode("utf-8")
    assert "<title>Neo4j Browser</title>" in html


def test_neo4j_http_discovery_names_the_version():
    _neo4j()
    import json

    req = urllib.request.Request(neo4j_server.http_url() + "/", headers={"Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        doc = json.loads(resp.read())
    assert doc["neo4j_edition"] == "community"
    assert doc["neo4j_version"].startswith("5.26.")
    assert doc["bolt_direct"] == neo4j_server.bolt_url()


def test_neo4j_status_and_second_start_is_a_quick_no_op():
    neo4j = _neo4j()
    t0 = time.monotonic()
    st = neo4j_server.start(wait=True)
    assert time.monotonic() - t0 < 20
    assert st.installed and st.running and st.bolt_listening and st.http_listening
    assert st.version == neo4j_server.version()
    assert st.pid == neo4j.pid
    assert config.neo4j_settings().password not in "\n".join(st.lines())


def test_oxigraph_answers_ask_over_http():
    _oxigraph()
    from SPARQLWrapper import JSON, SPARQLWrapper

    sparql = SPARQLWrapper(config.sparql_endpoint())
    sparql.setQuery("ASK {}")
    sparql.setReturnFormat(JSON)
    result = sparql.queryAndConvert()
    assert result["boolean"] is True


def test_oxigraph_status_and_second_start_is_a_quick_no_op():
    oxigraph = _oxigraph()
    t0 = time.monotonic()
    st = oxigraph_server.start(wait=True)
    assert time.monotonic() - t0 < 5
    assert st.running and st.managed and st.pid == oxigraph.pid
    assert oxigraph_server.pid_file().read_text().strip() == str(st.pid)
