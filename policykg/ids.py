"""Deterministic ids: the same name gives the same id in every process.

Python's ``hash()`` of a string is salted per process (PYTHONHASHSEED), so it must never
reach an id or an IRI; every id that digests a name goes through :func:`short_hash`.
"""
from __future__ import annotations

import hashlib
import re


def short_hash(s: str, n: int = 12) -> str:
    """The first ``n`` hex digits of the SHA-1 of ``s`` (UTF-8): stable across runs and machines."""
    return hashlib.sha1(s.encode("utf-8")).hexdigest()[:n]


def natural_key(node_id: str) -> tuple:
    """Sort key for ids with numbers in them: …-d2-t9 before …-d10-t1 (numbers compared as numbers)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", node_id))
