"""Duty-bearers of regulation paragraphs (loaders/extract/duty_bearers.py) and article provisions
(loaders/extract/articles.py): real sentences of State Council regulations and the seed's 规定."""
from __future__ import annotations

import pytest

from loaders.extract.articles import article_provisions, paragraphs
from loaders.extract.duty_bearers import bodies_in, is_government
from loaders.extract.provisions import build_tree

L, R = "lead", "responsible"

CASES = [
    ("国务院城市建设行政主管部门主管全国城市供水工作。", [("国务院城市建设行政主管部门", L)]),
    # levels sharing one head stay whole
    ("省、自治区人民政府城市建设行政主管部门主管本行政区域内的城市供水工作。",
     [("省、自治区人民政府城市建设行政主管部门", L)]),
    ("各省、自治区、直辖市公安机关可以根据本地实际,制定实施办法。", [("各省、自治区、直辖市公安机关", L)]),
    # … also behind a qualifier (有关, 沿海, X的, a longer one on the first level when more levels follow)
    ("跨省、自治区、直辖市的收费公路设置车辆通行费的收费站,由有关省、自治区、直辖市人民政府协商确定。",
     [("有关省、自治区、直辖市人民政府", L)]),
    ("国务院海洋行政主管部门会同国务院有关部门和沿海省、自治区、直辖市人民政府,编制全国海洋功能区划。",
     [("国务院海洋行政主管部门", L), ("国务院有关部门", R), ("沿海省、自治区、直辖市人民政府", R)]),
    ("国务院生态环境主管部门会同国务院有关部门、国家大气污染防治重点区域内有关省、自治区、直辖市人民政府,制定行动计划。",
     [("国务院生态环境主管部门", L), ("国务院有关部门", R), ("国家大气污染防治重点区域内有关省、自治区、直辖市人民政府", R)]),
    ("乡、民族乡、镇人民政府管理本行政区域内的农村五保供养工作。", [("乡、民族乡、镇人民政府", L)]),
    ("县、自治县、不设区的市、市辖区人民政府兵役机关应当适时发布兵役登记公告。",
     [("县、自治县、不设区的市、市辖区人民政府兵役机关", L)]),
    # X和Y的Z机构: one name; 并与X…信息共享: a partner; X对…的，准予…: X's own act
    ("国务院林业主管部门和省、自治区、直辖市人民政府林业主管部门的森林病虫害防治机构,应当综合分析各地测报数据。",
     [("国务院林业主管部门和省、自治区、直辖市人民政府林业主管部门的森林病虫害防治机构", L)]),
    ("国务院生态环境主管部门建立管理平台,并与国务院有关部门实现信息共享。",
     [("国务院生态环境主管部门", L), ("国务院有关部门", R)]),
    ("收到申请的卫生主管部门对具备本条例规定条件的,准予延续。", [("卫生主管部门", L)]),
    ("省、市(地)、县级公安机关交通管理部门应当公开办事制度。", [("省、市(地)、县级公安机关交通管理部门", L)]),
    ("乡(镇)人民政府、街道办事处和村(居)民委员会应当广泛动员和组织社会力量积极参与土地调查工作。",
     [("乡(镇)人民政府", L), ("街道办事处", L)]),
    # 组织 X、Y … 共同: partners; 会同: partners; 经…批准 and 由…: competences
    ("县级以上城市人民政府应当组织城市规划行政主管部门、水行政主管部门和地质矿产行政主管部门等共同编制城市供水水源开发利用规划。",
     [("县级以上城市人民政府", L), ("城市规划行政主管部门", R), ("水行政主管部门", R), ("地质矿产行政主管部门", R)]),
    ("县级以上地方人民政府环境保护部门应当会同城市供水行政主管部门、水行政主管部门和卫生行政主管部门等共同划定饮用水水源保护区,"
     "经本级人民政府批准后公布;划定跨省、市、县的饮用水水源保护区,应当由有关人民政府共同商定。",
     [("县级以上地方人民政府环境保护部门", L), ("城市供水行政主管部门", R), ("水行政主管部门", R),
      ("卫生行政主管部门", R), ("本级人民政府", L), ("有关人民政府", L)]),
    ("碳排放权交易覆盖的温室气体种类和行业范围,由国务院生态环境主管部门会同国务院发展改革等有关部门研究提出,报国务院批准后实施。",
     [("国务院生态环境主管部门", L), ("国务院发展改革等有关部门", R), ("国务院", L)]),
    # sector lists split into stems, the shared level prefix and head dropped
    ("国务院发展改革、财政、水利、市场监督管理等有关部门在各自职责范围内,负责保障中小企业款项支付相关工作。",
     [("发展改革", L), ("财政", L), ("水利", L), ("市场监督管理", L)]),
    ("商业、供销、物资、石油化工等部门应当优先供应,铁路、交通、民航部门应当优先承运。",
     [("商业", L), ("供销", L), ("物资", L), ("石油化工", L), ("铁路", L), ("交通", L), ("民航", L)]),
    # a relative clause on a bare head is part of the name; 及其 / 或者其 split, 其 dropped
    ("县级以上地方人民政府负责中小企业促进工作综合管理的部门应当建立渠道。",
     [("县级以上地方人民政府负责中小企业促进工作综合管理的部门", L)]),
    ("长城所在地县级以上地方人民政府及其文物主管部门依照文物保护法的规定,负责本行政区域内的长城保护工作。",
     [("县级以上地方人民政府", L), ("文物主管部门", L)]),
    ("县、市、自治州人民政府林业主管部门或者其所属的森林病虫害防治机构,应当综合分析基层单位测报数据。",
     [("县、市、自治州人民政府林业主管部门", L), ("森林病虫害防治机构", L)]),
    ("收到申请的卫生主管部门应当自收到申请之日起20个工作日内做出决定。", [("卫生主管部门", L)]),
    # cooperation verbs make a subject a partner
    ("县级以上人民政府有关部门应当积极参与和密切配合土地调查工作。", [("县级以上人民政府有关部门", R)]),
    ("四川省人民政府外来企业投诉中心(以下简称省外来企业投诉中心)负责指导全省外来企业投诉处理工作,"
     "发展改革、经济和信息化、人力资源和社会保障等部门按照各自职责,协同做好外来企业投诉处理工作。",
     [("四川省人民政府外来企业投诉中心", L), ("发展改革", R), ("经济和信息化", R), ("人力资源和社会保障", R)]),
    ("全国突发事件应急处理指挥部对突发事件应急处理工作进行督察和指导,地方各级人民政府及其有关部门应当予以配合。",
     [("地方各级人民政府", R), ("有关部门", R)]),
    # enterprises, recipients, references and conditions are no duty-bearers
    ("城市自来水供水企业和自建设施对外供水的企业应当保持不间断供水,并报告城市供水行政主管部门。", []),
    ("建设单位应当按照国务院环境保护行政主管部门的规定开展环境影响后评价。", []),
    ("有关环境保护行政主管部门对环境影响评价结论有争议的,其环境影响报告书由共同上一级环境保护行政主管部门审批。",
     [("共同上一级环境保护行政主管部门", L)]),
    ("机关、事业单位和大型企业应当自货物、工程、服务交付之日起30日内支付款项。", []),
    # a verb between a subject and the body it governs ends the name: the body is its object, not the
    # subject's name (国务院设立全国绿化委员会 is not one body); 除 X 外 is an exception, 告知/移交 X a recipient
    # … unless the body set up is given a duty of its own (成立X，组织和领导…; 设立X负责…)
    ("国务院设立全国绿化委员会,统一组织领导全国城乡绿化工作。", [("国务院", L), ("全国绿化委员会", L)]),
    ("国务院设立办公厅。", [("国务院", L)]),
    ("县级以上人民政府可以成立土地调查领导小组,组织和领导土地调查工作。必要时,可以设立土地调查领导小组办公室负责土地调查日常工作。",
     [("县级以上人民政府", L), ("土地调查领导小组", L), ("土地调查领导小组办公室", L)]),
    ("当地人民政府应当组织有关部门建立森林病虫害防治临时指挥机构,负责制定紧急除治措施。",
     [("当地人民政府", L), ("有关部门", R), ("森林病虫害防治临时指挥机构", L)]),
    ("除有关部门依照法律对快件进行检查外,任何单位或者个人不得非法检查他人快件。", []),
    ("经营快递业务的企业停止经营的,应当提前10日向社会公告,书面告知邮政管理部门,交回快递业务经营许可证。", []),
    ("医疗卫生机构应当设置监控部门或者专(兼)职人员,负责检查本单位医疗废物的管理工作。", []),
    ("市场监督管理部门应当书面通知公安机关。", [("市场监督管理部门", L)]),
    ("农业农村主管部门应当移交有权处理的部门。", [("农业农村主管部门", L)]),
    # … like 经/向 X: 经过 X 批准 and 征得 X 同意 give X the competence, 到 X 申请 … 登记 too
    ("在尚未建成前须征得国务院文物行政部门同意。", [("国务院文物行政部门", L)]),
    ("当事人应当到所在地县级以上人民政府卫生行政部门申请办理变更登记手续。", [("县级以上人民政府卫生行政部门", L)]),
    # X商Y (X consults Y): Y a partner; 商务/工商 are no such word
    ("具体办法由国务院财政部门商国务院有关部门制定。", [("国务院财政部门", L), ("国务院有关部门", R)]),
    ("县级以上地方人民政府商务主管部门负责本行政区域内的管理工作。", [("县级以上地方人民政府商务主管部门", L)]),
    # 凭 X 签发的凭证: a document X issued, X no duty-bearer here
    ("各级国库必须凭本级政府财政部门签发的拨款凭证于当日办理资金拨付。", []),
    # a verb that opens the relative clause, or is its object, stays in the name
    ("收到复查请求的机关应当自收到之日起三十日内提出复查意见。", [("收到复查请求的机关", L)]),
    ("提交材料的部门应当对材料的真实性负责。", [("提交材料的部门", L)]),
]


