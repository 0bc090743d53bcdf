"""Fixtures for tests that talk to a real Neo4j (import them into a test module).

A server that cannot be reached makes the tests FAIL, never skip: when
``NEO4J_URI`` is the local default and nothing answers, the local server is
started first (``interface.services.neo4j_server.start``, a quick no-op when it
runs); if that fails too, ``pytest.fail`` says why.

These tests clear the database they are pointed at — only a scratch one: ``Neo4jWriter.clear``
refuses a database that holds data without the marker constraint ``policykg_scratch_database``
(an empty database is marked at its first clear), so a real database is never wiped
(tests/integration/test_scratch_guard.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # plain `pytest` without an installed package
    sys.path.insert(0, str(ROOT))

from policykg import config  # noqa: E402
from policykg.config import BUNDLED_GAZETTE  # noqa: E402

_LOCAL_URIS = {"bolt://127.0.0.1:7687", "neo4j://127.0.0.1:7687", "bolt://localhost:7687", "neo4j://localhost:7687"}


def _connect(settings):
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password), connection_timeout=5.0)
    try:
        driver.verify_connectivity()
    except Exception:
        driver.close()
        raise
    return driver


@pytest.fixture(scope="session")
def neo4j_settings():
    return config.neo4j_settings()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings):
    """A verified driver for :func:`policykg.config.neo4j_settings` (FAILS the test when unreachable)."""
    try:
        driver = _connect(neo4j_settings)
    except Exception as first:
        if neo4j_settings.uri not in _LOCAL_URIS:
            pytest.fail(f"Neo4j at {neo4j_settings.uri} is not reachable ({type(first).__name__}: {first}); "
                        "start it or point NEO4J_URI at a running server", pytrace=False)
        try:
            from interface.services import neo4j_server

            neo4j_server.start(wait=True, timeout=240)
            driver = _connect(neo4j_settings)
        except Exception as exc:  # the password is never part of these messages
            pytest.fail(f"Neo4j at {neo4j_settings.uri} is not reachable and could not be started "
                        f"({type(exc).__name__}: {exc}); try `python -m interface.services neo4j start`",
                        pytrace=False)
    yield driver
    driver.close()


@pytest.fixture()
def neo4j_writer(neo4j_driver, neo4j_settings):
    """A writer on an EMPTY database with the schema in place."""
    from loaders.neo4j_writer import Neo4jWriter

    w = Neo4jWriter(neo4j_driver, neo4j_settings.database)
    w.ensure_schema()
    w.clear()
    return w


@pytest.fixture(scope="session")
def seed_extraction():
    from loaders.pipeline import extract_file

    return extract_file(BUNDLED_GAZETTE)


@pytest.fixture(scope="session")
def seed_rows(seed_extraction):
    from loaders.graph_rows import rows_for

    return rows_for(seed_extraction)
