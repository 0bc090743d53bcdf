"""The SPARQL query library (issue 4) answers its documented examples on the seed.

Runs on the embedded store (no server needed): the seed is built once into a fresh home.
tests/integration/test_parity.py runs the same named queries on `oxigraph serve` and Neo4j and
compares the rows, so these examples hold on all three backends. The examples are the ones
queries/README.md documents.
"""
from __future__ import annotations

from datetime import date

import pytest

from graph_api import PolicyGraph
from policykg.errors import QueryError
from tests.conftest import SEED

D1, D2, D3, D4, D5, D6, D7 = (f"mianyang-gazette-2016-06-d{i}" for i in range(1, 8))


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    graph = PolicyGraph("embedded", home=tmp_path_factory.mktemp("home"))
    graph.build([SEED])
    yield graph
    graph.close()


def test_documents_citing_is_transitive(g):
    # d3 (the regulation) is based on 《四川省行政机关限时办结制度》; d2 (the notice issuing d3)
    # cites d3 (owl:sameAs / SAME_AS), so it cites the 制度 through d3
    found = g.documents_citing("四川省行政机关限时办结制度")
    assert [(c.doc_id, c.direct, c.relation) for c in found] == [(D3, True, "based_on"), (D2, False, "refers_to")]
    assert found[1].cited == "《四川省外来企业投诉处理规定》"
    assert "四川省外来企业投诉处理规定" in found[1].evidence.quote
    assert [c.doc_id for c in g.documents_citing("财税〔2015〕119号")] == ["mianyang-gazette-2016-06-d9"]


def test_impact_of_a_regulation_on_tasks_agencies_and_open_deadlines(g):
    imp = g.impact("绵府发〔2016〕13号", on=date(2016, 7, 1))
    assert [d.doc_id for d in imp.documents] == [D6]
    doc = imp.documents[0]
    assert doc.doc_title == "绵阳市推进供给侧结构性改革去产能专项工作方案"
    assert [(x.relation, x.cited) for x in doc.links] == [("implements", "绵府发〔2016〕13号")]
    assert "绵府发" in doc.links[0].evidence.quote
    assert len(doc.tasks) == 8
    t1 = doc.tasks[0]
    assert (t1.task_title, t1.leads) == ("切实淘汰部分落后产能", ("市经信委",))
    assert {"市发展改革委", "三台县政府"} <= set(t1.responsible)
    assert [(x.text, x.date) for x in t1.open_deadlines] == [("2016年", "2016-12-31")]
    assert "绵阳市经济和信息化委员会" in imp.agencies
    # half a year later the 2016 deadline is past; the 十三五 one is still open
    later = g.impact("绵府发〔2016〕13号", on="2017-01-01")
    assert later.tasks[0].open_deadlines == ()
    assert [(x.text, x.date) for x in later.tasks[1].open_deadlines] == [("“十三五”期间", "2020-12-31")]


def test_impact_reaches_the_annexes_of_a_dependent_notice(g):
    # 绵府办发〔2016〕35号 (d5) is based on the 总体方案; the five plans it issues (d6-d10) are its annexes
    imp = g.impact("绵阳市推进供给侧结构性改革总体方案")
    assert [d.doc_id for d in imp.documents] == [D5] + [f"mianyang-gazette-2016-06-d{i}" for i in range(6, 11)]
    assert imp.documents[0].tasks == ()
    assert {x.through_doc for d in imp.documents for x in d.links} == {D5}
    assert len(imp.tasks) > 60 and imp.on is None


def test_agency_tasks_lead_versus_shared(g):
    tasks = g.agency_tasks("市财政局")
    assert {a.canonical for a in tasks} == {"绵阳市财政局"}
    leads = {a.task_title for a in tasks if a.role == "lead"}
    shared = {a.task_title for a in tasks if a.role == "responsible"}
    assert "落实税收优惠政策" in leads and "提高住房公积金使用率" not in leads
    assert len(shared) > len(leads) > 3
    # the canonical name and an authority label (skos:hiddenLabel 市人社局) find the same agency
    assert {a.task_id for a in g.agency_tasks("绵阳市财政局")} == {a.task_id for a in tasks}
    assert {a.agency for a in g.agency_tasks("市人社局")} == {"市人力资源社会保障局"}
    banks = g.agency_tasks("人民银行绵阳中心支行")   # hiddenLabel of 人行绵阳中心支行
    assert banks and {a.agency for a in banks} == {"人行绵阳中心支行"}


