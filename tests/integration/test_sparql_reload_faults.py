"""A SPARQL server that fails in the middle of a reload (issue 13 items 3 and 4): the server keeps its
previous graph, readable, and the embedded store is untouched.

tests/integration/test_faults.py covers a server that is down or answers 500 from the first request
(the error names the URL, the embedded store is untouched); here the failure comes after k requests of
the reload went through, for every k: a proxy of this module's own forwards the first k requests to the
local ``oxigraph serve`` and then answers 500 or drops the connection (a server killed mid-request).
Since a reload is one Update request, the server then holds the graph before it, never one without the
document; the first k that lets the build through gives the graph after it.
"""
from __future__ import annotations

import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from graph_api import PolicyGraph
from loaders.rdf_store import SCRATCH_GRAPH
from policykg.errors import PolicyKGError
from tests.conftest import free_port
from tests.integration.test_faults import PLAN, _state

pytestmark = pytest.mark.integration


def _proxy(target: str, mode: str):
    state = {"allowed": 0, "seen": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                state["seen"] += 1
                through = state["seen"] <= state["allowed"]
            if not through:
                if mode == "500":
                    self.send_response(500)
                    self.send_header("Content-Length", "14")
                    self.end_headers()
                    self.wfile.write(b"internal error")
                self.close_connection = True  # "down": no answer at all
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            req = urllib.request.Request(target + self.path, data=body if self.command != "GET" else None,
                                         method=self.command, headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=60) as resp:
                    status, ctype, data = resp.status, resp.headers.get("Content-Type"), resp.read()
            except urllib.error.HTTPError as exc:
                status, ctype, data = exc.code, exc.headers.get("Content-Type"), exc.read()
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _handle

        def log_message(self, *args):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, state


def _server_dump() -> set[bytes]:
    with PolicyGraph("sparql") as g:
        return {q for q in g.backend.store.dump_nquads().splitlines() if SCRATCH_GRAPH.encode() not in q}


@pytest.mark.parametrize("mode", ["500", "down"])
def test_a_server_failing_mid_reload_keeps_its_previous_graph(tmp_path, mode, monkeypatch):
    from interface.services import oxigraph_server

    try:
        oxigraph_server.start(wait=True, timeout=60)
    except PolicyKGError as exc:
        pytest.fail(f"oxigraph serve could not be started: {exc}", pytrace=False)
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    changed = tmp_path / "input" / "plan.txt"
    changed.parent.mkdir()
    changed.write_text(PLAN.replace("市民政局", "市应急管理局"), encoding="utf-8")
    srv, state = _proxy(oxigraph_server.base_url(), mode)
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    outcomes = []
    try:
        for k in range(40):
            home = tmp_path / f"home-{k}"
            with PolicyGraph("sparql", home=home) as g:  # the server straight, not through the proxy
                g.backend.clear()  # a scratch server only (refused otherwise)
                g.build([plan])
            with PolicyGraph("embedded", home=home) as g:
                g.build([plan])
            before, embedded = _server_dump(), _state(home)
            state.update(allowed=k, seen=0)
            with monkeypatch.context() as m:
                for var, path in (("SPARQL_ENDPOINT", "query"), ("SPARQL_UPDATE_ENDPOINT", "update"),
                                  ("SPARQL_STORE_ENDPOINT", "store")):
                    m.setenv(var, f"{base}/{path}")
                with PolicyGraph("embedded", home=home) as g:
                    try:
                        g.build([changed], also=["sparql"])
                    except PolicyKGError as exc:
                        assert base in str(exc)
                        failed = True
                    else:
                        failed = False
            after = _server_dump()
            if not failed:
                assert after != before
                outcomes.append("new")
                break
            assert after == before, f"the server after {k} requests of the reload: not the previous graph"
            assert _state(home) == embedded
            with PolicyGraph("sparql", home=home) as g:  # the previous graph answers
                assert {a.agency for a in g.departments_for("防汛")} >= {"市水务局", "市民政局"}
            outcomes.append("old")
    finally:
        srv.shutdown()
        srv.server_close()
    assert outcomes[-1] == "new" and outcomes.count("old") >= 3, outcomes
