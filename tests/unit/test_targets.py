"""Quantitative targets: value, unit, comparator, year, exclusions (real sentences from the seed and dev texts)."""
from __future__ import annotations

import pytest

from loaders.extract.targets import extract_targets
from loaders.text import normalize, read_source


def _targets(text: str, default_year=None, source_id="t"):
    norm = normalize(text, source_id)
    return norm, extract_targets(norm, 0, len(norm.text), doc_id="d1", task_id="t1",
                                 default_year=default_year, id_prefix="d1-t1-g")


# (sentence, [(value, unit, comparator, year)], metric fragment of the first target or None)
CASES = [
    ("到2025年，全市地区生产总值突破5000亿元。", [(5000.0, "亿元", ">", 2025)], "地区生产总值"),  # 突破: exceed
    ("到2017年，我市住房公积金使用率保持在80%以上，商品房供求失衡逐步缓解。",
     [(80, "%", ">=", 2017)], "住房公积金使用率"),
    ("确保艺术课程课时总量不低于总课时的9%，鼓励有条件的学校按总课时的11%开设艺术课程。",
     [(9, "%", ">=", None), (11, "%", "=", None)], "艺术课程课时总量"),
    ("保证美育类必修课程的6个学分。美育课程不得低于72个学时。",
     [(6, "学分", "=", None), (72, "学时", ">=", None)], None),
    ("努力实现学生在校期间能够参加至少一项艺术活动、培养一两项艺术爱好。学校每年应举办一次学生广泛参与的艺术节。",
     [(1, "项", ">=", None), (1, "次", "=", None)], None),
    ("按在校学生总数的0.15%—0.2%配备公共艺术课程教师，其中专职教师人数不低于50%。",
     [(0.15, "%", ">=", None), (0.2, "%", "<=", None), (50, "%", ">=", None)], None),
    ("2016年，全市计划淘汰5户企业部分落后产能，其中，淘汰西南钢铁有限责任公司生铁8.4万吨，三台水晶电子有限公司产能5726万片。",
     [(5, "户", "=", 2016), (8.4, "万吨", "=", 2016), (5726, "万片", "=", 2016)], None),
    ("“十三五”期间，每条生产线每年季节性错峰生产时间（停窑天数）不少于125天（全年总生产时间按365天计）。",
     [(125, "天", ">=", 2020)], None),
    ("2017年直接融资超过165亿元，在全市融资中的占比超过30%。",
     [(165, "亿元", ">", 2017), (30, "%", ">", 2017)], "直接融资"),
    ("到2017年，我市降低电力、非居民天然气价格要素成本约6.97亿元，企业融资的担保、评估、登记等费用控制在融资成本的3%以内。",
     [(6.97, "亿元", "approx", 2017), (3, "%", "<=", 2017)], None),
    ("到2020年，南郊机场实现旅客吞吐量260-300万人次；完成绵阳城区城建项目建设投资950亿元左右。",
     [(260, "万人次", ">=", 2020), (300, "万人次", "<=", 2020), (950, "亿元", "approx", 2020)], None),
    ("到2017年，确保7.42万贫困人口脱贫，285个贫困村“摘帽”。",
     [(7.42, "万人", "=", 2017), (285, "个", "=", 2017)], "贫困人口"),
    ("给予每平方米200元的财政补贴，每套住房最高补贴额度不超过2万元。即按自发自用电量每千瓦时0.015元收取。",
     [(200, "元/平方米", "=", None), (2, "万元", "<=", None), (0.015, "元/千瓦时", "=", None)], None),
    ("商品住房可售周期超过12个月的应减少新增住宅用地供应规模，超过24个月的暂停商品住宅用地供应。",
     [(12, "个月", ">", None), (24, "个月", ">", None)], None),
    ("研发费用比例要求由6%降至5%。", [(5, "%", "=", None)], None),
    ("对贷款本金和前三年利息实现全覆盖。经营困难企业可暂缓缴纳养老保险费一年。",
     [(3, "年", "=", None), (1, "年", "=", None)], None),
    ("获批创建全国知名品牌示范园区、国家有机产品认证示范区、省级生态旅游示范区各1个。",
     [(1, "个", "=", None)] * 3, "全国知名品牌示范园区"),
    ("城镇居民人均可支配收入和农民人均纯收入均增长12%。", [(12, "%", "=", 2011)] * 2, "城镇居民人均可支配收入"),
    ("形成一批特色鲜明、辐射面广、产值上100亿元的区域品牌。树立一批规模超10亿元的品牌企业。",
     [(100, "亿元", ">=", None), (10, "亿元", ">", None)], None),
    ("城镇新增就业900万人以上，城镇调查失业率6%左右。", [(900, "万人", ">=", None), (6, "%", "approx", None)], None),
    ("细颗粒物(PM2.5)年均浓度控制在29微克每立方米以下。", [(29, "微克每立方米", "<=", None)], "细颗粒物"),
    ("县级及以上城市建成区原则上不再新建每小时35蒸吨以下燃煤锅炉。", [(35, "蒸吨/小时", "<=", None)], None),
    ("全乡生猪定点屠宰率达100%，实行定点屠宰的生猪定点屠宰率达到95%以上。",
     [(100, "%", ">=", None), (95, "%", ">=", None)], None),
    # shapes common in other plans
    ("新建保障性租赁住房5000套，粮食产量达到120亿斤，PM2.5平均浓度降至30微克/立方米。",
     [(5000, "套", "=", None), (120, "亿斤", ">=", None), (30, "微克/立方米", "=", None)], "保障性租赁住房"),
    ("市政府一次性奖励二十万元以上，吨钢补贴50元/吨，每人每年补助1,200元。",
     [(20, "万元", ">=", None), (50, "元/吨", "=", None), (1200, "元/人", "=", None)], None),
    ("到“十四五”末，全省常住人口城镇化率达到65%，单位地区生产总值能耗比2020年下降13.5%。",
     [(65, "%", ">=", 2025), (13.5, "%", "=", 2025)], "常住人口城镇化率"),
]


