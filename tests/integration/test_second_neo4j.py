"""A second local Neo4j of this module's own (fresh services folder in a temp dir, free ports).

The shared test server is never stopped or killed; what needs a server of its own runs here:
* a fresh install gets a random password, kept in ``<services>/neo4j-password`` with mode 0600,
  found in no log, status line or help text;
* an install from before the password file (the legacy password) keeps working, and its next
  ``start`` writes the file with that password;
* Neo4j killed with SIGKILL in the middle of a load: the load fails with a clear error, and once
  the server is back the rerun ends with the same graph as a clean load (counts and ids).

Installing takes about 10 s (the jars come from the local Maven repository the shared install
filled) and starting about 25 s. A failure to start FAILS the tests, never skips them.
"""
from __future__ import annotations

import os
import signal
import socket
import stat
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interface.services import neo4j_server
from policykg import config
from policykg.errors import PolicyKGError
from tests.conftest import free_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]



@pytest.fixture(scope="module")
def second_neo4j(tmp_path_factory):
    services = tmp_path_factory.mktemp("services")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POLICYKG_SERVICES", str(services))
        mp.setenv("POLICYKG_NEO4J_BOLT_PORT", str(free_port()))
        mp.setenv("POLICYKG_NEO4J_HTTP_PORT", str(free_port()))
        for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
            mp.delenv(name, raising=False)
        try:
            neo4j_server.start(wait=True, timeout=300)
        except PolicyKGError as exc:
            pytest.fail(f"a second Neo4j in {services} could not be started: {exc}", pytrace=False)
        try:
            yield services
        finally:
            try:
                neo4j_server.stop()
            except PolicyKGError:
                pid = neo4j_server.status().pid
                if pid:
                    os.kill(pid, signal.SIGKILL)


def _driver(password: str):
    from neo4j import GraphDatabase

    return GraphDatabase.driver(config.neo4j_settings().uri, auth=("neo4j", password), connection_timeout=10)


def _can_log_in(password: str) -> bool:
    from neo4j.exceptions import AuthError

    with _driver(password) as d:
        try:
            d.verify_connectivity()
            return True
        except AuthError:
            return False


def test_a_fresh_install_gets_a_random_password_kept_with_mode_0600(second_neo4j):
    f = config.neo4j_password_file()
    assert f.parent == second_neo4j and f.is_file()
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    password = f.read_text().strip()
    assert len(password) >= 24 and password != config.LEGACY_NEO4J_PASSWORD
    assert config.neo4j_settings().password == password
    assert _can_log_in(password) and not _can_log_in(config.LEGACY_NEO4J_PASSWORD)

    # never printed: not in the logs, the conf, the install log, status or help
    seen = []
    for p in second_neo4j.rglob("*"):
        if p.is_file() and p != f and not {"lib", "data"} & set(p.relative_to(second_neo4j).parts):
            if password in p.read_text(encoding="utf-8", errors="replace"):
                seen.append(str(p))
    assert seen == []
    assert password not in "\n".join(neo4j_server.status().lines()) + repr(config.neo4j_settings())
    from interface.cli import app

    for args in (["neo4j", "--help"], ["neo4j", "start", "--help"], ["neo4j", "status"], ["--help"]):
        out = CliRunner().invoke(app, args).output
        assert password not in out and config.LEGACY_NEO4J_PASSWORD not in out, args


def test_an_install_from_before_the_password_file_keeps_its_password(second_neo4j):
    f = config.neo4j_password_file()
    with _driver(f.read_text().strip()) as d:  # make it an old install: the legacy password, no file
        d.execute_query("ALTER CURRENT USER SET PASSWORD FROM $old TO $new", old=f.read_text().strip(),
                        new=config.LEGACY_NEO4J_PASSWORD, database_="system")
    f.unlink()
    assert config.neo4j_settings().password == config.LEGACY_NEO4J_PASSWORD  # still works without the file

    neo4j_server.start(wait=True, timeout=120)  # running already: checks the login, then writes the file
    assert f.read_text().strip() == config.LEGACY_NEO4J_PASSWORD
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    f.chmod(0o644)  # a file others can read is made private again
    neo4j_server.start(wait=True, timeout=120)
    assert stat.S_IMODE(f.stat().st_mode) == 0o600 and _can_log_in(config.neo4j_settings().password)


def _snapshot(writer) -> dict:
    c = writer.counts()
    return {"nodes": c["nodes"], "relationships": c["relationships"], "labels": c["labels"], "types": c["types"],
            "ids": writer.ids()}


def test_neo4j_killed_in_the_middle_of_a_load_ends_like_a_clean_load(second_neo4j, tmp_path):
    from graph_api import PolicyGraph
    from loaders.neo4j_writer import Neo4jWriter
    from tests.conftest import SEED

    files = tmp_path / "input"
    files.mkdir()
    for i in range(4):
        (files / f"g{i}.txt").write_bytes(SEED.read_bytes())
    writer = Neo4jWriter.from_settings()
    try:
        writer.clear()
        with PolicyGraph("embedded", home=tmp_path / "clean") as g:
            g.build([files], also=["neo4j"])
        clean = _snapshot(writer)
        writer.clear()
        assert writer.counts()["nodes"] == 0

        outcome: list[object] = []

        def load() -> None:
            try:
                with PolicyGraph("embedded", home=tmp_path / "killed") as g:
                    outcome.append(g.build([files], also=["neo4j"]))
            except PolicyKGError as exc:
                outcome.append(exc)

        loader = threading.Thread(target=load)
        loader.start()
        deadline = time.monotonic() + 120
        while writer.counts()["nodes"] < 50 and time.monotonic() < deadline:  # the load has begun
            time.sleep(0.05)
        pid = neo4j_server.status().pid
        os.kill(pid, signal.SIGKILL)
        port = neo4j_server.bolt_port()
        while time.monotonic() < deadline + 60:  # until the dying JVM has let go of its port
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) != 0:
                    break
            time.sleep(0.2)
        neo4j_server.start(wait=True, timeout=300)  # recovers from its transaction log
        loader.join(timeout=600)
        assert outcome, "the load neither finished nor failed"
        if isinstance(outcome[0], Exception):  # one clear error naming the server, no traceback
            assert "Neo4j" in str(outcome[0]) and "\n" not in str(outcome[0]).strip()
        with PolicyGraph("embedded", home=tmp_path / "killed") as g:  # the rerun
            g.build([files], also=["neo4j"])
        assert _snapshot(writer) == clean
    finally:
        writer.close()
