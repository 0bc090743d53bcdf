"""Deadlines: dates, windows, relative limits, validity and recurrence (real phrases from the seed and dev texts)."""
from __future__ import annotations

from datetime import date

import pytest

from loaders.extract.deadlines import extract_deadlines
from loaders.text import normalize, read_source

ISSUE = date(2016, 6, 24)


def _deadlines(text: str, issue=ISSUE):
    norm = normalize(text, "t")
    return norm, extract_deadlines(norm, 0, len(norm.text), issue_date=issue)


def _d(s):
    return date.fromisoformat(s) if s else None


# (text, issue date, [(date, kind)])
CASES = [
    ("2016年6月底前制定征地拆迁货币化安置办法，加大货币化安置力度。", ISSUE, [("2016-06-30", "due")]),
    # a year written as 明年/次年/今年 before the month: the year in context, plus one or not
    ("明年6月底前完成全部改造任务。", ISSUE, [("2017-06-30", "due")]),
    ("今年9月底前出台实施细则。", ISSUE, [("2016-09-30", "due")]),
    # a holiday or season after the year is no year end (春节 has no fixed date here)
    ("2017年春节前完成农民工工资清欠。", ISSUE, []),
    ("到2020年建成年产高温合金、耐蚀合金等特种合金5000吨。", ISSUE, [("2020-12-31", "due")]),
    ("到2017年底，实现国家和省级人口健康信息平台互联互通。", ISSUE, [("2017-12-31", "due")]),
    ("建立艺术类学科教研员准入制度，2017年配齐配强市、县级专业专职音乐、美术教研员。", ISSUE, [("2017-12-31", "due")]),
    ("2016年，全市计划淘汰5户企业部分落后产能。2017年后，严格执行省下达的年度目标任务。", ISSUE, [("2016-12-31", "due")]),
    ("争取2016年全市产业园区申请“园保贷”匹配资金达到1700万元。", ISSUE, [("2016-12-31", "due")]),
    ("年内建成全市电子交易公共服务系统。", ISSUE, [("2016-12-31", "due")]),
    ("“十三五”期间，确保每条生产线每年季节性错峰生产时间不少于125天。", ISSUE, [("2020-12-31", "window_end")]),
    ("自2016年7月1日起至2017年6月30日止，给予每平方米200元的财政补贴。", ISSUE, [("2017-06-30", "window_end")]),
    ("自2011年1月1日至2020年12月31日，对鼓励类产业企业减按15%税率缴纳企业所得税。", ISSUE,
     [("2020-12-31", "window_end")]),
    ("2017年12月31日前，对符合条件的小微企业暂免征收增值税。", ISSUE, [("2017-12-31", "window_end")]),
    ("全面落实《…方案》要求，2019年9月底前，基本完成全市整治任务。", None, [("2019-09-30", "due")]),
    ("结合实际抓紧制定实施方案，并于4月20日前报市政府督查室。", date(2011, 4, 6), [("2011-04-20", "due")]),
    ("第一季度：印发工作方案。第二季度：完成工作任务的50%以上。", date(2023, 1, 10),
     [("2023-03-31", "due"), ("2023-06-30", "due")]),
    ("實施階段性降低用人單位基本醫療保險繳費費率政策，實施期限至2021年12月31日。", None, [("2021-12-31", "window_end")]),
    ("原政策實施至2021年4月30日，2021年5月1日起按照省級統籌有關規定執行；2021年5月1日至2022年4月30日實施階段性下調工傷保險費率50%的政策。",
     None, [("2021-04-30", "window_end"), ("2022-04-30", "window_end")]),
    ("上半年完成调研，下半年全面推开。", ISSUE, [("2016-06-30", "due"), ("2016-12-31", "due")]),
    ("2020年前基本完成。", ISSUE, [("2020-12-31", "due")]),
    ("各县2024年全面完成改造任务，市本级今年年底前完成，本年度内启动。", ISSUE,
     [("2024-12-31", "due"), ("2016-12-31", "due"), ("2016-12-31", "due")]),
    ("本办法自2023年1月1日起施行，有效期至2027年12月31日。", ISSUE, [("2027-12-31", "validity")]),
]


@pytest.mark.parametrize("text,issue,expected", CASES, ids=[c[0][:12] for c in CASES])
def test_dated(text, issue, expected):
    _, got = _deadlines(text, issue)
    assert [(d.date, d.kind) for d in got] == [(_d(a), k) for a, k in expected]