@pytest.mark.parametrize("text,expected,metric", CASES, ids=[c[0][:12] for c in CASES])
def test_targets(text, expected, metric):
    default = 2011 if "均增长" in text else None
    _, got = _targets(text, default_year=default)
    assert [(g.value, g.unit, g.comparator, g.year) for g in got] == [(float(v), u, c, y) for v, u, c, y in expected]
    if metric:
        assert metric in got[0].metric


NOT_TARGETS = [
    "国办发〔2016〕47号",  # document number
    "2016年6月21日",  # date
    "关于印发绵阳市推进供给侧结构性改革5个专项工作方案的通知",  # a count of documents
    "执行好其中有关支持企业发展的27条政策措施。",  # a count of measures
    "第二十六条本规定自印发之日起实施，有效期5年。",  # article number, validity
    "负责办理的相关行政部门应在30个工作日内将办理情况函告。",  # a deadline
    "将《四川省普通中小学体育艺术教育五年行动计划（2014—2018年）》纳入考核。",  # inside a title
    "打好脱贫攻坚“3+10”政策组合拳，大力实施“五个一批”脱贫攻坚行动计划。",  # slogans
    "面积为90平方米及以下的，减按1%的税率征收契税",  # the 90 only qualifies the rate
    "对总投资1亿元、5亿元以上的高新技术产业单体项目",  # thresholds of a list
    "加强三次产业统筹发展，给予一次性奖励，实现教育现代化的一项重要任务。",  # words, not counts
    "联系电话：0816-2253456",  # a phone number
    "二○○七年二月八日",  # a Chinese date
    "截至2020年底，全市共建成基站3000个，已完成80%。",  # achievements, not targets
    "对拥有1套住房且相应购房贷款未结清的居民家庭",  # who qualifies
    "空气质量六项基本指标年评价浓度均达到国家二级标准。",  # a count of indicators
    "约定利率不得低于合同订立时1年期贷款市场报价利率。",  # a loan's tenor names the rate
]


