"""Citations: 《title》（文号）, 文号 alone, 《title》 alone, relations, nesting and bad input (real sentences)."""
from __future__ import annotations

import pytest

from loaders.extract.citations import citation_key, extract_citations
from loaders.text import normalize, read_source


def _cites(text: str, start: int = 0, end: int | None = None):
    norm = normalize(text, "t")
    end = len(norm.text) if end is None else end
    return norm, extract_citations(norm, start, end, doc_id="d1", task_id="t1", id_prefix="d1-c")


# (text, [(cited, cited_title, relation)])
CASES = [
    ("为贯彻落实《国务院关于印发促进大数据发展行动纲要的通知》（国发〔2015〕50号）要求，现提出如下意见。",
     [("国发〔2015〕50号", "国务院关于印发促进大数据发展行动纲要的通知", "implements")]),
    ("现将《四川省外来企业投诉处理规定》印发你们，请认真贯彻执行。",
     [("《四川省外来企业投诉处理规定》", "四川省外来企业投诉处理规定", "refers_to")]),
    ("投诉事项需依照《四川省行政机关限时办结制度》规定办理。",
     [("《四川省行政机关限时办结制度》", "四川省行政机关限时办结制度", "based_on")]),
    ("原1996年6月21日印发的《四川省外商投诉处理规定》同时废止。",
     [("《四川省外商投诉处理规定》", "四川省外商投诉处理规定", "repeals")]),
    ("按照《中共四川省委办公厅四川省人民政府办公厅关于激励引导教育卫生人才服务基层的意见》（川委办〔2014〕7号）和"
     "《四川省人民政府办公厅关于印发乡村教师支持计划实施办法（2015—2020年）的通知》（川办发〔2015〕107号）要求，多渠道解决问题。",
     [("川委办〔2014〕7号", "中共四川省委办公厅四川省人民政府办公厅关于激励引导教育卫生人才服务基层的意见", "based_on"),
      ("川办发〔2015〕107号", "四川省人民政府办公厅关于印发乡村教师支持计划实施办法(2015—2020年)的通知", "based_on")]),
    ("严格执行《产业结构目录》及相关行业准入条件。", [("《产业结构目录》", "产业结构目录", "implements")]),
    ("继续执行《关于对正常装载合法运输车辆通行实行优惠的通知》（川交发〔2014〕1号），对货车实行通行费优惠政策。",
     [("川交发〔2014〕1号", "关于对正常装载合法运输车辆通行实行优惠的通知", "continues")]),
    ("切实执行财政部、国家税务总局、科技部联合发布的新版企业研发费用加计扣除政策（财税〔2015〕119号），以鼓励企业创新投入。",
     [("财税〔2015〕119号", None, "implements")]),
    ("落实西部大开发企业所得税优惠政策，自2011年1月1日至2020年12月31日，对《西部地区鼓励类产业目录》中规定的产业项目。",
     [("《西部地区鼓励类产业目录》", "西部地区鼓励类产业目录", "refers_to")]),
    ("根据市委的决策部署和市十三届人大四次会议审议通过的《政府工作报告》，对重点工作任务提出如下分解意见。",
     [("《政府工作报告》", "政府工作报告", "based_on")]),
    ("为认真贯彻落实《国务院关于实施健康中国行动的意见》（国发2019〕13号）和《省人民政府办公厅关于印发健康贵州行动实施方案的通知》"
     "（黔府办发〔201930号）精神，特制定本方案。",
     [("国发〔2019〕13号", "国务院关于实施健康中国行动的意见", "implements"),
      ("黔府办发〔2019〕30号", "省人民政府办公厅关于印发健康贵州行动实施方案的通知", "implements")]),
    ("為貫徹落實《廣東省人民政府關于印發廣東省進一步穩定和擴大就業若干政策措施的通知》（粵府〔2021〕13號），強化就業優先政策。",
     [("粵府〔2021〕13號", "廣東省人民政府關于印發廣東省進一步穩定和擴大就業若干政策措施的通知", "implements")]),
    ("按照《福建省人民政府办公厅关于印发工作方案的通知》(**政办〔2015〕39号)，制定本方案。",
     [("**政办〔2015〕39号", "福建省人民政府办公厅关于印发工作方案的通知", "based_on")]),
    ("切实执行财政部国家税务总局财税〔2015〕119号文件规定，按照工信部联节〔2016〕217号要求。",
     [("财税〔2015〕119号", None, "implements"), ("工信部联节〔2016〕217号", None, "based_on")]),
    ("根据国发〔2015〕50号文件精神，按照(川府发〔2015〕1号、川办发〔2015〕2号)执行。",
     [("国发〔2015〕50号", None, "based_on"), ("川府发〔2015〕1号", None, "based_on"), ("川办发〔2015〕2号", None, "based_on")]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:12] for c in CASES])
