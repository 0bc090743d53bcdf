"""``python -m interface.services {neo4j,oxigraph,all} ACTION``.

    python -m interface.services neo4j install|start|stop|status
    python -m interface.services oxigraph start|stop|status|clear
    python -m interface.services all start|stop|status

Exit code 0 on success, 1 when an action failed (the message says what to read).
"""
from __future__ import annotations

import argparse
import sys
import time
from typing import Callable

from policykg.errors import ServiceError
from interface.services import neo4j_server, oxigraph_server


def _print(lines: list[str]) -> None:
    for line in lines:
        print(line, flush=True)


def _neo4j(action: str, args: argparse.Namespace) -> None:
    if action == "install":
        t0 = time.monotonic()
        home = neo4j_server.install(force=args.force)
        print(f"neo4j: installed at {home} ({time.monotonic() - t0:.1f} s)", flush=True)
    elif action == "start":
        t0 = time.monotonic()
        st = neo4j_server.start(wait=not args.no_wait, timeout=args.timeout)
        _print(st.lines())
        print(f"  ready in {time.monotonic() - t0:.1f} s" if not args.no_wait else "  started", flush=True)
    elif action == "stop":
        print("neo4j: stopped" if neo4j_server.stop() else "neo4j: was not running", flush=True)
    elif action == "status":
        st = neo4j_server.status()
        _print(st.lines())
        if args.check and not (st.running and st.bolt_listening):
            raise ServiceError("neo4j is not running")
    else:
        raise ServiceError(f"neo4j has no action {action!r}")


def _oxigraph(action: str, args: argparse.Namespace) -> None:
    if action == "install":
        print(f"oxigraph: {oxigraph_server.ensure_binary()}", flush=True)
    elif action == "start":
        t0 = time.monotonic()
        st = oxigraph_server.start(wait=not args.no_wait, timeout=min(args.timeout, 120.0))
        _print(st.lines())
        print(f"  ready in {time.monotonic() - t0:.1f} s" if not args.no_wait else "  started", flush=True)
    elif action == "stop":
        print("oxigraph: stopped" if oxigraph_server.stop() else "oxigraph: was not running", flush=True)
    elif action == "status":
        st = oxigraph_server.status()
        _print(st.lines())
        if args.check and not st.running:
            raise ServiceError("oxigraph is not running")
    elif action == "clear":
        oxigraph_server.clear()
        print("oxigraph: cleared (CLEAR ALL)", flush=True)
    else:
        raise ServiceError(f"oxigraph has no action {action!r}")


_SERVICES: dict[str, Callable[[str, argparse.Namespace], None]] = {
    "neo4j": _neo4j,
    "oxigraph": _oxigraph,
}
_ACTIONS = {
    "neo4j": ("install", "start", "stop", "status"),
    "oxigraph": ("install", "start", "stop", "status", "clear"),
    "all": ("install", "start", "stop", "status"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m interface.services",
        description="Install, start, stop and inspect the local Neo4j and Oxigraph servers.",
    )
    sub = parser.add_subparsers(dest="service", required=True, metavar="{neo4j,oxigraph,all}")
    for service, actions in _ACTIONS.items():
        p = sub.add_parser(service, help=f"{service}: {'|'.join(actions)}")
        p.add_argument("action", choices=actions)
        p.add_argument("--no-wait", action="store_true", help="start: do not wait until it answers")
        p.add_argument("--timeout", type=float, default=180.0, help="start: seconds to wait (default 180)")
        p.add_argument("--force", action="store_true", help="install: fetch Neo4j's jars again")
        p.add_argument("--check", action="store_true", help="status: exit 1 unless running")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    services = list(_SERVICES) if args.service == "all" else [args.service]
    failed = False
    for service in services:
        try:
            _SERVICES[service](args.action, args)
        except ServiceError as exc:
            print(f"{service}: error: {exc}", file=sys.stderr, flush=True)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
