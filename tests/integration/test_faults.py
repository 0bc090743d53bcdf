"""Faults during a build: servers that are down or fail, two builds at once, a read-only or full
disk, Ctrl-C and SIGKILL. The embedded store ends either as it was or fully replaced, never half;
errors are one message naming what failed and what to do.

No shared server is touched: the failing SPARQL servers are a closed port and a small HTTP server
of this module's own answering 500; the disks are tmpfs mounts of this module's own (root only:
the test FAILS where `mount` is not allowed, it does not skip). Neo4j killed in the middle of a
load is in tests/integration/test_second_neo4j.py (a second server of its own).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from graph_api import PolicyGraph
from policykg.errors import BackendError, PolicyKGError
from tests.conftest import ROOT, SEED, free_port

pytestmark = pytest.mark.integration

PLAN = ("绵阳市人民政府办公室关于做好防汛减灾工作的通知\n\n"
        "一、加强隐患排查。完成全市水库、堤防排查。（牵头单位：市水务局；责任单位：市国土资源局、市安全监管局）\n\n"
        "二、完善应急预案。２０１７年６月底前组织开展应急演练。（牵头单位：市民政局；责任单位：市财政局）\n")
CLI = [sys.executable, "-m", "interface.cli"]



def _state(home: Path) -> tuple[bytes, dict[str, str]]:
    """The embedded store's N-Quads and the kept source texts."""
    with PolicyGraph("embedded", home=home) as g:
        dump = g.backend.dump()
    kept = {p.name: p.read_text(encoding="utf-8") for p in sorted((home / "sources").glob("*.txt"))}
    return dump, kept


@pytest.fixture()
def plan_home(tmp_path):
    """A home holding the small plan, and a changed version of it to build next."""
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    home = tmp_path / "home"
    with PolicyGraph("embedded", home=home) as g:
        g.build([plan])
    changed = tmp_path / "input" / "plan.txt"
    changed.parent.mkdir()
    changed.write_text(PLAN.replace("市民政局", "市应急管理局"), encoding="utf-8")
    return home, changed


# -- a SPARQL server down or failing -------------------------------------------------------------

class _Failing(BaseHTTPRequestHandler):
    def _fail(self):
        self.send_response(500)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"internal error")

    do_GET = do_POST = do_PUT = _fail

    def log_message(self, *args):
        pass


@pytest.fixture(params=["down", "500"])
def broken_sparql(request, monkeypatch):
    port = free_port()
    srv = None
    if request.param == "500":
        srv = ThreadingHTTPServer(("127.0.0.1", port), _Failing)
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    for var, path in (("SPARQL_ENDPOINT", "query"), ("SPARQL_UPDATE_ENDPOINT", "update"),
                      ("SPARQL_STORE_ENDPOINT", "store")):
        monkeypatch.setenv(var, f"{base}/{path}")
    yield base
    if srv:
        srv.shutdown()
        srv.server_close()


def test_a_sparql_server_down_or_failing_names_its_url_and_leaves_the_embedded_store(plan_home, broken_sparql):
    home, changed = plan_home
    before = _state(home)
    with PolicyGraph("embedded", home=home) as g:
        with pytest.raises(PolicyKGError) as failed:
            g.build([changed], also=["sparql"])
    message = str(failed.value)
    assert broken_sparql in message and "\n" not in message.strip()
    assert _state(home) == before
    result = subprocess.run([*CLI, "build", str(changed), "--sparql"], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "POLICYKG_HOME": str(home)}, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr and broken_sparql in result.stderr
    assert _state(home) == before


# -- two builds at once --------------------------------------------------------------------------

