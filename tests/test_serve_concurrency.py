"""`policykg serve` answers every request of 20 clients at once (loopback, the seed in an embedded store).

The 60-second run with 50 clients, its latencies and memory, is scripts/serve_load.py (not a test).
"""
from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request

from interface.analyst import Analyst
from interface.server import make_server
from tests.conftest import SEED

REQUESTS = [("/ask", {"q": "哪些部门负责去库存？"}), ("/departments", {"goal": "住房公积金"}),
            ("/citing", {"reg": "财税〔2015〕119号"}), ("/agency", {"name": "市财政局"}),
            ("/sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})]


def test_twenty_clients_at_once_are_all_answered(tmp_path):
    g = Analyst("embedded", home=tmp_path / "home")
    g.build([SEED])
    srv = make_server("127.0.0.1", 0, graph=g)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    expected = {}
    for path, params in REQUESTS:  # each answer alone first
        with urllib.request.urlopen(base + path + "?" + urllib.parse.urlencode(params), timeout=60) as r:
            expected[path] = json.loads(r.read())
    got: list[tuple[str, int, object]] = []
    errors: list[str] = []
    barrier = threading.Barrier(20)

    def client(k: int) -> None:
        barrier.wait()  # all at once
        for i in range(len(REQUESTS)):
            path, params = REQUESTS[(k + i) % len(REQUESTS)]
            try:
                with urllib.request.urlopen(base + path + "?" + urllib.parse.urlencode(params), timeout=120) as r:
                    got.append((path, r.status, json.loads(r.read())))
            except OSError as exc:
                errors.append(f"{path}: {exc}")

    try:
        threads = [threading.Thread(target=client, args=(k,)) for k in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
    finally:
        srv.shutdown()
        srv.server_close()
        g.close()
    assert errors == []
    assert len(got) == 20 * len(REQUESTS)
    assert all(status == 200 and body == expected[path] for path, status, body in got)
