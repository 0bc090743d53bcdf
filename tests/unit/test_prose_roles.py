"""Responsibility written in the sentence (no bracket, no label): cases written for these tests in the
shapes plans use, each as a numbered provision of a small plan."""
from __future__ import annotations

import pytest

from loaders.pipeline import extract_text

CASES = [
    # (provision text, [(title, lead, responsible) per task])
    ("一、扩大基层就业。发展改革、财政、人力资源社会保障等部门牵头每年开发一批基层公共管理岗位。",
     [("扩大基层就业", ["发展改革", "财政", "人力资源社会保障"], [])]),
    ("（二）完善收费政策。由市发展改革委牵头，会同市财政局、市自然资源局制定停车收费实施细则。",
     [("完善收费政策", ["市发展改革委"], ["市财政局", "市自然资源局"])]),
    ("3.加强食品安全监管。县市场监管局负责，县公安局、县农业农村局配合。",
     [("加强食品安全监管", ["县市场监管局"], ["县公安局", "县农业农村局"])]),
    ("（四）推进老旧小区改造。县住建局要会同县财政局抓紧制定年度改造计划。",
     [("推进老旧小区改造", ["县住建局"], ["县财政局"])]),
    ("5.落实资助政策。分别由区教育局、区卫生健康局负责。",
     [("落实资助政策", [], ["区教育局", "区卫生健康局"])]),
    # two duties for different units in one part: one task per sentence, the heading keeps its own
    ("二、做好困难群体帮扶。切实保障困难群众基本生活。民政部门牵头每年排查一次低保对象；"
     "人社、残联等部门牵头开展就业援助。",
     [("做好困难群体帮扶", [], []), ("民政部门牵头每年排查一次低保对象", ["民政部门"], []),
      ("人社、残联等部门牵头开展就业援助", ["人社", "残联"], [])]),
]


@pytest.mark.parametrize("provision,expected", CASES)
def test_prose_responsibility(provision, expected):
    ex = extract_text("某某市关于做好民生保障工作的实施方案\n" + provision + "\n")
    got = [(t.title, [u.name for u in t.lead], [u.name for u in t.responsible]) for t in ex.tasks]
    assert got == expected


@pytest.mark.parametrize("sentence", [
    "一、加强组织领导。各地区各部门要负责抓好落实。",          # generic subjects assign nothing
    "一、加强协调配合。积极参与区域合作，主动配合上级部门工作。",  # 参与/配合 without a lead
    "一、强化责任。主要负责同志要亲自抓。",                     # 负责同志 is a person
])
def test_prose_that_assigns_nothing(sentence):
    ex = extract_text("某某市关于做好民生保障工作的实施方案\n" + sentence + "\n")
    assert all(not t.lead and not t.responsible for t in ex.tasks)


MORE = [
    ("（三）加强耕地保护。由县自然资源局牵头，县农业农村局、各镇人民政府配合，2024年6月底前完成。",
     ["县自然资源局"], ["县农业农村局", "各镇人民政府"]),
    ("2.开展安全生产大检查。市应急管理局负责，市住房城乡建设局、市交通运输局等部门按职责分工负责。",
     ["市应急管理局"], ["市住房城乡建设局", "市交通运输局"]),
    ("7.推进医保改革。由市医保局会同市财政局、市卫生健康委负责。", ["市医保局"], ["市财政局", "市卫生健康委"]),
    ("1.推进数字政府建设。（牵头单位：市大数据局（责任人：张明）；配合单位：市财政局）", ["市大数据局"], ["市财政局"]),
    ("4.推进垃圾分类。（责任单位：市城管局，各区政府；时间：2024年底前）", [], ["市城管局", "各区政府"]),
]


@pytest.mark.parametrize("provision,lead,responsible", MORE)
def test_more_prose_and_label_forms(provision, lead, responsible):
    (task,) = extract_text("某市2024年重点工作方案\n" + provision + "\n").tasks
    assert ([u.name for u in task.lead], [u.name for u in task.responsible]) == (lead, responsible)
