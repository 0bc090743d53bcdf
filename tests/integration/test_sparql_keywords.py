"""The SPARQL server's canned queries (issue 12): the ``LATERAL`` form and the keyword index of the home
that built into the server give the answers of the portable scan; an index that does not describe the
server (another home wrote into it, a write it did not see) is not trusted.

The server is the local ``oxigraph serve`` (POLICYKG_OXIGRAPH_BIND picks its port), emptied first by
``clear`` (a scratch server only). Reference answers: the portable SPARQL 1.1 text (no LATERAL, no
index), sent as it was before.
"""
from __future__ import annotations

from datetime import date

import pytest

from graph_api import PolicyGraph
from queries.loader import load_query
from queries.sparql_runner import bind_values, parses_lateral, remote_text, run_remote_text
from tests.conftest import SEED

pytestmark = pytest.mark.integration

#: every query with a keyword block, with parameters that find something on the seed and ones that do not
CASES = [
    ("departments_for_goal", {"goal": "去库存"}), ("departments_for_goal", {"goal": "住房公积金"}),
    ("departments_for_goal", {"goal": "库存"}), ("departments_for_goal", {"goal": "防汛应急"}),
    ("tasks_citing", {"reg": "财税〔2015〕119号"}), ("documents_citing", {"reg": "绵府发〔2016〕13号"}),
    ("impact_of_document", {"reg": "绵府发〔2016〕13号", "on_date": date(2016, 7, 1)}),
    ("agency_tasks", {"for_agency": "市财政局"}), ("agency_tasks", {"for_agency": "市水务局"}),
    ("deadlines_between", {"date_from": date(2016, 1, 1), "date_to": date(2020, 12, 31), "for_agency": "市财政局"}),
    ("in_force_on", {"on_date": date(2016, 7, 1), "issued_by": "绵阳市"}),
    ("targets_for", {"of_metric": "直接融资", "in_year": None}),
    ("agencies_in_sector", {"of_sector": "财政部门", "within": "四川省"}),
]

FLOOD = ("绵阳市人民政府办公室关于做好防汛减灾工作的通知\n\n"
         "一、加强隐患排查。完成全市水库、堤防排查。（牵头单位：市水务局；责任单位：市国土资源局）\n\n"
         "二、完善防汛应急预案。２０１７年６月底前组织开展应急演练。（牵头单位：市民政局；责任单位：市财政局）\n")



def _portable(endpoint: str, name: str, params: dict) -> list:
    """The text run_remote sent before: no LATERAL, no keyword index."""
    q = load_query(name, "sparql")
    return _norm(run_remote_text(endpoint, bind_values(q.text, params, list(q.params))))


def _norm(rows):
    return sorted(tuple(sorted((k, "" if v is None else str(v)) for k, v in r.items())) for r in rows)


def _answers(g: PolicyGraph) -> dict:
    return {(n, tuple(p.items())): _norm(g.backend.run(n, p)) for n, p in CASES}


def _reference(g: PolicyGraph) -> dict:
    return {(n, tuple(p.items())): _portable(g.backend.endpoint, n, p) for n, p in CASES}


def _trusted(g: PolicyGraph) -> bool:
    index = g.backend.keyword_index()
    return index is not None and index.server_token is not None and \
        index.server_token == g.backend._server_stamp()[0]


def test_lateral_and_the_index_give_the_scan_answers_and_follow_reloads(tmp_path, sparql_server):
    flood = tmp_path / "flood.txt"
    with PolicyGraph("sparql", home=tmp_path / "a") as g:
        g.backend.clear()
        g.build([SEED])
        assert parses_lateral(g.backend.endpoint)  # oxigraph serve parses SEP-0006
        assert _trusted(g)
        name, params = "departments_for_goal", {"goal": "去库存"}
        sent = remote_text(g.backend.endpoint, name, params, g.backend.keyword_index())
        assert "LATERAL {" in sent and "VALUES ?task {" in sent and "CONTAINS(?text0" not in sent
        ref = _reference(g)
        assert any(ref.values()) and _answers(g) == ref
        # a new document, a reload with another text, a removal: the index follows, answers stay the scan's
        flood.write_text(FLOOD, encoding="utf-8")
        g.build([flood])
        assert _trusted(g)
        got = _answers(g)
        assert got == _reference(g) and got[("departments_for_goal", (("goal", "防汛应急"),))]
        flood.write_text(FLOOD.replace("防汛应急预案", "抗旱预案"), encoding="utf-8")
        g.build([flood])
        assert _trusted(g)
        got = _answers(g)
        assert got == _reference(g) and not got[("departments_for_goal", (("goal", "防汛应急"),))]
        g.remove([flood])
        assert _trusted(g) and _answers(g) == _reference(g) == ref


def test_an_index_that_does_not_describe_the_server_is_not_trusted(tmp_path, sparql_server):
    flood = tmp_path / "flood.txt"
    flood.write_text(FLOOD, encoding="utf-8")
    with PolicyGraph("sparql", home=tmp_path / "a") as a:
        a.backend.clear()
        a.build([SEED])
        assert _trusted(a)
        with PolicyGraph("sparql", home=tmp_path / "b") as b:  # another home builds into the same server
            b.build([flood])
            assert not _trusted(b)  # its index knows only the flood plan, the server holds the seed too
            assert not _trusted(a)  # a's index does not know the flood plan
            for g in (a, b):
                got = _answers(g)
                assert got == _reference(g)
                assert got[("departments_for_goal", (("goal", "防汛应急"),))]  # b's plan, found by a's scan
                assert got[("departments_for_goal", (("goal", "去库存"),))]    # the seed, found by b's scan
            b.build([flood])  # b's index stays untrusted: it never saw the seed
            assert not _trusted(b) and _answers(b) == _reference(b)
        a.build([SEED])  # nor does a's: it never saw b's plan
        assert not _trusted(a) and _answers(a) == _reference(a)


def test_a_write_between_the_look_up_and_the_answer_is_seen(tmp_path, sparql_server):
    """A write the index did not see (a stamp it did not take, as another home's or a failed write leaves)
    while the index is in use: the query that used it runs again as the scan, and the index is not tried
    again for that token."""
    from backends import sparql as module
    from loaders.keyword_index import stamp_update

    with PolicyGraph("sparql", home=tmp_path / "a") as g:
        g.backend.clear()
        g.build([SEED])
        assert _trusted(g)
        token = g.backend.keyword_index().server_token
        sent = []
        real = module.run_remote

        def run_remote(endpoint, name, params, timeout=30, keywords=None):
            rows = real(endpoint, name, params, timeout, keywords)
            sent.append(keywords is not None)
            if keywords is not None:  # another writer, right after the indexed query ran
                g.backend.store._update(stamp_update("0" * 32))
            return rows

        module.run_remote = run_remote
        try:
            rows = g.backend.run("departments_for_goal", {"goal": "去库存"})
            assert sent == [True, False]  # indexed, then scanned again
            assert _norm(rows) == _portable(g.backend.endpoint, "departments_for_goal", {"goal": "去库存"})
            assert (g.backend.endpoint, token) in module._STALE
            sent.clear()
            g.backend.run("agency_tasks", {"for_agency": "市财政局"})
            assert sent == [False]  # that token is not tried again
        finally:
            module.run_remote = real