def test_a_second_build_says_who_holds_the_home(plan_home):
    home, changed = plan_home
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\nfrom policykg.home_lock import HomeLock\n"
        "with HomeLock(sys.argv[1], 'policykg build'):\n    print('held', flush=True)\n    time.sleep(120)\n"),
        str(home)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with PolicyGraph("embedded", home=home) as g:
            with pytest.raises(BackendError, match=f"in use by pid {holder.pid} \\(policykg build, since "):
                g.build([changed])
        result = subprocess.run([*CLI, "build", str(changed)], cwd=ROOT, capture_output=True, text=True,
                                env={**os.environ, "POLICYKG_HOME": str(home)}, timeout=120)
        assert result.returncode == 2 and f"pid {holder.pid}" in result.stderr and "Traceback" not in result.stderr
        # told to wait, it waits for the holder to go (released by the kernel, even on SIGKILL)
        threading.Timer(1.0, holder.kill).start()
        result = subprocess.run([*CLI, "build", str(changed)], cwd=ROOT, capture_output=True, text=True,
                                env={**os.environ, "POLICYKG_HOME": str(home), "POLICYKG_LOCK_WAIT": "60"},
                                timeout=120)
        assert result.returncode == 0, result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_two_real_builds_at_once_end_as_one(tmp_path):
    files = tmp_path / "input"
    files.mkdir()
    for i in range(3):
        (files / f"g{i}.txt").write_bytes(SEED.read_bytes())
    reference = tmp_path / "reference"
    with PolicyGraph("embedded", home=reference) as g:
        g.build([files])
    home = tmp_path / "home"
    env = {**os.environ, "POLICYKG_HOME": str(home), "POLICYKG_LOCK_WAIT": "300"}
    runs = [subprocess.Popen([*CLI, "build", str(files)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for r in runs:
        assert r.wait(timeout=600) == 0, r.stderr.read()
    assert _state(home) == _state(reference)


# -- a read-only or full disk (tmpfs) ------------------------------------------------------------

@pytest.fixture()
def tmpfs(tmp_path):
    mnt = tmp_path / "mnt"
    mnt.mkdir()

    def mount(size: str) -> Path:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"this test mounts a small tmpfs (root): {done.stderr.strip()}", pytrace=False)
        return mnt

    yield mount
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _big_input(tmp_path: Path, copies: int) -> Path:
    d = tmp_path / "big"
    d.mkdir(exist_ok=True)
    for i in range(copies):
        (d / f"g{i}.txt").write_bytes(SEED.read_bytes())
    return d


def test_a_full_disk_is_a_clear_error_and_the_previous_graph_stays_readable(tmp_path, tmpfs):
    home = tmpfs("12m") / "home"
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    with PolicyGraph("embedded", home=home) as g:
        g.build([tmp_path / "plan.txt"])
        before = g.backend.dump()
    result = subprocess.run([*CLI, "build", str(_big_input(tmp_path, 8))], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "POLICYKG_HOME": str(home)}, timeout=300)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "No space left on device" in result.stderr and "build the same files again" in result.stderr
    with PolicyGraph("embedded", home=home) as g:  # opened read-only: the graph answers
        assert {a.agency for a in g.departments_for("防汛")} >= {"市水务局", "市民政局"}
        # the bulk load is not one transaction: the journal names what to build again
        assert g.backend.store.interrupted() or g.backend.dump() == before


def test_a_read_only_folder_is_a_clear_error_and_the_graph_stays_readable(tmp_path, tmpfs):
    mnt = tmpfs("32m")
    home = mnt / "home"
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    with PolicyGraph("embedded", home=home) as g:
        g.build([tmp_path / "plan.txt"])
        before = g.backend.dump()
    subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
    result = subprocess.run([*CLI, "build", str(tmp_path / "plan.txt")], cwd=ROOT, capture_output=True,
                            text=True, env={**os.environ, "POLICYKG_HOME": str(home)}, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "read-only" in result.stderr
    with PolicyGraph("embedded", home=home) as g:
        assert g.backend.dump() == before
        assert {a.agency for a in g.departments_for("防汛")} >= {"市水务局", "市民政局"}
        with pytest.raises(BackendError, match="read-only"):
            g.load_reform(ROOT / "data" / "reforms" / "mianyang-2018.json")


# -- Ctrl-C and SIGKILL during a build -----------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "sigkill"])
def test_a_build_stopped_at_any_moment_leaves_the_old_graph_or_the_new(tmp_path, sig):
    """A build of a changed plan and 2 gazettes is stopped after 0.5 … 4.5 s (and once when done): after
    Ctrl-C the store is the graph before it or the graph after it, nothing in between (Ctrl-C waits for
    the load). After SIGKILL it may be in between — the store's bulk load is not one transaction — but
    then the journal names the sources, and building them again gives exactly the graph after."""
    big = _big_input(tmp_path, 2)
    (big / "plan.txt").write_text(PLAN.replace("市民政局", "市应急管理局"), encoding="utf-8")
    (tmp_path / "plan.txt").write_text(PLAN, encoding="utf-8")
    old_home, new_home = tmp_path / "old", tmp_path / "new"
    for home, paths in ((old_home, [tmp_path / "plan.txt"]), (new_home, [tmp_path / "plan.txt", big])):
        with PolicyGraph("embedded", home=home) as g:
            for p in paths:
                g.build([p])
    old, new = _state(old_home)[0], _state(new_home)[0]
    outcomes = []
    for delay in (0.5, 1.5, 2.5, 3.0, 3.5, 4.0, 4.5, 60):
        home = tmp_path / f"run-{delay}"
        with PolicyGraph("embedded", home=home) as g:
            g.build([tmp_path / "plan.txt"])
        run = subprocess.Popen([*CLI, "build", str(big)], cwd=ROOT, env={**os.environ, "POLICYKG_HOME": str(home)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            run.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            run.send_signal(sig)
        code = run.wait(timeout=120)
        dump = _state(home)[0]
        if dump not in (old, new):
            assert sig == signal.SIGKILL, f"Ctrl-C after {delay} s (exit {code}): a graph between the old and the new"
            with PolicyGraph("embedded", home=home) as g:
                assert set(g.backend.store.interrupted()) >= {"plan"}
                report = g.build([big])
                assert any("killed half-way" in w and "plan" in w for w in report.warnings)
                assert not g.backend.store.interrupted()
            dump = _state(home)[0]
            assert dump == new
            outcomes.append("repaired")
            continue
        outcomes.append("new" if dump == new else "old")
    assert outcomes[0] == "old" and outcomes[-1] == "new", outcomes  # stopped before, and after, the load
