"""No dead ends: tell an empty graph from an empty answer, and offer the nearest known names.

    >>> nearest(g, "citation", "财税〔2015〕第119号")
    ['财税〔2015〕119号']

The names come from one named query (``queries/known_names``: agencies as written, cited
documents, document titles and numbers, task titles, target metrics), run once per graph object
and only when an answer is empty. Similarity is on the match form (NFKC, Simplified, no 《》 or
spaces): the longer of a difflib ratio and the share of the asked name's character pairs found in
the known name.
"""
from __future__ import annotations

import difflib
import weakref
from typing import Any, Iterable

from loaders.graph_rows import match_key
from policykg.errors import QueryError

#: what each kind of name is, for "searched …" messages
KIND_LABELS = {"agency": ("agency names (lead and responsible units as written)", "单位名称"),
               "citation": ("cited documents (numbers and titles)", "被引用的文件"),
               "document": ("document titles and numbers", "文件标题和文号"),
               "task": ("tasks (titles and texts)", "任务（标题和正文）"),
               "target": ("target metrics", "目标指标")}

_CACHE: "weakref.WeakKeyDictionary[Any, dict[str, list[str]]]" = weakref.WeakKeyDictionary()


class EmptyGraphError(QueryError):
    """The store holds no documents at all: the answer is empty because nothing was built."""


def vocabulary(g: Any) -> dict[str, list[str]]:
    """Known names by kind (one query per graph object)."""
    try:
        cached = _CACHE.get(g)
    except TypeError:  # not weak-referenceable
        cached = None
    if cached is not None:
        return cached
    out: dict[str, list[str]] = {k: [] for k in KIND_LABELS}
    for r in g.query_rows("known_names"):
        if r.get("name"):
            out.setdefault(r["kind"], []).append(r["name"])
    try:
        _CACHE[g] = out
    except TypeError:
        pass
    return out


def is_empty(g: Any) -> bool:
    v = vocabulary(g)
    return not v.get("document") and not v.get("task")


def ensure_not_empty(g: Any) -> None:
    """Raise :class:`EmptyGraphError` naming the command that fills the store when it is empty."""
    if is_empty(g):
        where = getattr(g, "home", None)
        backend = getattr(g, "backend_name", "embedded")
        place = f"the embedded store in {where}" if backend == "embedded" and where else f"the {backend} backend"
        fill = "policykg build" if backend == "embedded" else f"policykg build --{backend}"
        raise EmptyGraphError(f"the graph is empty: {place} holds no documents. Run `{fill}` first "
                              f"(the bundled gazette), or `{fill} PATH` for your own files.")


def _pairs(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def similarity(asked: str, known: str) -> float:
    a, k = match_key(asked), match_key(known)
    if not a or not k:
        return 0.0
    if a == k:
        return 1.0
    ratio = difflib.SequenceMatcher(None, a, k).ratio()
    pa = _pairs(a)
    share = len(pa & _pairs(k)) / len(pa)
    return max(ratio, 0.9 * share if len(a) >= 3 else 0.0)


def nearest(g: Any, kinds: str | Iterable[str], asked: str, n: int = 3, cutoff: float = 0.5) -> list[str]:
    """Up to ``n`` known names of ``kinds`` closest to ``asked`` (best first), none below ``cutoff``."""
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    v = vocabulary(g)
    scored: dict[str, float] = {}
    for kind in kinds:
        for name in v.get(kind, ()):
            s = similarity(asked, name)
            if s >= cutoff and s > scored.get(name, 0.0):
                scored[name] = s
    ranked = sorted(scored.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
    best = ranked[0][1] if ranked else 0.0
    return [name for name, score in ranked[:n] if score >= best - 0.1]  # the close ones, not the whole field


def explain_empty(g: Any, kinds: str | Iterable[str], asked: str, zh: bool = False) -> str:
    """One or two sentences for an empty answer: what was searched, and what is near (or that the
    graph is empty, raised as :class:`EmptyGraphError`)."""
    ensure_not_empty(g)
    kinds = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    v = vocabulary(g)
    near = nearest(g, kinds, asked)
    if zh:
        searched = "、".join(f"{KIND_LABELS[k][1]}（{len(v.get(k, ()))}个）" for k in kinds)
        text = f"在{searched}中查找了“{asked}”。"
        text += (f"您是不是要找：{'、'.join(near)}？" if near else "没有相近的名称。")
    else:
        searched = ", ".join(f"{len(v.get(k, ()))} {KIND_LABELS[k][0]}" for k in kinds)
        text = f"Searched {searched} for “{asked}”."
        text += (f" Did you mean {' or '.join(near)}?" if near else " Nothing known is close to it.")
    return text
