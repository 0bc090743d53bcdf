"""Chinese and English questions → named queries, one test per question type on the seed.

The seed is built once into an embedded store (no server needed); every answer is checked against
what the gazette says, and each shows the named query, its parameters and the SPARQL it ran.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from graph_api import PolicyGraph
from policykg.errors import QueryError
from interface.questions import parse, parse_when
from tests.conftest import SEED


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    graph = PolicyGraph("embedded", home=tmp_path_factory.mktemp("questions-home"))
    graph.build([SEED])
    yield graph
    graph.close()


def _seed_text() -> str:
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", SEED.read_text(encoding="utf-8")))


# ----------------------------------------------------------------------------
# the grammar (pure)

@pytest.mark.parametrize("question,intent,params", [
    ("哪些部门负责去库存？", "departments", {"goal": "去库存"}),
    ("哪些部门负责“住房公积金”", "departments", {"goal": "住房公积金"}),
    ("去库存由哪些部门负责？", "departments", {"goal": "去库存"}),
    ("Which departments are responsible for 去库存?", "departments", {"goal": "去库存"}),
    ("去库存由谁牵头？", "leads", {"goal": "去库存"}),
    ("哪个部门牵头去库存", "leads", {"goal": "去库存"}),
    ("Who leads 去库存?", "leads", {"goal": "去库存"}),
    ("哪些任务引用了财税〔2015〕119号？", "citing", {"regulation": "财税〔2015〕119号"}),
    ("Which tasks cite 财税[2015]119号?", "citing", {"regulation": "财税[2015]119号"}),
    ("废止财税〔2015〕119号会影响哪些任务和部门？", "repeal", {"regulation": "财税〔2015〕119号", "change": "repeal"}),
    ("修订绵府发〔2016〕13号会影响什么？", "repeal", {"regulation": "绵府发〔2016〕13号", "change": "amend"}),
    ("What is affected if 财税〔2015〕119号 is repealed?", "repeal", {"regulation": "财税〔2015〕119号", "change": "repeal"}),
    ("市财政局有哪些任务？", "agency_tasks", {"agency": "市财政局"}),
    ("What tasks does 市财政局 have?", "agency_tasks", {"agency": "市财政局"}),
    ("2016年底前到期的任务", "deadlines", {"before": date(2016, 12, 31)}),
    ("哪些任务在2016年6月底前到期？", "deadlines", {"before": date(2016, 6, 30)}),
    ("tasks due before 2016-12-31", "deadlines", {"before": date(2016, 12, 31)}),
    ("到2020年的目标", "targets", {"year": 2020, "metric": None}),
    ("到2017年直接融资的目标", "targets", {"year": 2017, "metric": "直接融资"}),
    ("targets for 2020", "targets", {"year": 2020, "metric": None}),
    ("哪些文件会到期失效？", "expiry", {"on": None}),
    ("Which documents are in force on 2017-06-30?", "in_force", {"on": date(2017, 6, 30)}),
    ("机构改革影响哪些任务？", "reform", {}),
])
def test_grammar(question, intent, params):
    p = parse(question)
    assert (p.intent, p.params) == (intent, params)
    assert p.language == ("en" if re.match(r"^[A-Za-z]", question) else "zh")


@pytest.mark.parametrize("phrase,expected", [
    ("2016年底", date(2016, 12, 31)), ("2016年6月底", date(2016, 6, 30)), ("2016年6月30日", date(2016, 6, 30)),
    ("2016年上半年", date(2016, 6, 30)), ("2016年第三季度", date(2016, 9, 30)), ("二〇一六年底", date(2016, 12, 31)),
    ("2016-12-31", date(2016, 12, 31)), ("end of 2016", date(2016, 12, 31)), ("June 2016", date(2016, 6, 30)),
    ("30 June 2016", date(2016, 6, 30)), ("2016", date(2016, 12, 31)),
])
def test_dates(phrase, expected):
    assert parse_when(phrase) == expected


@pytest.mark.parametrize("question", ["", "今天天气怎么样？", "tell me a joke", "哪些部门负责"])
def test_unparseable_question_lists_what_can_be_asked(question):
    with pytest.raises(QueryError) as e:
        parse(question)
    msg = str(e.value)
    assert "哪些部门负责去库存" in msg and "Which tasks cite" in msg and "到2020年的目标" in msg


def test_unparseable_date_is_a_clear_error():
    with pytest.raises(QueryError, match="not a date"):
        parse("明天前到期的任务")


# ----------------------------------------------------------------------------
# answers on the seed, one per question type, Chinese and English

def test_departments_for_destocking(g):
    a = g.ask("哪些部门负责去库存？")
    assert a.intent == "departments" and a.query == "departments_for_goal"
    lead_tasks = {x.task_id for x in a.items if x.role == "lead"}
    assert len(lead_tasks) == 15  # the 15 tasks of the 去库存 plan, each with its lead
    leads = Counter(x.agency for x in a.items if x.role == "lead")
    top = leads.most_common()
    assert {top[0], top[1]} == {("市国土资源局", 3), ("市城乡规划局", 3)} and top[2][1] < 3
    assert a.summary[:2] == (("市国土资源局", 3), ("市城乡规划局", 3)) or \
        a.summary[:2] == (("市城乡规划局", 3), ("市国土资源局", 3))
    assert "15项任务" in a.answer and "市国土资源局（3）" in a.answer
    # the evidence: the query as run, with its bound parameter
    assert a.query_language == "sparql" and a.query_params == {"goal": "去库存"}
    assert 'VALUES (?goal) { ("去库存") }' in a.query_text and "SELECT" in a.query_text
    en = g.ask("Which departments are responsible for 去库存?")
    assert en.items == a.items and en.language == "en" and "led by 市国土资源局 (3)" in en.answer


def test_who_leads(g):
    a = g.ask("去库存由谁牵头？")
    assert a.intent == "leads" and {x.role for x in a.items} == {"lead"} and len(a.items) == 15
    assert g.ask("Who leads 去库存?").items == a.items
    b = g.ask("住房公积金由谁牵头？")
    assert ("提高住房公积金使用率", "市住房公积金管理中心") in {(x.task_title, x.agency) for x in b.items}


def test_tasks_citing(g):
    a = g.ask("哪些任务引用了财税〔2015〕119号？")
    assert a.query == "tasks_citing" and a.query_params == {"reg": "财税〔2015〕119号"}
    assert [(c.task_title, c.leads, c.relation) for c in a.items] == [("落实税收优惠", ("市财政局",), "implements")]
    assert "财税〔２０１５〕１１９号" in a.items[0].evidence.quote  # quoted from the original (full-width digits)
    assert "落实税收优惠" in a.answer
    assert g.ask("Which tasks cite 财税〔2015〕119号?").items == a.items


def test_repeal_impact(g):
    a = g.ask("废止财税〔2015〕119号会影响哪些任务和部门？")
    assert a.intent == "repeal" and a.query == "impact_of_document" and a.report is not None
    r = a.report
    assert [d.doc_title for d in r.documents] == ["绵阳市推进供给侧结构性改革降成本专项工作方案"]
    direct = [i for i in r.items if i.direct]
    assert [i.task_title for i in direct] == ["落实税收优惠"]
    roles = {(x.name, x.role) for x in direct[0].agencies}
    assert roles == {("市财政局", "lead"), ("市国税局", "responsible"), ("市地税局", "responsible"),
                     ("市科知局", "responsible")}
    assert {d.date for d in direct[0].deadlines} == {"2017-12-31", "2020-12-31"}
    assert r.items[0] is direct[0]  # the task citing it comes first
    en = g.ask("What is affected if 财税〔2015〕119号 is repealed?")
    assert [i.task_id for i in en.items] == [i.task_id for i in a.items]


def test_agency_tasks(g):
    a = g.ask("市财政局有哪些任务？")
    assert a.query == "agency_tasks"
    led = {t.task_title for t in a.items if t.role == "lead"}
    text = _seed_text()
    # every 牵头单位 list naming 市财政局 in the gazette is one task it leads
    expected = len(re.findall(r"牵头单位:[^;)]*?市财政局", text))
    assert len(led) == expected == 7
    assert "落实税收优惠" in led
    assert f"牵头{expected}项任务" in a.answer
    assert {t.task_id for t in g.ask("What tasks does 市财政局 have?").items} == {t.task_id for t in a.items}


def test_deadlines_before_end_of_2016(g):
    a = g.ask("2016年底前到期的任务")
    assert a.query == "deadlines_between"
    assert a.query_params["date_to"] == "2016-12-31"
    assert all(d.deadline.date <= "2016-12-31" for d in a.items)
    titles = {d.task_title for d in a.items}
    assert {"提高住房公积金使用率", "推行农村集体土地征地拆迁货币化安置"} <= titles
    assert Counter(d.deadline.date for d in a.items)["2016-06-30"] >= 5  # 2016年6月底前 ×5 in 去库存
    assert "落实税收优惠" not in titles  # due 2017-12-31
    assert {d.task_id for d in g.ask("tasks due before 2016-12-31").items} == {d.task_id for d in a.items}


def test_targets_for_2020(g):
    a = g.ask("到2020年的目标")
    assert a.query == "targets_for" and a.query_params["in_year"] == 2020
    assert a.items and all(t.year == 2020 for t in a.items)
    texts = " ".join(t.text or "" for t in a.items)
    assert "直接融资" in texts and "220" in texts
    assert {t.target_id for t in g.ask("targets for 2020").items} == {t.target_id for t in a.items}


def test_expiry(g):
    a = g.ask("哪些文件会到期失效？")
    assert a.query == "expiring_documents"
    lapsing = [i for i in a.items if i.how.startswith("lapses")]
    assert len(lapsing) == 18 and {i.date for i in lapsing} == {"2021-06-25"}
    assert {i.doc_title for i in lapsing} == {"四川省外来企业投诉处理规定"}
    assert "有效期至2021-06-25" in a.answer


def test_answers_are_plain_json(g):
    import json

    from policykg.answers import to_jsonable

    a = g.ask("哪些部门负责去库存？")
    data = json.loads(json.dumps(to_jsonable(a), ensure_ascii=False))
    assert data["query"] == "departments_for_goal" and data["items"][0]["evidence"]["source"]
