"""Shared fixtures: paths of the bundled gazette, the shared corpus and gold files."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "mianyang-gazette-2016-06.txt"
# shared/ sits beside the project (as laid for sessions and CI); SHARED_DIR overrides
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
GOLD = SHARED / "gold"
DEV = SHARED / "corpus" / "dev"
SCORER = SHARED / "tools" / "score_extraction.py"


@pytest.fixture(scope="session")
def seed_extraction():
    from loaders.pipeline import extract_file

    return extract_file(SEED)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not GOLD.exists():
        pytest.fail(f"the shared gold files are missing at {GOLD}; set SHARED_DIR to the shared/ folder")
    return SHARED


@pytest.fixture(scope="session")
def servers():
    """The real local Oxigraph and Neo4j, started if needed; a failure FAILS the test (never skips)."""
    from policykg.errors import PolicyKGError
    from interface.services import neo4j_server, oxigraph_server

    try:
        oxigraph_server.start(wait=True, timeout=60)
        neo4j_server.start(wait=True, timeout=300)
    except PolicyKGError as exc:
        pytest.fail(f"servers could not be started: {exc}", pytrace=False)



@pytest.fixture(scope="session")
def sparql_server():
    """The real local ``oxigraph serve``, started if needed; a failure FAILS the test (never skips)."""
    from policykg.errors import PolicyKGError
    from interface.services import oxigraph_server

    try:
        oxigraph_server.start(wait=True, timeout=60)
    except PolicyKGError as exc:
        pytest.fail(f"oxigraph serve could not be started: {exc}", pytrace=False)


def seed_on_three_backends(home: Path) -> dict:
    """The seed (and the bundled reform) built into the embedded store, the SPARQL server and Neo4j.

    The calling tests own the servers they point at: these start empty, so that shared nodes left
    by other builds cannot differ from the fresh embedded store. Close the graphs when done.
    """
    from backends import open_backend
    from interface.analyst import Analyst
    from loaders.reforms import BUNDLED_REFORM

    for name in ("sparql", "neo4j"):
        backend = open_backend(name)
        try:
            backend.clear()
        finally:
            backend.close()
    g = Analyst("embedded", home=home)
    g.build([SEED], also=["sparql", "neo4j"])
    out = {"embedded": g, "sparql": Analyst("sparql", home=home), "neo4j": Analyst("neo4j", home=home)}
    for x in out.values():
        x.load_reform(BUNDLED_REFORM)
    return out


def free_port() -> int:
    """A TCP port free on the loopback interface now (for servers a test starts itself)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
