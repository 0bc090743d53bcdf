"""The read-only pre-checks of user SPARQL and Cypher (no server; every path runs them first).

The servers' own guards (a query endpoint parses no updates, a READ transaction refuses writes)
are shown in tests/integration/test_read_only.py.
"""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from policykg.errors import QueryError
from queries.cypher_runner import check_read_only
from queries.sparql_runner import ensure_read_only, run_user_embedded
from tests.read_only_cases import CYPHER_READS, CYPHER_WRITES, SPARQL_READS, SPARQL_WRITES


@pytest.mark.parametrize("text", SPARQL_WRITES.values(), ids=SPARQL_WRITES.keys())
def test_sparql_writes_are_refused(text):
    with pytest.raises(QueryError, match="read-only"):
        ensure_read_only(text)


@pytest.mark.parametrize("text", SPARQL_READS.values(), ids=SPARQL_READS.keys())
def test_sparql_reads_pass_and_run(text):
    ensure_read_only(text)
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"),
                      ox.NamedNode("urn:x:g")))
    assert run_user_embedded(store, text)


@pytest.mark.parametrize("text", CYPHER_WRITES.values(), ids=CYPHER_WRITES.keys())
def test_cypher_writes_are_refused(text):
    with pytest.raises(QueryError, match="read-only"):
        check_read_only(text)


@pytest.mark.parametrize("text", CYPHER_READS.values(), ids=CYPHER_READS.keys())
def test_cypher_reads_pass(text):
    check_read_only(text)


def test_embedded_store_never_runs_an_update_even_unchecked():
    """Store.query parses queries only: an update that slipped past the pre-check is a syntax error."""
    store = ox.Store()
    with pytest.raises(SyntaxError):
        store.query(SPARQL_WRITES["insert data"])
    assert len(store) == 0


def test_bad_sparql_is_a_query_error_not_a_traceback():
    with pytest.raises(QueryError, match="does not parse"):
        run_user_embedded(ox.Store(), "SELEC * WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="empty"):
        run_user_embedded(ox.Store(), "   ")
