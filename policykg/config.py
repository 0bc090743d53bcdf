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


#: The fixed password local Neo4j installs had before the password file; still used by an install
#: that has neither NEO4J_PASSWORD nor the file (its next ``policykg neo4j start`` writes the file).
LEGACY_NEO4J_PASSWORD = "policykg-local"


def neo4j_password_file() -> Path:
    """The local Neo4j's password, generated at install (mode 0600) unless NEO4J_PASSWORD is set."""
    return services_dir() / "neo4j-password"


def neo4j_password() -> str:
    """NEO4J_PASSWORD, else the local install's password file, else the legacy default."""
    if os.environ.get("NEO4J_PASSWORD"):
        return os.environ["NEO4J_PASSWORD"]
    try:
        return neo4j_password_file().read_text(encoding="utf-8").strip() or LEGACY_NEO4J_PASSWORD
    except OSError:
        return LEGACY_NEO4J_PASSWORD


def neo4j_settings() -> Neo4jSettings:
    return Neo4jSettings(
        uri=os.environ.get("NEO4J_URI", f"bolt://127.0.0.1:{os.environ.get('POLICYKG_NEO4J_BOLT_PORT', '7687')}"),
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=neo4j_password(),
        database=os.environ.get("NEO4J_DATABASE", "neo4j"),
    )


def oxigraph_bind() -> str:
    """``host:port`` of the local ``oxigraph serve`` (POLICYKG_OXIGRAPH_BIND runs one beside another)."""
    return os.environ.get("POLICYKG_OXIGRAPH_BIND", "127.0.0.1:7878")


def sparql_endpoint() -> str:
    """Query endpoint of the SPARQL server (the local ``oxigraph serve`` by default)."""
    return os.environ.get("SPARQL_ENDPOINT", f"http://{oxigraph_bind()}/query")


def sparql_update_endpoint() -> str:
    return os.environ.get("SPARQL_UPDATE_ENDPOINT", f"http://{oxigraph_bind()}/update")


def sparql_store_endpoint() -> str:
    """Graph Store Protocol endpoint, used to load RDF into the server."""
    return os.environ.get("SPARQL_STORE_ENDPOINT", f"http://{oxigraph_bind()}/store")
