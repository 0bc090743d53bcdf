"""A store whose keyword index an older policykg wrote (it lacks kinds added since): the queries scan
instead of trusting it, so answers stay whole, and a build says how to bring the index up to date."""
from __future__ import annotations

import pytest

from graph_api import PolicyGraph, reset_home

pytestmark = pytest.mark.integration

PLAN = ("绵阳市人民政府办公室关于做好防汛减灾工作的通知\n\n"
        "一、加强隐患排查。完成全市水库、堤防排查。（牵头单位：市水务局；责任单位：市国土资源局）\n\n"
        "二、完善应急预案。２０１７年６月底前组织开展应急演练。（牵头单位：市民政局；责任单位：市财政局）\n")


def _make_stale(g: PolicyGraph) -> None:
    """As an index written before the task entries existed: lookups would find no task at all."""
    db = g.backend.store.keywords.db
    db.execute("DELETE FROM entries WHERE kind = 'task'")
    db.execute("PRAGMA user_version = 1")
    db.commit()


def test_a_stale_index_is_not_trusted_and_a_fresh_build_renews_it(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    home = tmp_path / "home"
    with PolicyGraph("embedded", home=home) as g:
        report = g.build([plan])
        assert not any("older policykg" in w for w in report.warnings)
        expected = {(r["agency"], r["role"]) for r in g.backend.run("departments_for_goal", {"goal": "应急演练"})}
        assert {role for _, role in expected} == {"lead", "responsible"}
        _make_stale(g)
    with PolicyGraph("embedded", home=home) as g:
        found = {(r["agency"], r["role"]) for r in g.backend.run("departments_for_goal", {"goal": "应急演练"})}
        assert found == expected                          # scanned: the index's missing entries cost nothing
        report = g.build([plan])
        notes = [w for w in report.warnings if "older policykg" in w]
        assert len(notes) == 1 and "build --fresh" in notes[0] and str(home) in notes[0]
    reset_home(home)                                      # policykg build --fresh
    with PolicyGraph("embedded", home=home) as g:
        report = g.build([plan])
        assert not any("older policykg" in w for w in report.warnings)
        assert not g.backend.store.keywords.stale
        assert g.backend.store.keywords.lookup("task", "应急演练")   # the index is trusted again
