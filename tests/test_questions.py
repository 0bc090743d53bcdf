"""Chinese and English questions → named queries, one test per question type on the seed.

The seed is built once into an embedded store (no server needed); every answer is checked against
what the gazette says, and each shows the named query, its parameters and the SPARQL it ran.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from interface.analyst import Analyst
from policykg.errors import QueryError
from interface.questions import parse, parse_when
from tests.conftest import SEED


@pytest.fixture(scope="module")
def g(tmp_path_factory):
    graph = Analyst("embedded", home=tmp_path_factory.mktemp("questions-home"))
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
    ("市财政局有哪些任务？", "agency_tasks", {"agency": "市财政局", "role": None}),
    ("What tasks does 市财政局 have?", "agency_tasks", {"agency": "市财政局", "role": None}),
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
    assert "什么时候失效" in msg and "撤销后影响哪些任务" in msg


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
    assert len(lapsing) == 15 and {i.date for i in lapsing} == {"2021-06-25"}  # its 15 provisions (gold)
    assert {i.doc_title for i in lapsing} == {"四川省外来企业投诉处理规定"}
    assert "有效期至2021-06-25" in a.answer


def test_answers_are_plain_json(g):
    import json

    from policykg.answers import to_jsonable

    a = g.ask("哪些部门负责去库存？")
    data = json.loads(json.dumps(to_jsonable(a), ensure_ascii=False))
    assert data["query"] == "departments_for_goal" and data["items"][0]["evidence"]["source"]


# ----------------------------------------------------------------------------
# the question set: how people ask, each with what the seed says (a fragment of the short answer)

QUESTION_SET = [
    # who is responsible for a goal: agency first or goal first, 哪些/什么/谁, with and without 的/了/？
    ("哪些部门负责去库存？", "departments", "15项任务"),
    ("哪些部门负责“住房公积金”", "departments", "3项任务"),
    ("去库存由哪些部门负责？", "departments", "15项任务"),
    ("去库存由谁负责", "departments", "15项任务"),
    ("谁负责住房公积金？", "departments", "市住房公积金管理中心（1）"),
    ("负责去库存的部门有哪些？", "departments", "市国土资源局（3）"),
    ("住房公积金的负责部门是哪些？", "departments", "3项任务"),
    ("直接融资涉及哪些部门", "departments", "人行绵阳中心支行（2）"),
    ("哪些部門負責去庫存？", "departments", "15项任务"),  # Traditional
    ("請問哪些部門負責住房公積金呢", "departments", "3项任务"),
    ("Which departments are responsible for 去库存?", "departments", "15 tasks"),
    ("Who is responsible for 住房公积金?", "departments", "3 tasks"),
    ("departments responsible for 直接融资", "departments", "人行绵阳中心支行 (2)"),
    ("which agencies handle 去库存", "departments", "15 tasks"),
    # who leads (由…牵头, …的牵头单位)
    ("去库存由谁牵头？", "leads", "市国土资源局（3）"),
    ("去库存谁牵头", "leads", "市国土资源局（3）"),
    ("哪个部门牵头去库存", "leads", "市城乡规划局（3）"),
    ("去库存的牵头单位是谁？", "leads", "15项任务"),
    ("住房公积金的牵头部门", "leads", "市住房公积金管理中心（1）"),
    ("牵头去库存的是哪些部门", "leads", "15项任务"),
    ("Who leads 去库存?", "leads", "市国土资源局 (3)"),
    ("Which department leads 去库存?", "leads", "15 tasks"),
    ("Who is the lead agency for 去库存?", "leads", "15 tasks"),
    # …的配合单位 / 责任单位
    ("去库存的配合单位有哪些？", "partners", "市财政局（10）"),
    ("去库存的责任单位是哪些", "partners", "市财政局（10）"),
    ("哪些部门配合去库存", "partners", "市财政局（10）"),
    ("Who supports 去库存?", "partners", "市财政局 (10)"),
    ("What are the supporting units for 住房公积金?", "partners", "市住房公积金管理中心 (2)"),
    # what one agency does
    ("市财政局负责什么", "agency_tasks", "牵头7项任务"),
    ("市财政局负责什么？", "agency_tasks", "参与（责任单位）35项任务"),
    ("市财政局有哪些任务？", "agency_tasks", "牵头7项任务"),
    ("市财政局都有哪些工作", "agency_tasks", "牵头7项任务"),
    ("市财政局牵头哪些任务", "agency_tasks", "牵头7项任务、参与（责任单位）0项"),
    ("哪些任务由市财政局牵头", "agency_tasks", "牵头7项任务、参与（责任单位）0项"),
    ("由市财政局牵头的任务有哪些？", "agency_tasks", "牵头7项任务、参与（责任单位）0项"),
    ("市财政局参与哪些任务", "agency_tasks", "牵头0项任务、参与（责任单位）35项"),
    ("市财政局的任务", "agency_tasks", "牵头7项任务"),
    ("市財政局負責什麼", "agency_tasks", "牵头7项任务"),
    ("What tasks does 市财政局 have?", "agency_tasks", "leads 7 tasks and shares 35"),
    ("Which tasks does 市财政局 lead?", "agency_tasks", "leads 7 tasks and shares 0"),
    ("What is 市财政局 responsible for?", "agency_tasks", "leads 7 tasks"),
    ("tasks led by 市财政局", "agency_tasks", "leads 7 tasks"),
    # tasks citing a regulation
    ("哪些任务引用了财税〔2015〕119号？", "citing", "落实税收优惠（市财政局牵头，implements）"),
    ("哪些任务引用财税〔2015〕119号", "citing", "落实税收优惠"),
    ("财税〔2015〕119号被哪些任务引用？", "citing", "落实税收优惠"),
    ("引用财税〔2015〕119号的任务有哪些？", "citing", "落实税收优惠"),
    ("谁引用了绵府发〔2016〕13号", "citing", "加大奖补支持（市经信委牵头"),
    ("Which tasks cite 财税〔2015〕119号?", "citing", "1 task cites"),
    ("tasks citing 绵府发〔2016〕13号", "citing", "加大奖补支持 (led by 市经信委"),
    # documents citing a regulation (哪些文件引用)
    ("哪些文件引用了财税〔2015〕119号", "citing_documents", "绵阳市推进供给侧结构性改革降成本专项工作方案"),
    ("哪些文件引用了财税〔2015〕119号？", "citing_documents", "1份文件引用了"),
    ("四川省行政机关限时办结制度被哪些文件引用", "citing_documents", "2份文件引用了四川省行政机关限时办结制度（1份直接引用）"),
    ("引用绵府发〔2016〕13号的文件有哪些", "citing_documents", "去产能专项工作方案"),
    ("哪些文件依据四川省行政机关限时办结制度制定", "citing_documents", "四川省外来企业投诉处理规定"),
    ("Which documents cite 财税〔2015〕119号?", "citing_documents", "1 document cites"),
    ("Where is 财税〔2015〕119号 cited?", "citing_documents", "降成本专项工作方案"),
    # repeal / amendment (会怎样, 影响)
    ("废止财税〔2015〕119号会影响哪些任务和部门？", "repeal", "1份文件的27项任务"),
    ("如果废止绵府发〔2016〕13号会怎样", "repeal", "1份文件的8项任务（其中1项直接引用：加大奖补支持）"),
    ("如果废止绵府发〔2016〕13号，会怎样？", "repeal", "8项任务"),
    ("绵府发〔2016〕13号废止了会怎么样", "repeal", "8项任务"),
    ("废止财税〔2015〕119号有什么影响", "repeal", "27项任务"),
    ("修订绵府发〔2016〕13号会影响什么？", "repeal", "修订绵府发〔2016〕13号会影响"),
    ("What is affected if 财税〔2015〕119号 is repealed?", "repeal", "affects 27 tasks"),
    ("What happens if 绵府发〔2016〕13号 is repealed?", "repeal", "affects 8 tasks"),
    ("impact of repealing 财税〔2015〕119号", "repeal", "affects 27 tasks"),
    # reform questions (X撤销/合并后影响哪些任务)
    ("市国税局撤销后影响哪些任务", "reform_units", "8项任务的牵头或责任单位需要改为国家税务总局绵阳市税务局"),
    ("市国税局和市地税局合并后影响哪些任务", "reform_units", "市国税局、市地税局撤销（2018-07-20"),
    ("市国土资源局撤销后任务由谁承担", "reform_units", "由市自然资源和规划局承继"),
    ("市卫生计生委撤销会怎样", "reform_units", "市卫生健康委员会"),
    ("Which tasks are affected when 市国税局 is abolished?", "reform_units", "8 tasks name a unit"),
    ("Who succeeded 市卫生计生委?", "reform_units", "successor 市卫生健康委员会"),
    ("机构改革影响哪些任务？", "reform", "80项任务"),
    ("2018年机构改革有什么影响", "reform", "80项任务"),
    ("哪些任务受机构改革影响", "reform", "80项任务"),
    ("Which tasks are affected by the 2018 reform?", "reform", "80 tasks"),
    # deadlines (when: 什么时候, …前完成)
    ("有哪些任务要在2016年6月底前完成？", "deadlines", "2016-06-30（含）前到期的任务有5项"),
    ("2016年6月底前要完成哪些任务", "deadlines", "有5项"),
    ("2016年底前到期的任务", "deadlines", "有8项"),
    ("哪些任务在2016年6月底前到期？", "deadlines", "提高住房公积金使用率（2016年6月底前）"),
    ("2016年底前有哪些任务到期", "deadlines", "有8项"),
    ("二〇一六年底前到期的任务", "deadlines", "有8项"),
    ("tasks due before 2016-12-31", "deadlines", "8 tasks are due"),
    ("What is due by end of June 2016?", "deadlines", "5 tasks are due"),
    ("What must be done by June 2016?", "deadlines", "5 tasks are due"),
    # when does a document lapse / a task fall due (什么时候失效/到期)
    ("四川省外来企业投诉处理规定什么时候失效", "when", "有效期至2021-06-25"),
    ("四川省外来企业投诉处理规定什么时候失效？", "when", "自2016-06-25起有效"),
    ("四川省外来企业投诉处理规定的有效期是多久", "when", "有效期至2021-06-25"),
    ("四川省外來企業投訴處理規定什麼時候失效", "when", "有效期至2021-06-25"),
    ("When does 四川省外来企业投诉处理规定 expire?", "when", "until 2021-06-25"),
    ("提高住房公积金使用率什么时候完成", "when", "2016年6月底前（2016-06-30）"),
    ("When is 落实税收优惠 due?", "when", "2017年12月31日前 (2017-12-31)"),
    # targets (目标是多少, 要达到多少)
    ("直接融资的目标是多少", "targets", "2017年直接融资超过165亿元；全市直接融资超过220亿元"),
    ("直接融资目标是多少？", "targets", "165亿元"),
    ("直接融资要达到多少", "targets", "220亿元"),
    ("到2017年直接融资的目标", "targets", "2017年直接融资超过165亿元"),
    ("直接融资到2020年要达到多少", "targets", "全市直接融资超过220亿元"),
    ("到2020年的目标", "targets", "2020年的目标有31个"),
    ("targets for 2020", "targets", "31 targets for 2020"),
    ("What is the target for 直接融资?", "targets", "165亿元"),
    ("How much should 直接融资 reach by 2020?", "targets", "220亿元"),
    # expiry and documents in force
    ("哪些文件会到期失效？", "expiry", "四川省外来企业投诉处理规定有效期至2021-06-25（15项任务随之失效）"),
    ("2022年前失效的文件有哪些？", "expiry", "有效期至2021-06-25"),
    ("What lapses before 2022?", "expiry", "valid until 2021-06-25"),
    ("2017年6月30日有效的文件", "in_force", "有效的文件有10份"),
    ("哪些文件在2021年6月26日仍然有效", "in_force", "有效的文件有9份"),
    ("Which documents are in force on 2017-06-30?", "in_force", "10 documents are in force"),
    # agencies of a sector or generic role, by inference (added as one record + these lines: issue 10)
    ("四川省的财政部门有哪些", "sector", "四川省的财政部门：绵阳市财政局"),
    ("财政部门有哪些", "sector", "绵阳市财政局"),
    ("四川省哪些单位属于财政部门", "sector", "绵阳市财政局"),
    ("绵阳市的教育行政部门有哪些", "sector", "绵阳市教育和体育局"),
    ("Which agencies are 财政部门 in 四川省?", "sector", "in 四川省: 绵阳市财政局"),
    ("Which finance agencies in 四川省?", "sector", "绵阳市人民政府金融工作办公室"),
]


def test_the_question_set_is_large():
    assert len(QUESTION_SET) >= 80
    assert len({q for q, _, _ in QUESTION_SET}) == len(QUESTION_SET)


@pytest.mark.parametrize("question,intent,expected", QUESTION_SET, ids=[q for q, _, _ in QUESTION_SET])
def test_question_set(g, question, intent, expected):
    a = g.ask(question)
    assert a.intent == intent, f"{question} was read as {a.intent} {a.params}"
    assert a.items, f"{question}: no answer ({a.answer} {a.note})"
    assert expected in a.answer, f"{question}: {a.answer}"
    assert a.query and a.query_text  # the query that ran is shown


# the phrasings the issue lists as refused before
ISSUE_11_FAILURES = ["市财政局负责什么", "哪些任务由市财政局牵头", "有哪些任务要在2016年6月底前完成？",
                     "2016年6月底前要完成哪些任务", "哪些文件引用了财税〔2015〕119号", "直接融资的目标是多少",
                     "如果废止绵府发〔2016〕13号会怎样", "市国税局撤销后影响哪些任务", "四川省外来企业投诉处理规定什么时候失效"]


def test_every_failure_of_issue_11_is_in_the_question_set():
    assert set(ISSUE_11_FAILURES) <= {q for q, _, _ in QUESTION_SET}


def test_every_example_of_the_registry_is_read_as_its_own_type():
    from interface.question_types import REGISTRY

    for t in REGISTRY:
        assert {p.language for p in t.patterns} == {"zh", "en"}, f"{t.intent} needs Chinese and English patterns"
        for p in t.patterns:
            assert parse(p.example).intent == t.intent, f"{p.example!r} is not read as {t.intent}"


# ----------------------------------------------------------------------------
# no dead ends


def test_an_unknown_regulation_gets_the_nearest_known_one(g):
    a = g.ask("哪些任务引用了财税〔2015〕第119号")
    assert a.items == () and "没有任务引用" in a.answer
    assert "被引用的文件" in a.note and "财税〔2015〕119号" in a.note  # searched …; did you mean …
    en = g.ask("Which tasks cite 财税〔2015〕第119号?")
    assert "Did you mean 财税〔2015〕119号" in en.note and "cited documents" in en.note


def test_an_unknown_agency_says_what_was_searched(g):
    a = g.ask("市财部局负责什么")
    assert a.items == () and "单位名称（91个）" in a.note and "市财政局" in a.note
    b = g.ask("不存在局有哪些任务")
    assert b.items == () and "单位名称" in b.note and "不存在局" in b.note


def test_an_unknown_unit_of_a_reform_question_names_the_units_that_ceased(g):
    with pytest.raises(QueryError, match="市国税局"):
        g.ask("市国税务局撤销后影响哪些任务")


def test_an_empty_graph_says_so_and_names_the_build_command(tmp_path):
    from interface.suggest import EmptyGraphError

    with Analyst("embedded", home=tmp_path / "empty-home") as empty:
        with pytest.raises(EmptyGraphError, match="policykg build"):
            empty.ask("哪些部门负责去库存？")
        with pytest.raises(EmptyGraphError, match="the graph is empty"):
            empty.ask("2016年底前到期的任务")


def test_the_readme_lists_every_question_type():
    from interface.question_types import REGISTRY
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for t in REGISTRY:
        row = next((ln for ln in readme.splitlines() if ln.startswith(f"| `{t.intent}`:")), None)
        assert row, f"README's table of questions has no row for {t.intent}"
        assert all(p.example in row for p in t.patterns), f"README's {t.intent} row lacks an example"