@pytest.mark.parametrize("sentence,expected", CASES)
def test_bodies_in(sentence, expected):
    got = [(b.name, b.role) for b in bodies_in(sentence, sentence, 0, len(sentence))]
    assert got == expected


@pytest.mark.parametrize("name,gov", [
    ("国务院", True), ("中国人民银行", True), ("审计机关", True), ("森林病虫害防治机构", True),
    ("机关", False), ("全国碳排放权交易机构", False), ("技术服务机构", False), ("村(居)民委员会", False),
    ("中国人民保险公司", False), ("建设单位", False),
])
def test_is_government(name, gov):
    assert is_government(name) is gov


ARTICLE = ("第七条国务院城市建设行政主管部门主管全国城市供水工作。\n"
           "省、自治区人民政府城市建设行政主管部门主管本行政区域内的城市供水工作。\n"
           "第八条对在城市供水工作中作出显著成绩的单位和个人,给予奖励。\n"
           "第九条城市供水企业应当建立水质检测制度:\n(一)定期检测;\n(二)报告城市供水行政主管部门。\n"
           "第十条违反本条例规定的,由城市供水行政主管部门责令改正,可以处以罚款。\n")


def test_article_provisions_split_paragraphs_with_different_bodies_and_skip_the_rest():
    nodes = [n for n in build_tree(ARTICLE, 0, len(ARTICLE)) if n.level == "article"]
    got = {n.label: [(p.paragraph, [b.name for b in p.bodies], ARTICLE[p.title_start:p.title_end])
                     for p in article_provisions(ARTICLE, ARTICLE, n)] for n in nodes}
    assert got["第七条"] == [(1, ["国务院城市建设行政主管部门"], "国务院城市建设行政主管部门主管全国城市供水工作"),
                           (2, ["省、自治区人民政府城市建设行政主管部门"],
                            "省、自治区人民政府城市建设行政主管部门主管本行政区域内的城市供水工作")]
    assert got["第八条"] == [] and got["第九条"] == [] and got["第十条"] == []  # no body, enterprise, penalty


def test_paragraphs_keep_numbered_items_with_their_paragraph():
    s = "甲应当:\n(一)乙;\n(二)丙。\n丁。"
    assert [s[a:b] for a, b in paragraphs(s, 0, len(s))] == ["甲应当:\n(一)乙;\n(二)丙。", "丁。"]
