#!/usr/bin/env python3
"""`policykg serve` under load: N concurrent clients for T seconds on loopback, every answer checked.

    python scripts/serve_load.py                      # 50 clients, 60 s, the seed in a temp home
    python scripts/serve_load.py --clients 20 --seconds 10

Builds the bundled gazette into a fresh home, starts `policykg serve` on a free loopback port as
its own process, and runs the clients (threads, each a bounded loop over a fixed list of read-only
requests) until the time is up. Prints requests, failures (any status but 200, or a connection
error), latency percentiles and the server's resident memory (RSS) at start, at the middle and at
the end. Exit code 1 when any request failed. Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUESTS = [
    ("/ask", {"q": "哪些部门负责去库存？"}),
    ("/departments", {"goal": "住房公积金"}),
    ("/citing", {"reg": "财税〔2015〕119号"}),
    ("/deadlines", {"before": "2016-12-31"}),
    ("/agency", {"name": "市财政局"}),
    ("/targets", {"year": "2017"}),
    ("/in_force", {"on": "2017-06-30"}),
    ("/sparql", {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"}),
    ("/health", {}),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--timeout", type=float, default=30.0, help="per request")
    args = ap.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="policykg-load-"))
    env = {**os.environ, "POLICYKG_HOME": str(home)}
    cli = [sys.executable, "-m", "interface.cli"]
    subprocess.run([*cli, "build"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/health", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("the server did not start:", server.stderr.read() if server.poll() is not None else "")
                    return 1
                time.sleep(0.2)
        for path, params in REQUESTS:  # warm up: first answers read the kept sources
            urllib.request.urlopen(base + path + "?" + urllib.parse.urlencode(params), timeout=60).read()
        rss = {"start": _rss_mb(server.pid)}
        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds

        def client(k: int) -> None:
            i = k
            while time.monotonic() < stop_at:  # bounded: ends when the time is up
                path, params = REQUESTS[i % len(REQUESTS)]
                i += 1
                url = base + path + "?" + urllib.parse.urlencode(params)
                t0 = time.perf_counter()
                try:
                    with urllib.request.urlopen(url, timeout=args.timeout) as resp:
                        body = resp.read()
                        ok = resp.status == 200 and json.loads(body) is not None
                    outcome = None if ok else f"{path}: HTTP {resp.status}"
                except (urllib.error.URLError, OSError, ValueError) as exc:
                    outcome = f"{path}: {type(exc).__name__}: {exc}"
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    if outcome:
                        failures.append(outcome)

        threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(args.clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        time.sleep(args.seconds / 2)
        rss["middle"] = _rss_mb(server.pid)
        for t in threads:
            t.join(timeout=args.seconds + args.timeout + 30)
        wall = time.monotonic() - t0
        rss["end"] = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    n = len(latencies)
    ms = [x * 1000 for x in latencies]
    print(f"{args.clients} clients × {args.seconds:.0f} s on {base}: {n} requests ({n / wall:.0f}/s), "
          f"{len(failures)} failed")
    if ms:
        print(f"latency ms: p50 {_percentile(ms, 50):.0f}, p90 {_percentile(ms, 90):.0f}, "
              f"p99 {_percentile(ms, 99):.0f}, max {max(ms):.0f}, mean {statistics.mean(ms):.0f}")
    print(f"server RSS MB: start {rss['start']:.0f}, middle {rss['middle']:.0f}, end {rss['end']:.0f}")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other work on the machine counts)")
    for f in failures[:5]:
        print("  failed:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
