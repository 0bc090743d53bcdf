"""``policykg serve``: a tiny read-only HTTP JSON API over graph_api (standard library ``http.server``).

It binds the loopback interface only (127.0.0.1, ::1, localhost) and answers GET requests::

    /health                               {"ok": true, "backend": "embedded"}
    /ask?q=哪些部门负责去库存               PolicyGraph.ask
    /departments?goal=去库存&role=lead     PolicyGraph.departments_for
    /citing?reg=财税〔2015〕119号           PolicyGraph.tasks_citing
    /impact?reg=…&change=repeal&on=…      PolicyGraph.repeal_impact      (/impact?reform=mianyang-2018, /impact?expiry=1)
    /deadlines?before=2016-12-31&agency=… PolicyGraph.deadlines
    /agency?name=市国税局                  PolicyGraph.agency_profile
    /targets?year=2020&metric=…           PolicyGraph.targets
    /in_force?on=2017-06-30               PolicyGraph.in_force
    /sparql?query=…  /cypher?query=…      read-only user queries

Answers are the facade's models as JSON (UTF-8, Chinese as is). A bad question is a 400 with the
message (e.g. what can be asked); anything else the server cannot do is a 404 / 405 / 500.
Nothing here writes to a store — except that ``/impact?reform=NAME`` loads the bundled reform file
``data/reforms/NAME.json`` (its own subgraph, replaced on every load) before reading the impact.
"""
from __future__ import annotations

import ipaddress
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from typing import Any, Callable, Optional
from urllib.parse import parse_qs, urlsplit

from policykg.answers import to_jsonable
from policykg.errors import PolicyKGError, QueryError, ServiceError


def _loopback(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0].split("%")[0]).is_loopback for i in infos)


class _Server(ThreadingHTTPServer):
    """A thread per connection (a slow client does not stall the others) and a deep accept queue (50
    clients at once are queued by the kernel, not dropped); the graph itself answers one at a time."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self, address: tuple, handler: type, graph: Any):
        host = address[0]
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)
        self.graph = graph
        self.lock = threading.Lock()  # one request at a time on the graph


def _one(q: dict[str, list[str]], key: str, required: bool = True) -> Optional[str]:
    v = q.get(key)
    if not v or not v[0].strip():
        if required:
            raise QueryError(f"missing parameter {key!r}")
        return None
    return v[0]


def _routes() -> dict[str, Callable[[Any, dict[str, list[str]]], Any]]:
    def impact(g, q):
        if _one(q, "reform", False):
            from loaders.reforms import BUNDLED_REFORM

            name = _one(q, "reform")
            path = BUNDLED_REFORM.parent / f"{name}.json"
            if not name.replace("-", "").isalnum() or not path.is_file():
                raise QueryError(f"no bundled reform {name!r} (data/reforms/NAME.json)")
            return g.reform_impact(path, on=_one(q, "on", False))
        if _one(q, "expiry", False):
            return g.expiry(on=_one(q, "on", False))
        return g.repeal_impact(_one(q, "reg"), change=_one(q, "change", False) or "repeal", on=_one(q, "on", False))

    def deadlines(g, q):
        from interface.questions import parse_when
        from policykg.dates import ALL_TIME

        before = _one(q, "before", False)
        return g.deadlines((_one(q, "after", False) or ALL_TIME[0],
                            parse_when(before).isoformat() if before else ALL_TIME[1]),
                           agency=_one(q, "agency", False))

    def targets(g, q):
        year = _one(q, "year", False)
        return g.targets(metric=_one(q, "metric", False), year=int(year) if year and year.isdigit() else year)

    return {
        "/health": lambda g, q: {"ok": True, "backend": g.backend_name},
        "/ask": lambda g, q: g.ask(_one(q, "q")),
        "/departments": lambda g, q: g.departments_for(_one(q, "goal"), role=_one(q, "role", False)),
        "/citing": lambda g, q: g.tasks_citing(_one(q, "reg")),
        "/impact": impact,
        "/deadlines": deadlines,
        "/agency": lambda g, q: g.agency_profile(_one(q, "name")),
        "/targets": targets,
        "/in_force": lambda g, q: g.in_force(_one(q, "on")),
        "/sparql": lambda g, q: g.sparql(_one(q, "query")),
        "/cypher": lambda g, q: g.cypher(_one(q, "query")),
    }


class _Handler(BaseHTTPRequestHandler):
    server_version = "policykg"
    routes = _routes()

    def log_message(self, fmt: str, *args: Any) -> None:  # quiet; the CLI prints where it serves
        pass

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(to_jsonable(body), ensure_ascii=False, indent=1).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        if path == "/":
            self._send(200, {"endpoints": sorted(self.routes), "example": "/ask?q=哪些部门负责去库存"})
            return
        route = self.routes.get(path)
        if route is None:
            self._send(404, {"error": f"no endpoint {path}", "endpoints": sorted(self.routes)})
            return
        q = parse_qs(url.query, keep_blank_values=False)
        try:
            with self.server.lock:  # type: ignore[attr-defined]
                result = route(self.server.graph, q)  # type: ignore[attr-defined]
        except QueryError as exc:
            self._send(400, {"error": str(exc)})
            return
        except PolicyKGError as exc:
            self._send(500, {"error": str(exc)})
            return
        except Exception as exc:  # a bug must not kill the server
            self._send(500, {"error": f"{type(exc).__name__}: {exc}"})
            return
        self._send(200, result)

    do_HEAD = do_GET

    def _refuse(self) -> None:
        self._send(405, {"error": "read-only: only GET and HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = _refuse


def make_server(host: str = "127.0.0.1", port: int = 8765, backend: str = "embedded", graph: Any = None) -> HTTPServer:
    """An HTTP server on the loopback interface (``serve_forever()`` it; ``port=0`` picks a free port)."""
    if not _loopback(host):
        raise ServiceError(f"policykg serve binds the loopback interface only (127.0.0.1, ::1, localhost), not {host!r}")
    if graph is None:
        from interface.analyst import Analyst

        graph = Analyst(backend)
    try:
        return _Server((host, port), _Handler, graph)
    except OSError as exc:
        raise ServiceError(f"cannot listen on {host}:{port}: {exc}") from exc
