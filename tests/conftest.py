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
    from policykg.services import neo4j_server, oxigraph_server

    try:
        oxigraph_server.start(wait=True, timeout=60)
        neo4j_server.start(wait=True, timeout=300)
    except PolicyKGError as exc:
        pytest.fail(f"servers could not be started: {exc}", pytrace=False)
