"""Serve this folder (guide.html, policykg.grass, saved-queries.cypher) to Neo4j Browser.

    python neo4j/serve.py               # http://localhost:8001/ until Ctrl-C
    python neo4j/serve.py --port 8002

then, in Neo4j Browser (http://127.0.0.1:7474/browser/):

    :guide http://localhost:8001/guide.html       the guide, in the sidebar
    :play http://localhost:8001/guide.html        the same guide as a frame in the stream
    :style http://localhost:8001/policykg.grass   the style (the local server applies it at connect anyway)

Browser fetches these from its own page (origin http://127.0.0.1:7474), so the
server answers with ``Access-Control-Allow-Origin`` (which ``python -m http.server``
does not), and the host must be on the server's
``browser.remote_content_hostname_whitelist`` (Neo4j's default has ``localhost``;
``policykg neo4j start`` also allows ``127.0.0.1``). Listens on 127.0.0.1 only.

Run it as a script (this folder is not a package: ``neo4j`` is the driver's name).
"""
from __future__ import annotations

import argparse
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_PORT = 8001


class GuideHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".grass": "text/plain; charset=utf-8",
        ".cypher": "text/plain; charset=utf-8",
    }

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def do_OPTIONS(self) -> None:  # CORS preflight (Browser sends pragma / cache-control headers)
        self.send_response(204)
        self.send_header("Access-Control-Allow-Methods", "GET, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", self.headers.get("Access-Control-Request-Headers", "*"))
        self.send_header("Access-Control-Max-Age", "600")
        self.end_headers()

    def log_message(self, format: str, *args) -> None:  # quiet unless asked
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


def make_server(port: int = DEFAULT_PORT, host: str = "127.0.0.1", verbose: bool = False) -> ThreadingHTTPServer:
    """A server for this folder (port 0 picks a free one: ``server.server_address[1]``)."""
    handler = functools.partial(GuideHandler, directory=str(HERE))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.verbose = verbose  # type: ignore[attr-defined]
    return server


def serve_in_thread(port: int = 0) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Start a server in a daemon thread (tests); stop it with ``server.shutdown()``."""
    server = make_server(port)
    thread = threading.Thread(target=server.serve_forever, name="policykg-guide", daemon=True)
    thread.start()
    return server, thread


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=DEFAULT_PORT)
    ap.add_argument("--quiet", action="store_true", help="do not log requests")
    args = ap.parse_args()
    server = make_server(args.port, verbose=not args.quiet)
    port = server.server_address[1]
    print(f"serving {HERE} at http://localhost:{port}/ (Ctrl-C stops)")
    print(f"  in Neo4j Browser:  :guide http://localhost:{port}/guide.html")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
