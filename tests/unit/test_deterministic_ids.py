"""Ids and IRIs do not depend on the process: Python salts ``hash()`` of a string per process
(PYTHONHASHSEED), so an id made with it changed on every run (issue 10: two runs gave
``…/mention/…/41112445`` and ``…/28208755`` for one mention)."""
from __future__ import annotations

import os
import subprocess
import sys

from policykg.ids import short_hash
from tests.conftest import ROOT

BUILD_AND_DUMP = """
import sys, tempfile
from graph_api import PolicyGraph
with tempfile.TemporaryDirectory() as home:
    with PolicyGraph(home=home) as g:
        g.build()
        sys.stdout.buffer.write(g.export_rdf("nquads"))
"""


def _nquads(hash_seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", BUILD_AND_DUMP], cwd=ROOT, env=env, capture_output=True,
                          check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]
    return done.stdout


def test_the_seed_built_in_two_processes_gives_byte_identical_nquads():
    first, second = _nquads("1"), _nquads("2")
    assert b"/mention/" in first  # the ids that used hash() are in the dump
    assert len(first) > 1_000_000
    assert first == second


def test_short_hash_is_sha1_prefix():
    assert short_hash("市财政局") == "15ea50a5f3a7"
    assert short_hash("市财政局", 8) == "15ea50a5"
    assert len(short_hash("")) == 12