def test_citations(text, expected):
    _, got = _cites(text)
    assert [(c.cited, c.cited_title, c.relation) for c in got] == expected
    assert all(c.from_doc == "d1" and c.task_id == "t1" for c in got)


def test_nested_titles():
    text = ("为落实《广东省人民政府关于印发<广东省打赢蓝天保卫战实施方案(2018-2020年)>的通知》（粤府〔2018〕128号）部署要求，"
            "深入落实十三届全国人大三次会议通过的《国务院关于落实《政府工作报告》重点工作部门分工的意见》部署。")
    _, got = _cites(text)
    assert [(c.cited, c.relation) for c in got] == [
        ("粤府〔2018〕128号", "implements"),
        ("《广东省打赢蓝天保卫战实施方案(2018-2020年)》", "refers_to"),
        ("《国务院关于落实《政府工作报告》重点工作部门分工的意见》", "implements"),
        ("《政府工作报告》", "refers_to"),
    ]


def test_alias_and_strongest_relation():
    text = ("市十四届人大四次会议批准了《天津市国民经济和社会发展第十一个五年规划纲要》（以下简称《纲要》）。"
            "为切实做好《纲要》实施工作，明确落实《纲要》中带有约束性的主要目标。")
    _, got = _cites(text)
    assert [(c.cited, c.relation) for c in got] == [("《天津市国民经济和社会发展第十一个五年规划纲要》", "implements")]


def test_headers_are_not_citations():
    for text in ("国办发〔2016〕47号\n各省、自治区、直辖市人民政府：", "【发文字号】黄政办发〔2007〕9号",
                 "文号|平政办〔2013〕11号|索引号|005452065/2013-00024",
                 "日前，潮州印发《潮州市打赢蓝天保卫战实施方案(2019-2020年)》。全文如下："):
        _, got = _cites(text)
        assert got == [], text


def test_citation_key_and_ids():
    _, got = _cites("按照《绵阳市推进供给侧结构性改革总体方案》的要求，贯彻落实《去产能专项工作方案》（绵府发〔2016〕13号）。")
    assert [citation_key(c) for c in got] == ["《绵阳市推进供给侧结构性改革总体方案》", "绵府发〔2016〕13号"]
    assert [c.id for c in got] == ["d1-c1", "d1-c2"]
    assert got[1].cited_number == "绵府发〔2016〕13号"


@pytest.mark.parametrize("text", [
    "按照《纲要 要求落实，国发〔2015 号没有结束。",
    "《" * 50 + "》",
    "《》《 》〔〕" + "（" * 30,
    "国发〔2015〕" + "5" * 200 + "号",
    "",
])
def test_bad_input(text):
    norm, got = _cites(text) if text else (None, [])
    for c in got:
        assert norm.original[c.span.start:c.span.end] == c.span.quote
        assert len(c.cited) <= 110


def test_unbalanced_title_does_not_swallow_the_next():
    _, got = _cites("按照《纲要 要求，依据《四川省行政机关责任追究制度》规定。")
    assert [(c.cited, c.relation) for c in got] == [("《四川省行政机关责任追究制度》", "based_on")]


@pytest.mark.parametrize("start,end", [(0, 0), (5, 3), (-10, 2), (10_000, 20_000)])
def test_empty_and_out_of_range(start, end):
    norm, got = _cites("严格执行《产业结构目录》及相关行业准入条件。", start, end)
    assert all(norm.original[c.span.start:c.span.end] == c.span.quote for c in got)


def test_spans_on_the_seed():
    from tests.conftest import SEED

    src = read_source(SEED)
    norm = normalize(src.text, src.id)
    got = extract_citations(norm, 0, len(norm.text), doc_id="d", task_id=None, id_prefix="c")
    assert len(got) >= 20
    for c in got:
        assert norm.original[c.span.start:c.span.end] == c.span.quote
        assert c.relation in ("implements", "based_on", "refers_to", "repeals", "continues", "invalidates")
