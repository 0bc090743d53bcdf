"""Impact reports: the analysis is a pure function of the facade's answers; the HTML is a Jinja2 template
with autoescape; the SVG layout keeps panels apart. No store, no server."""
from __future__ import annotations

from policykg.answers import (CitingTask, DeadlineInfo, Evidence, Impact, ImpactedDocument, ImpactedTask, ImpactLink,
                              TaskAgency)
from interface.report import analyse_repeal
from interface.report_model import GEdge, GNode, SubGraph
from interface.report_render import to_csv, to_html
from interface.report_svg import crossings, layout

EV = Evidence("src", 10, 40, "src-d1", "测试方案<script>alert(1)</script>", None, "（一）落实<b>税收</b>优惠。")


def _answers():
    t1 = ImpactedTask("src-d1-t1", "落实<税收>优惠", (TaskAgency("市财政局", None, "lead"),),
                      (DeadlineInfo("2017年底前", "2017-12-31", "due"),), EV)
    t2 = ImpactedTask("src-d1-t2", "其他任务", (TaskAgency("市税务局", None, "lead"),), (), EV)
    link = ImpactLink("src-d1", "implements", "财税〔2015〕119号", EV)
    impact = Impact("财税〔2015〕119号", None, (ImpactedDocument("src-d1", EV.doc_title, None, (link,), (t1, t2)),))
    direct = [CitingTask("src-d1-t1", "落实<税收>优惠", "财税〔2015〕119号", "implements", ("市财政局",), EV)]
    return impact, direct


def test_the_repeal_analysis_is_a_pure_function_of_answers():
    impact, direct = _answers()
    r = analyse_repeal("财税〔2015〕119号", "repeal", None, impact, direct,
                       {"src-d1-t1": [DeadlineInfo("2017年底前", "2017-12-31", "due")]}, {}, [], "2026-01-01 00:00")
    assert [(i.task_id, i.direct) for i in r.items] == [("src-d1-t1", True), ("src-d1-t2", False)]
    assert dict(r.summary)["tasks citing it themselves"] == "1" and dict(r.summary)["documents affected"] == "1"
    assert r.generated == "2026-01-01 00:00"
    again = analyse_repeal("财税〔2015〕119号", "repeal", None, impact, direct,
                           {"src-d1-t1": [DeadlineInfo("2017年底前", "2017-12-31", "due")]}, {}, [], "2026-01-01 00:00")
    assert again == r  # same answers, same report


def test_html_is_autoescaped():
    impact, direct = _answers()
    r = analyse_repeal("财税〔2015〕119号", "repeal", None, impact, direct, {}, {}, [], "now")
    page = to_html(r)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "落实&lt;税收&gt;优惠" in page and "<b>税收</b>" not in page
    assert page.count("<svg") == 1 and "font-family: 'Noto Sans CJK SC'" in page  # the CSS is not escaped
    assert to_csv(r).splitlines()[0].startswith("task_id,task,document")


def test_panels_keep_their_edges_apart():
    nodes, edges = [], []
    for d in range(5):  # 5 documents × 5 units → 3 successors each: one panel per document
        for u in range(5):
            nodes.append(GNode(f"u{d}{u}", f"单位{u}", "agency", 0, "", f"文件{d}"))
            edges.append(GEdge(f"u{d}{u}", f"s{d}{u % 3}"))
        for s in range(3):
            nodes.append(GNode(f"s{d}{s}", f"承继{s}", "successor", 1, "", f"文件{d}"))
    g = SubGraph(tuple(nodes), tuple(edges), ("units", "successors"))
    boxes, width, height, headings = layout(g)
    assert [h for h, _ in headings] == [f"文件{d}" for d in range(5)]
    assert crossings(g, boxes) == 0
    ys = sorted((y, y + h) for x, y, w, h, _ in boxes.values() if x == min(b[0] for b in boxes.values()))
    assert all(a[1] <= b[0] for a, b in zip(ys, ys[1:]))  # no two boxes of a column overlap
