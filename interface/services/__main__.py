"""``python -m interface.services neo4j|sparql start|stop|status``: the same commands as
``policykg neo4j …`` and ``policykg sparql …`` (one command line for the servers, in interface/cli.py)."""
from __future__ import annotations

from interface.cli import services_app

if __name__ == "__main__":
    services_app(prog_name="python -m interface.services")
