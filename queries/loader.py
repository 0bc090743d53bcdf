"""Named queries: ``queries/NAME.rq`` (SPARQL) and ``queries/NAME.cypher`` twins, loaded by name.

Each file opens with an aiosql-style header (``#`` in .rq, ``//`` in .cypher)::

    // name: tasks_citing
    // params: reg
    // returns: task_id, task_title, ...
    // Free text: what the query answers.

The header is the contract both twins share (see queries/README.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from policykg.errors import QueryError

QUERY_DIR = Path(__file__).resolve().parent
Kind = Literal["sparql", "cypher"]
_EXT = {"sparql": ".rq", "cypher": ".cypher"}
_COMMENT = {"sparql": "#", "cypher": "//"}
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    params: tuple[str, ...]
    returns: tuple[str, ...]
    text: str  # the whole file, header included (comments are valid in both languages)
    doc: str
    kind: str = "sparql"
    path: str = ""


def _names(value: str) -> tuple[str, ...]:
    return tuple(p for p in (x.strip() for x in value.split(",")) if p)


def parse_header(text: str, kind: Kind, where: str = "query") -> tuple[str, tuple[str, ...], tuple[str, ...], str]:
    """(name, params, returns, doc) from the leading comment lines of ``text``."""
    mark = _COMMENT[kind]
    fields: dict[str, str] = {}
    doc: list[str] = []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            if fields:
                break
            continue
        if not s.startswith(mark):
            break
        body = s[len(mark):].strip()
        m = re.match(r"^(name|params|returns)\s*:\s*(.*)$", body)
        if m and m.group(1) not in fields:
            fields[m.group(1)] = m.group(2).strip()
        elif body.startswith("@"):  # a marker such as #@values, not documentation
            continue
        else:
            doc.append(body)
    missing = [k for k in ("name", "params", "returns") if k not in fields]
    if missing:
        raise QueryError(f"{where}: the header lacks {', '.join(mark + ' ' + k + ':' for k in missing)} "
                         f"(every named query opens with '{mark} name:', '{mark} params:' and '{mark} returns:')")
    return fields["name"], _names(fields["params"]), _names(fields["returns"]), "\n".join(doc).strip()


@lru_cache(maxsize=None)
def _load(name: str, kind: str, mtime: float) -> NamedQuery:
    path = QUERY_DIR / f"{name}{_EXT[kind]}"
    text = path.read_text(encoding="utf-8")
    hname, params, returns, doc = parse_header(text, kind, f"queries/{path.name}")  # type: ignore[arg-type]
    if hname != name:
        raise QueryError(f"queries/{path.name} says '{_COMMENT[kind]} name: {hname}'; it must match the file name")
    if not returns:
        raise QueryError(f"queries/{path.name}: '{_COMMENT[kind]} returns:' lists no columns")
    return NamedQuery(name, params, returns, text, doc, kind, str(path))


def load_query(name: str, kind: Kind = "sparql") -> NamedQuery:
    """The named query ``name`` in ``kind`` ("sparql" → NAME.rq, "cypher" → NAME.cypher)."""
    if kind not in _EXT:
        raise QueryError(f"unknown query kind {kind!r}; use 'sparql' or 'cypher'")
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise QueryError(f"{name!r} is not a query name (lower-case letters, digits and _)")
    path = QUERY_DIR / f"{name}{_EXT[kind]}"
    if not path.is_file():
        known = ", ".join(list_queries(kind)) or "none"
        raise QueryError(f"no {kind} query named {name!r} (queries/{path.name}); known: {known}")
    return _load(name, kind, path.stat().st_mtime)


def list_queries(kind: Kind | None = None) -> list[str]:
    """Names of the named queries (of one kind, or of either), sorted."""
    kinds = [kind] if kind else list(_EXT)
    names: set[str] = set()
    for k in kinds:
        if k not in _EXT:
            raise QueryError(f"unknown query kind {k!r}; use 'sparql' or 'cypher'")
        names.update(p.stem for p in QUERY_DIR.glob(f"*{_EXT[k]}") if _NAME_RE.match(p.stem))
    return sorted(names)
