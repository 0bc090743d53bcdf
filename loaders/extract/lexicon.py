"""Cue words, unit lists and alias tables live in ``data/lexicon/*.json``; this loads them once."""
from __future__ import annotations

import json
from functools import lru_cache

from policykg.config import DATA_DIR
from policykg.errors import ExtractionError


@lru_cache(maxsize=None)
def lexicon(name: str) -> dict:
    path = DATA_DIR / "lexicon" / f"{name}.json"
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError as exc:
        raise ExtractionError(f"lexicon {name!r} missing: expected {path}") from exc
    except json.JSONDecodeError as exc:
        raise ExtractionError(f"lexicon {path} is not valid JSON: {exc}") from exc
