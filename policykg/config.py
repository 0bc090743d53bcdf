"""Where things live and how to reach servers; all from the environment.

Credentials are read here and nowhere else, and never logged.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_GAZETTE = PROJECT_ROOT / "data" / "mianyang-gazette-2016-06.txt"
DATA_DIR = PROJECT_ROOT / "data"


def home() -> Path:
    """$POLICYKG_HOME, default ``.policykg/`` in the working directory."""
    return Path(os.environ.get("POLICYKG_HOME", ".policykg")).resolve()


def embedded_store_path() -> Path:
    return home() / "store"


def services_dir() -> Path:
    """Where local servers (Neo4j, Oxigraph) are installed and keep their data."""
    return Path(os.environ.get("POLICYKG_SERVICES", PROJECT_ROOT / ".services")).resolve()


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str
    password: str
    database: str

    def __repr__(self) -> str:  # never print the password
        return f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


DEFAULT_NEO4J_PASSWORD = "policykg-local"


def neo4j_settings() -> Neo4jSettings:
    return Neo4jSettings(
        uri=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", DEFAULT_NEO4J_PASSWORD),
        database=os.environ.get("NEO4J_DATABASE", "neo4j"),
    )


def sparql_endpoint() -> str:
    """Query endpoint of the SPARQL server (``oxigraph serve`` by default)."""
    return os.environ.get("SPARQL_ENDPOINT", "http://127.0.0.1:7878/query")


def sparql_update_endpoint() -> str:
    return os.environ.get("SPARQL_UPDATE_ENDPOINT", "http://127.0.0.1:7878/update")


def sparql_store_endpoint() -> str:
    """Graph Store Protocol endpoint, used to load RDF into the server."""
    return os.environ.get("SPARQL_STORE_ENDPOINT", "http://127.0.0.1:7878/store")