@pytest.mark.parametrize("text", NOT_TARGETS, ids=[t[:10] for t in NOT_TARGETS])
def test_not_targets(text):
    _, got = _targets(text)
    values = [(g.value, g.unit) for g in got]
    if "减按1%" in text:
        assert values == [(1.0, "%")]
    else:
        assert values == []


def test_traditional_text():
    _, got = _targets("對參保職工30人(含)以下的企業，裁員率放寬到不超過企業職工總數20%。")
    assert [(g.value, g.unit, g.comparator) for g in got] == [(20.0, "%", "<=")]


def test_text_kind_and_ids():
    _, got = _targets("从市工业发展专项资金中分别给予10万元、50万元补助支持。")
    assert [g.value for g in got] == [10.0, 50.0]
    assert all(g.kind == "policy_parameter" and g.text == "从市工业发展专项资金中分别给予10万元、50万元补助支持" for g in got)
    assert [g.id for g in got] == ["d1-t1-g1", "d1-t1-g2"]
    assert all(g.doc_id == "d1" and g.task_id == "t1" for g in got)


def test_spans_quote_the_original():
    # full-width digits and a line break inside the clause: the span still quotes the original
    text = "到２０２０年，铁路网规模达到\n３００公里以上；南郊机场实现旅客吞吐量260-300万人次。"
    norm, got = _targets(text)
    assert [g.value for g in got] == [300.0, 260.0, 300.0]
    for g in got:
        assert norm.original[g.span.start:g.span.end] == g.span.quote


def test_spans_on_the_seed():
    from tests.conftest import SEED

    src = read_source(SEED)
    norm = normalize(src.text, src.id)
    got = extract_targets(norm, 0, len(norm.text), doc_id="d", task_id=None, default_year=None, id_prefix="g")
    assert len(got) > 110
    for g in got:
        assert norm.original[g.span.start:g.span.end] == g.span.quote
        assert g.comparator in (">=", ">", "<=", "<", "=", "approx")


@pytest.mark.parametrize("start,end", [(0, 0), (5, 3), (-10, 2), (10_000, 20_000)])
def test_empty_and_out_of_range(start, end):
    norm = normalize("确保货币化安置比例在50%以上。", "t")
    got = extract_targets(norm, start, end, doc_id="d", task_id=None, default_year=None, id_prefix="g")
    assert got == [] or all(norm.original[g.span.start:g.span.end] == g.span.quote for g in got)


def test_unbalanced_brackets_do_not_hide_the_rest():
    _, got = _targets("《未闭合的标题 以及（未闭合的括号 “ 其中专职教师人数不低于50%。")
    assert [(g.value, g.unit) for g in got] == [(50.0, "%")]


@pytest.mark.parametrize("text,expected", [
    ("到2025年，全县森林覆盖率提高百分之十以上。", [(10.0, "%", ">=")]),
    ("对搬迁农户每户给予一万元补助。", [(1.0, "万元/户", "=")]),
    ("逾期未付的，按每日万分之五支付滞纳金。", [(0.05, "%", "=")]),
    ("全年新增城镇就业五千人以上。", [(5000.0, "人", ">=")]),
    ("争取用3-5年时间，基本完成老旧小区改造。", []),  # a time allowed, not a target
])
def test_chinese_numerals_and_durations(text, expected):
    _, got = _targets(text)
    assert [(g.value, g.unit, g.comparator) for g in got] == expected


@pytest.mark.parametrize("text,expected", [
    ("所需经费由省、市、县三级财政按照4:3:3的比例分担。", [("省", 40.0), ("市", 30.0), ("县", 30.0)]),
    ("项目资本金由市、区两级按1∶1比例配套。", [("市", 50.0), ("区", 50.0)]),
    ("补助资金按5:3:2的比例拨付。", [(None, 50.0), (None, 30.0), (None, 20.0)]),
])
def test_ratio_splits_are_shares(text, expected):
    _, got = _targets(text)
    assert [(g.value, g.unit, g.comparator, g.kind) for g in got] == [(v, "%", "=", "policy_parameter") for _, v in expected]
    for (party, _), g in zip(expected, got):
        if party:
            assert g.metric.startswith(party)