def test_year_in_context_when_no_issue_date():
    # 年内 with no issue date: the year of the heading above (国发〔2020〕6号's 2020 goals), marked uncertain
    norm = normalize("一、落实2020年发展主要目标\n1.坚决打好三大攻坚战。(国务院各部门分别负责，年内持续推进)", "t")
    start = norm.text.index("1.")
    got = extract_deadlines(norm, start, len(norm.text), issue_date=None)
    assert [(d.text, d.date, d.uncertain) for d in got] == [("年内", date(2020, 12, 31), True)]


def test_relative_limits():
    _, got = _deadlines("负责办理的相关行政部门应在30个工作日内将办理情况函告外来企业投诉中心。")
    assert [(d.date, d.relative_value, d.relative_unit, d.anchor) for d in got] == [(None, 30.0, "working_day", None)]
    _, got = _deadlines("投诉方对提出的解决方案自收到之日起20个工作日内不予答复的，应终止协调。")
    assert len(got) == 1 and got[0].text == "自收到之日起20个工作日内"
    assert (got[0].relative_value, got[0].relative_unit, got[0].anchor) == (20.0, "working_day", "receipt")
    _, got = _deadlines("取消原有近3年内获得知识产权的限制。")
    assert got == []


def test_validity_and_recurring():
    _, got = _deadlines("本规定自印发之日起实施，有效期5年。", issue=date(2016, 6, 25))
    assert [(d.kind, d.date, d.relative_value) for d in got] == [("validity", date(2021, 6, 25), 5.0)]
    _, got = _deadlines("学校每学年进行一次美育工作自评。学校每年应举办一次艺术节。每年3月底前报送上年度情况。")
    assert [(d.kind, d.recurring, d.date) for d in got] == [
        ("recurring", "school_year", None), ("recurring", "yearly", None), ("recurring", "yearly", None)]


NOT_DEADLINES = [
    "四川省人民政府办公厅\n2016年6月22日",  # the signature date
    "原1996年6月21日印发的《四川省外商投诉处理规定》同时废止。",  # a cited document's date
    "自2016年5月1日起，个人将购买不足2年的住房对外销售的，按5%的征收率全额缴纳增值税。",  # a start alone
    "繼續按不高于2017年征收標準征收殘疾人就業保障金。",  # a reference year
    "万元地区生产总值能耗较2010年降低3.8%。",  # a base year
    "按照《乡村教师支持计划实施办法（2015—2020年）》要求。",  # inside a title
    "科学编制市、县“十三五”脱贫规划。",  # 十三五 as an adjective
    "2011年是实施“十二五”规划的起步之年。",
    "全市新型干法旋窑水泥企业每条生产线每年季节性错峰生产时间不少于125天。",  # 每年 governs no action
    "截至2020年底，全市共建成基站3000个。",  # a status date
]


@pytest.mark.parametrize("text", NOT_DEADLINES, ids=[t[:10] for t in NOT_DEADLINES])
def test_not_deadlines(text):
    _, got = _deadlines(text)
    assert [(d.text, d.date) for d in got] == []


def test_spans_quote_the_original():
    text = "市级有关部门２０１６年６月底前制定具体操作办法；\n各县（市）  2016年6月底前制定具体实施办法。"
    norm, got = _deadlines(text)
    assert [d.date for d in got] == [date(2016, 6, 30), date(2016, 6, 30)]
    for d in got:
        assert norm.original[d.span.start:d.span.end] == d.span.quote


def test_spans_on_the_seed():
    from tests.conftest import SEED

    src = read_source(SEED)
    norm = normalize(src.text, src.id)
    got = extract_deadlines(norm, 0, len(norm.text), issue_date=ISSUE)
    assert len(got) > 20
    for d in got:
        assert norm.original[d.span.start:d.span.end] == d.span.quote
        assert d.kind in ("due", "window_start", "window_end", "validity", "recurring")


@pytest.mark.parametrize("start,end", [(0, 0), (5, 3), (-10, 2), (10_000, 20_000)])
def test_empty_and_out_of_range(start, end):
    norm = normalize("2016年6月底前制定具体实施办法。", "t")
    got = extract_deadlines(norm, start, end, issue_date=None)
    assert all(norm.original[d.span.start:d.span.end] == d.span.quote for d in got)
    if end <= max(start, 0):
        assert got == []
