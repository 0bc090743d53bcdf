"""Responsibility markers: one real case per format (seed, dev corpus), lead vs responsible."""
from __future__ import annotations

import pytest

from loaders.extract.roles import find_markers, resolve_roles
from loaders.text.normalize import normalize

CASES = [
    # (text, lead, responsible)
    ("切实淘汰部分落后产能。（牵头单位：市经信委；责任单位：江油市政府、三台县政府，市发展改革委、市质监局）",
     ["市经信委"], ["江油市政府", "三台县政府", "市发展改革委", "市质监局"]),
    ("对煤炭、电力等传统优势产业，加大帮扶力度。\n牵头单位:市工业和信息化局\n责任单位:市发改委、市政府金融办、市商务局",
     ["市工业和信息化局"], ["市发改委", "市政府金融办", "市商务局"]),
    ("常住人口控制在1150万人左右。(市人口计生委、市公安局牵头)", ["市人口计生委", "市公安局"], []),
    ("加强稀土资源保护。(市经信委、市国土资源局牵头落实)", ["市经信委", "市国土资源局"], []),
    ("制定实施准入清单。〔市生态环境局牵头,市发展和改革局、工业和信息化局、自然资源局参与,各县、区人民政府(管委会)负责落实。〕",
     ["市生态环境局"], ["市发展和改革局", "工业和信息化局", "自然资源局", "各县、区人民政府(管委会)"]),
    ("繼續按不高于2017年征收標準征收殘疾人就業保障金。(市殘聯、市財政局、市稅務局負責)",
     [], ["市殘聯", "市財政局", "市稅務局"]),
    ("全面建成小康社会。(国务院各部门分别负责,年内持续推进)", ["国务院各部门"], []),
    ("治理畜牧业产品污染\n由乡三农服务中心承办,乡畜牧站、卫生院、派出所、工商所配合。",
     ["乡三农服务中心"], ["乡畜牧站", "卫生院", "派出所", "工商所"]),
    ("地区生产总值增长11.5%。\n(市发改委、财政局,无锡国税局、地税局)", [], ["市发改委", "财政局", "无锡国税局", "地税局"]),
    ("提高市場開放程度。(牽頭單位:省發展改革委;責任單位:省編辦、省國土資源廳)", ["省發展改革委"], ["省編辦", "省國土資源廳"]),
    ("加快建设。（责任单位：市发展改革委（牵头）、市财政局；完成时限：2016年底前）", ["市发展改革委"], ["市财政局"]),
    ("推进垃圾分类。责任单位：市城管局、市住房城乡建设局。", [], ["市城管局", "市住房城乡建设局"]),
    ("完善税收政策。(财政部会同税务总局、发展改革委负责)", ["财政部"], ["税务总局", "发展改革委"]),
    ("加强监管。(分别由市场监管总局、药监局负责)", [], ["市场监管总局", "药监局"]),
    ("推进改革。（主责单位：市发展改革委；协同单位：市财政局）", ["市发展改革委"], ["市财政局"]),
    ("重点工作: | 135.统筹违法建设治理。 |\n牵头单位: | 市城市管理综合执法局 |", ["市城市管理综合执法局"], []),
]


@pytest.mark.parametrize("text,lead,responsible", CASES)
def test_marker_formats(text, lead, responsible):
    norm = normalize(text, "t")
    groups = find_markers(norm.text, norm.match, 0, len(norm.text))
    assert groups, "no marker found"
    got_lead, got_resp = resolve_roles(groups, first_is_lead=False)
    assert [u.name for u in got_lead] == lead
    assert [u.name for u in got_resp] == responsible
    for u in got_lead + got_resp:  # names are sliced from the written text
        assert norm.text[u.start:u.end] == u.name


def test_first_listed_unit_leads_when_the_text_says_so():
    text = "全市GDP增长10%以上(由市发展改革委、经委、统计局负责。一项任务涉及多个部门的,原则上由排名首位的部门牵头负责。下同)。"
    norm = normalize(text, "t")
    groups = find_markers(norm.text, norm.match, 0, len(norm.text))
    assert groups[0].declares_first_lead
    lead, resp = resolve_roles(groups, first_is_lead=True)
    assert [u.name for u in lead] == ["市发展改革委"]
    assert [u.name for u in resp] == ["经委", "统计局"]


@pytest.mark.parametrize("text", [
    "（以下简称省外来企业投诉中心）负责指导",  # an alias note, not a marker
    "细颗粒物(PM2.5)年均浓度控制在29微克每立方米以下",
    "潮州市打赢蓝天保卫战实施方案(2019-2020年)",
])
def test_brackets_that_are_not_markers(text):
    norm = normalize(text, "t")
    assert find_markers(norm.text, norm.match, 0, len(norm.text)) == []


def test_first_listed_convention_in_other_words():
    from loaders.extract.roles import declares_first_lead

    assert declares_first_lead("（排在第一位的部门为牵头部门，下同）")
    assert declares_first_lead("列第一位的为牵头单位")
    assert not declares_first_lead("市发展改革委牵头，市财政局配合")