def test_deadlines_between(g):
    june = g.deadlines(between=(date(2016, 6, 1), date(2016, 6, 30)))
    assert {d.deadline.text for d in june} == {"2016年6月底前"}
    by_title = {d.task_title: d for d in june}
    assert "提高住房公积金使用率" in by_title
    assert by_title["提高住房公积金使用率"].agencies[0].name == "市住房公积金管理中心"
    assert by_title["提高住房公积金使用率"].agencies[0].role == "lead"
    mine = g.deadlines(between=("2016-01-01", "2020-12-31"), agency="市财政局")
    assert mine and all(any(a.name == "市财政局" for a in d.agencies) for d in mine)
    assert len(mine) < len(g.deadlines(between=("2016-01-01", "2020-12-31")))
    with pytest.raises(QueryError):
        g.deadlines(between=("2016-12-31", "2016-01-01"))


def test_in_force_on(g):
    assert [d.doc_id for d in g.in_force(date(2016, 6, 23))] == [D1, D4]
    # the 四川省外来企业投诉处理规定 (d3): 自印发之日起实施，有效期5年 → valid until 2021-06-25
    on_last_day = {d.doc_id: d for d in g.in_force("2021-06-25")}
    assert on_last_day[D3].valid_until == "2021-06-25" and len(on_last_day) == 10
    after = [d.doc_id for d in g.in_force("2021-06-26")]
    assert D3 not in after and D2 in after and len(after) == 9
    assert g.in_force("2016-06-23")[0].evidence.quote.startswith("国务院办公厅")
    # scoped to one issuer (the issuer as written contains the fragment)
    assert [d.doc_id for d in g.in_force("2016-06-23", issuer="国务院")] == [D1]
    mianyang = [d.doc_id for d in g.in_force("2016-07-01", issuer="绵阳市")]
    assert mianyang and D1 not in mianyang and set(mianyang) <= set(d.doc_id for d in g.in_force("2016-07-01"))


def test_targets_for(g):
    found = {(t.metric, t.comparator, t.value, t.unit, t.year) for t in g.targets("直接融资")}
    assert ("直接融资", ">", 165.0, "亿元", 2017) in found
    assert ("全市直接融资", ">", 220.0, "亿元", 2020) in found
    in_2017 = g.targets(year=2017)
    assert in_2017 and all(t.year == 2017 for t in in_2017)
    assert len(g.targets()) > len(in_2017)
    assert all(t.year == 2020 for t in g.targets("比重", 2020))
    # metric and year together: the one target of 直接融资 for 2017
    assert [(t.metric, t.year) for t in g.targets("直接融资", 2017)] == [("直接融资", 2017)]


def test_finance_departments_in_sichuan_by_inference(g):
    # 财政部门 (a generic role, sector fiscal) → 绵阳市财政局 (sector fiscal; org:classification
    # materialised at build), in 绵阳市 which lies within 四川省
    found = g.agencies_in("财政部门", within="四川省")
    assert [(a.agency, a.jurisdiction, a.sector, a.role) for a in found] == [
        ("绵阳市财政局", "绵阳市", "fiscal", "财政部门")]
    finance = {a.agency for a in g.agencies_in("finance", within="四川省")}   # fiscal, taxation, banking …
    assert {"绵阳市财政局", "绵阳市国家税务局", "中国人民银行绵阳市中心支行"} <= finance
    assert {a.agency for a in g.agencies_in("税务", within="四川省")} == {"绵阳市国家税务局", "绵阳市地方税务局"}
    assert g.agencies_in("财政部门", within="北京市") == []
    # the triple the rule materialised is in the store
    rows = g.sparql("PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                    "SELECT ?a WHERE { ?x org:classification ?r . ?r skos:prefLabel \"财政部门\"@zh . "
                    "?x skos:prefLabel ?a }")
    assert [r["a"] for r in rows] == ["绵阳市财政局"]


def test_bad_parameters_are_refused(g):
    with pytest.raises(QueryError):
        g.documents_citing("  ")
    with pytest.raises(QueryError):
        g.in_force("June 2016")
    with pytest.raises(QueryError):
        g.agency_tasks("")
