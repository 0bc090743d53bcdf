"""Run Cypher on Neo4j, read-only: named queries (``queries/NAME.cypher``) and user text.

Parameters are always passed as ``$param`` values, never formatted into the text.
Rows come back as plain dicts of Python values, keyed by the returned columns.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from policykg.errors import QueryError, neo4j_error
from queries.loader import load_query

READ_ONLY_MESSAGE = ("policykg runs user Cypher read-only; {what} is not allowed "
                     "(MATCH … RETURN, OPTIONAL MATCH, WITH, UNWIND, CALL of read procedures only)")

# Clauses and procedures that write. Checked on the text with strings and comments blanked
# out, so a Chinese title containing "SET" or "create" in quotes does not trip it; the
# server's READ access mode is the real guard, this only fails fast with a clearer message.
_WRITE_CLAUSES = re.compile(
    r"\b(CREATE|MERGE|DELETE|DETACH\s+DELETE|SET|REMOVE|DROP|LOAD\s+CSV|FOREACH|"
    r"GRANT|REVOKE|DENY|ALTER|RENAME|START\s+DATABASE|STOP\s+DATABASE|TERMINATE)\b",
    re.IGNORECASE)
_WRITE_PROCEDURES = re.compile(
    r"\bCALL\s+(apoc\.(create|merge|refactor|periodic|load|import|export|trigger|atomic|nodes\.(delete|link)|"
    r"cypher\.(doIt|runWrite|runMany|runSchema)|schema\.assert|lock)|"
    r"db\.(create|index\.fulltext\.(create|drop)|clearQueryCaches)|dbms\.)",
    re.IGNORECASE)


def _blank_literals(text: str) -> str:
    """The text with comments, string literals and `quoted names` replaced by spaces."""
    pattern = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`", re.DOTALL)
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def check_read_only(text: str) -> None:
    """Raise QueryError if ``text`` visibly writes (clause or write procedure)."""
    code = _blank_literals(text)
    m = _WRITE_CLAUSES.search(code) or _WRITE_PROCEDURES.search(code)
    if m:
        what = " ".join(m.group(0).split()).upper() if not m.group(0).upper().startswith("CALL") else m.group(0)
        raise QueryError(READ_ONLY_MESSAGE.format(what=repr(what)))


def _check_params(name: str, expected: tuple[str, ...], params: dict[str, Any]) -> None:
    missing = [p for p in expected if p not in params]
    extra = [p for p in params if p not in expected]
    if missing or extra:
        raise QueryError(f"query {name!r} takes parameters {list(expected)}; missing {missing}, unexpected {extra}")


def _translate(exc: Exception, what: str) -> Exception:
    from neo4j import exceptions as nx

    if isinstance(exc, (nx.CypherSyntaxError, nx.CypherTypeError)):
        return QueryError(f"{what}: Neo4j rejected the query ({exc.code}): {exc.message}")
    if isinstance(exc, nx.Neo4jError) and _is_write_refusal(exc):
        return QueryError(READ_ONLY_MESSAGE.format(what="a write") + f" — the server said: {exc.message}")
    if isinstance(exc, nx.ClientError):
        return QueryError(f"{what}: Neo4j refused the query ({exc.code}): {exc.message}")
    return neo4j_error(exc, what, "Neo4j")


def _is_write_refusal(exc: Exception) -> bool:
    code = getattr(exc, "code", "") or ""
    message = getattr(exc, "message", "") or ""
    return ("AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code or "WriteOnReadOnly" in code
            or "read only" in message.lower() or "read-only" in message.lower()
            or "Writing in read access mode not allowed" in message)


def _value(v: Any) -> Any:
    """Driver values → plain Python (nodes and relationships become dicts of their properties)."""
    from neo4j.graph import Node, Path, Relationship
    from neo4j.time import Date, DateTime

    if isinstance(v, Node):
        return {"_labels": sorted(v.labels), **dict(v)}
    if isinstance(v, Relationship):
        return {"_type": v.type, **dict(v)}
    if isinstance(v, Path):
        return [_value(n) for n in v.nodes]
    if isinstance(v, (Date, DateTime)):
        return v.iso_format()
    if isinstance(v, list):
        return [_value(x) for x in v]
    if isinstance(v, dict):
        return {k: _value(x) for k, x in v.items()}
    return v


def run_cypher(driver, name: str, params: dict[str, Any], database: Optional[str] = None) -> list[dict[str, Any]]:
    """Run ``queries/NAME.cypher`` with ``params`` (already in match form), routed to a reader."""
    from neo4j import RoutingControl

    q = load_query(name, "cypher")
    _check_params(name, q.params, params)
    try:
        records, _, keys = driver.execute_query(q.text, dict(params), routing_=RoutingControl.READ,
                                                database_=database)
    except Exception as exc:
        raise _translate(exc, f"running queries/{name}.cypher") from exc
    if list(keys) != list(q.returns):
        raise QueryError(f"queries/{name}.cypher returns {list(keys)} but its header promises {list(q.returns)}")
    return [{k: _value(r[k]) for k in keys} for r in records]


def run_user_cypher(driver, text: str, params: Optional[dict[str, Any]] = None,
                    database: Optional[str] = None, limit: Optional[int] = None) -> list[dict[str, Any]]:
    """Run user-supplied Cypher in a READ transaction; any write becomes a QueryError.

    The regex pre-check fails fast with a clear message; the READ access mode makes
    the server refuse whatever the pre-check misses (nothing is committed either way).
    """
    from neo4j import READ_ACCESS

    if not isinstance(text, str) or not text.strip():
        raise QueryError("the Cypher query is empty")
    check_read_only(text)

    def work(tx):
        result = tx.run(text, dict(params or {}))
        keys = result.keys()
        rows = []
        for rec in result:
            rows.append({k: _value(rec[k]) for k in keys})
            if limit is not None and len(rows) >= limit:
                break
        return rows

    try:
        with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
            return session.execute_read(work)
    except QueryError:
        raise
    except Exception as exc:
        raise _translate(exc, "running your Cypher") from exc


__all__ = ["run_cypher", "run_user_cypher", "check_read_only", "READ_ONLY_MESSAGE"]
