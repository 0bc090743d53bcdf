"""The Backend protocol: every registered backend has its verbs, a new one is one registration away,
and only transient errors are retried (issue 10, item 2)."""
from __future__ import annotations

import importlib
import inspect

import pytest

import backends
from backends import REGISTRY, Backend, Traced, open_backend, register, retrying
from backends.embedded import EmbeddedBackend
from loaders.rdf_store import EmbeddedStore
from policykg.errors import BackendError, TransientBackendError

VERBS = sorted(n for n, v in inspect.getmembers(Backend) if inspect.isfunction(v) and not n.startswith("_"))


def _class(target: str):
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)


def test_the_protocol_has_the_verbs_callers_need():
    assert VERBS == ["clear", "close", "dump", "load", "load_linked", "notices", "query_text", "read", "replace_graph",
                     "run", "trace"]


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_registered_backend_has_every_verb(name):
    cls = _class(REGISTRY[name])
    assert cls.name == name and cls.language in ("sparql", "cypher")
    missing = [v for v in VERBS if not callable(getattr(cls, v, None))]
    assert not missing, f"{name} lacks {missing}"
    for v in VERBS:  # the same parameters as the protocol
        assert list(inspect.signature(getattr(cls, v)).parameters) == list(
            inspect.signature(getattr(Backend, v)).parameters), (name, v)


def test_an_unknown_backend_names_the_known_ones():
    with pytest.raises(BackendError, match="unknown backend 'kuzu'; choose one of embedded, sparql, neo4j"):
        open_backend("kuzu")


class MemoryBackend(EmbeddedBackend):
    """A store added from outside the package: pyoxigraph in memory."""

    name = "memory"

    def __init__(self, home=None):
        Traced.__init__(self)
        self.store = EmbeddedStore(None)


def test_a_new_backend_is_one_registration(tmp_path):
    from graph_api import PolicyGraph

    register("memory", MemoryBackend)
    try:
        with PolicyGraph("memory", home=tmp_path) as g:
            g.build()
            seen: list[str] = []
            with g.backend.trace(lambda name, params: seen.append(name)):
                leads = {a.agency for a in g.departments_for("去库存", role="lead")}
            assert "市国土资源局" in leads and seen == ["departments_for_goal"]
            assert "VALUES (?goal)" in g.query_text("departments_for_goal", goal="去库存")
            assert g.export_rdf("nquads").count(b"\n") > 10_000
    finally:
        del backends.REGISTRY["memory"]


def test_transient_errors_are_retried_and_terminal_ones_are_not():
    calls: list[str] = []

    @retrying
    def flaky() -> str:
        calls.append("flaky")
        if len(calls) < 3:
            raise TransientBackendError("connection reset")
        return "ok"

    assert flaky() == "ok" and len(calls) == 3

    calls.clear()

    @retrying
    def refused() -> None:
        calls.append("refused")
        raise BackendError("bad credentials")

    with pytest.raises(BackendError, match="bad credentials"):
        refused()
    assert calls == ["refused"]

    calls.clear()

    @retrying
    def down() -> None:
        calls.append("down")
        raise TransientBackendError("still down")

    with pytest.raises(TransientBackendError, match="still down"):  # three attempts, then the error itself
        down()
    assert len(calls) == 3
