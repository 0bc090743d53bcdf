"""Plan formats the seed does not use, as whole small documents (written for these tests, in the shapes
county and city plans take): notices that carry their plan, attachment labels, bracketed 文号, titles over
two lines, the first-listed-leads convention declared by the notice."""
from __future__ import annotations

import pytest

from loaders.pipeline import extract_text

NOTICE_WITH_PLAN = """关于印发《某某区农村人居环境整治提升行动方案》的通知
各街道办事处，区直各有关单位：
《某某区农村人居环境整治提升行动方案》已经区政府同意，现印发给你们，请认真贯彻执行。
某某区人民政府办公室
2023年4月12日
某某区农村人居环境整治提升行动方案
为改善农村人居环境，根据《中华人民共和国乡村振兴促进法》和《农村人居环境整治提升五年行动方案（2021－2025年）》，制定本方案。
一、重点任务
（一）推进农村厕所革命。2023年底前完成改厕1200户。（牵头单位：区农业农村局；配合单位：区卫生健康局）
"""


def test_a_notice_carries_the_plan_it_issues():
    ex = extract_text(NOTICE_WITH_PLAN)
    assert [d.title for d in ex.documents] == ["关于印发《某某区农村人居环境整治提升行动方案》的通知",
                                               "某某区农村人居环境整治提升行动方案"]
    notice, plan = ex.documents
    assert plan.parent_id == notice.id
    by_doc = {(c.from_doc, c.cited_title) for c in ex.citations}
    assert (plan.id, "中华人民共和国乡村振兴促进法") in by_doc  # the plan cites it, not the notice
    assert [t.doc_id for t in ex.tasks] == [plan.id]


def test_a_bracketed_number_line_and_a_labelled_attachment():
    text = """某某省人民政府办公厅关于清理部分省政府规章的通知
（某政办发〔2012〕7号）
省人民政府各工作部门：
经省政府同意，现将需清理的规章目录印发给你们，请各有关单位按照职责分工抓紧办理。
附件：需清理的规章目录
二○一二年三月五日
附件：
需清理的规章目录
1.某某省道路运输管理办法
"""
    ex = extract_text(text)
    assert ex.documents[0].doc_number == "某政办发〔2012〕7号"
    assert [d.title for d in ex.documents][1] == "需清理的规章目录"
    assert ex.documents[1].parent_id == ex.documents[0].id


def test_a_title_over_two_lines_under_the_number():
    text = """某政办发〔2015〕3号
关于印发区政府二〇一五年政府工作报告
重点工作分解的通知
各镇人民政府，区政府各部门：
现将重点工作分解印发给你们（责任单位中排序第一的单位为牵头单位），请认真落实。
二〇一五年二月九日
附件
2015年政府工作报告重点工作分解
1.区属生产总值增长8%。（区发改局、区统计局）
2.城镇新增就业5000人。（区人力社保局）
"""
    ex = extract_text(text)
    assert ex.documents[0].title == "关于印发区政府二〇一五年政府工作报告重点工作分解的通知"
    plan = ex.documents[1]
    assert plan.title == "2015年政府工作报告重点工作分解" and plan.parent_id == ex.documents[0].id
    # the convention the notice declares holds in the plan it issues
    roles = [([u.name for u in t.lead], [u.name for u in t.responsible]) for t in ex.tasks]
    assert roles == [(["区发改局"], ["区统计局"]), (["区人力社保局"], [])]


def test_the_convention_written_after_a_responsible_list():
    text = """一、稳定经济运行
1.支持企业发展。落实减税降费政策。
责任单位：市经信局、市财政局、市税务局（列第一位者为工作牵头单位或汇总单位，下同）
2.扩大有效投资。
责任单位：市发展改革委、市自然资源局
"""
    ex = extract_text(text)
    roles = [([u.name for u in t.lead], [u.name for u in t.responsible]) for t in ex.tasks]
    assert roles == [(["市经信局"], ["市财政局", "市税务局"]), (["市发展改革委"], ["市自然资源局"])]


CELL_PER_LINE = """某某县2023年重点工作任务分解表
序号
重点任务
牵头单位
配合单位
完成时限
责任领导
1
新建城区污水管网20公里
县住
建局
县财政局、县自然资源局
2023年10月底前
王某某
2
完成农村户厕改造1500户
县农业农村局
县卫生健康局
2023年12月底前
李某某
"""


def _rows(text: str) -> list[tuple]:
    """(path, title, lead, responsible, deadline dates) of each task of ``text``."""
    return [(t.path, t.title, [u.name for u in t.lead], [u.name for u in t.responsible],
             [str(d.date) for d in t.deadlines]) for t in extract_text(text).tasks]


def test_a_table_printed_one_cell_per_line():
    assert _rows(CELL_PER_LINE) == [
        ("", "新建城区污水管网20公里", ["县住建局"], ["县财政局", "县自然资源局"], ["2023-10-31"]),
        ("", "完成农村户厕改造1500户", ["县农业农村局"], ["县卫生健康局"], ["2023-12-31"]),
    ]  # the person column (责任领导) names no agency; the row numbers went with the page numbers


SPACED_TABLE = """某某市2024年营商环境重点任务清单
序号  重点任务                          牵头单位          配合单位                    完成时限
1     推行企业开办一日办结              市市场监管局      市公安局、市税务局          2024年6月底前
2     工程建设项目审批时间压减至60天    市住房城乡建设局  市自然资源和规划局          2024年9月底前
"""


def test_a_table_flattened_with_spaces():
    assert _rows(SPACED_TABLE) == [
        ("1", "推行企业开办一日办结", ["市市场监管局"], ["市公安局", "市税务局"], ["2024-06-30"]),
        ("2", "工程建设项目审批时间压减至60天", ["市住房城乡建设局"], ["市自然资源和规划局"], ["2024-09-30"]),
    ]


def test_letter_spaced_words_stay_words():
    from loaders.text import normalize

    assert normalize("目   标   任   务\n牵头单位  市财政局").text == "目标任务\n牵头单位\t市财政局"


def test_a_notice_without_items_keeps_its_dated_deliverable_and_a_decision_its_directive():
    notice = """某某市人民政府关于印发2019年重点工作分解意见的通知
各区人民政府，市直各部门：
现将《2019年重点工作分解意见》印发你们。各单位要高度重视，结合实际制定实施方案，并于3月15日前报市政府督查室。
某某市人民政府
2019年3月1日
2019年重点工作分解意见
1.推进重点项目建设。（市发展改革委牵头）
"""
    ex = extract_text(notice)
    first = [t for t in ex.tasks if t.doc_id == ex.documents[0].id]
    assert [t.title for t in first] == ["各单位要高度重视,结合实际制定实施方案,并于3月15日前报市政府督查室"]
    assert [str(d.date) for d in first[0].deadlines] == ["2019-03-15"]
    decision = """某政发〔2016〕9号
各县（区）人民政府，市政府各部门：
市政府决定，对已不适应经济社会发展要求的83件市政府文件宣布失效。
各县区各部门要抓紧对本地区本部门印发的文件进行清理，清理结果及时向社会公布。
"""
    assert [t.title for t in extract_text(decision).tasks] == [
        "各县区各部门要抓紧对本地区本部门印发的文件进行清理,清理结果及时向社会公布"]


def test_units_joined_by_ji_and_a_marker_cut_by_the_page():
    text = """1.全面实施行政许可事项清单管理。2022年10月底前公布清单。(市政府办公室、市审改办牵头,市级各有关部门及各县市区政府按职责分工负责)
2.深化相对集中行政许可权改革。严格按照改革方案确定监管职责。(市政府办公室、市"""
    ex = extract_text("某市2022年深化放管服改革工作要点\n" + text + "\n")
    roles = [([u.name for u in t.lead], [u.name for u in t.responsible]) for t in ex.tasks]
    assert roles == [(["市政府办公室", "市审改办"], ["市级各有关部门", "各县市区政府"]),
                     (["市政府办公室"], [])]  # markers here always name the lead first
    assert split_names("住房和城乡建设局、市委和市政府") == ["住房和城乡建设局", "市委", "市政府"]


def split_names(s: str) -> list[str]:
    from loaders.extract.roles import split_units

    return [u.name for u in split_units(s, s, 0, len(s))]


def test_parts_that_give_duties_are_tasks_and_framing_parts_are_not():
    text = """某县关于做好秋冬季森林防火工作的通知
各乡镇人民政府，县直各有关部门：
一、总体要求。坚持预防为主、积极消灭的方针，全力保障森林资源安全。
二、加强火源管控。各乡镇要在重点时段设卡检查，严禁野外用火。
三、做好扑救准备。县应急管理局牵头每年组织一次扑火演练。
某县人民政府办公室
2023年10月8日
"""
    assert [(t.path, t.title, [u.name for u in t.lead]) for t in extract_text(text).tasks] == [
        ("二", "加强火源管控", []), ("三", "做好扑救准备", ["县应急管理局"])]


def test_a_tab_table_with_a_schedule_column():
    text = ("某市重点任务清单\n序号\t任务\t牵头单位\t完成时限\n1\t推行企业开办一日办结\t市市场监管局\t2024年6月\n"
            "2\t推进工程建设项目审批改革\t市住房城乡建设局\t2024年9月底前\n")
    assert _rows(text) == [("1", "推行企业开办一日办结", ["市市场监管局"], [], ["2024-06-30"]),
                           ("2", "推进工程建设项目审批改革", ["市住房城乡建设局"], [], ["2024-09-30"])]


@pytest.mark.parametrize("schedule,due", [
    ("完成时限：2024年6月", "2024-06-30"), ("完成时限：2024年12月31日", "2024-12-31"), ("时间：2024年10月", "2024-10-31"),
    ("会议于2024年3月5日召开", None),  # a plain date that fills no schedule is no deadline
])
def test_a_plain_date_in_a_schedule_is_a_due_date(schedule, due):
    (task,) = extract_text("某市2024年重点任务清单\n1.推行企业开办一日办结。（牵头单位：市市场监管局；" + schedule + "）\n").tasks
    assert [str(d.date) for d in task.deadlines] == ([due] if due else [])


def test_a_plan_whose_lead_is_written_under_its_title():
    text = """附件2
某县城乡融合发展专项行动方案
（县农业农村局牵头）
为推进城乡融合发展，制定本方案。
一、总体要求
坚持以人民为中心的发展思想。
"""
    ex = extract_text(text)
    assert ex.documents[-1].title == "某县城乡融合发展专项行动方案"
    assert [(t.title, [u.name for u in t.lead]) for t in ex.tasks] == [("某县城乡融合发展专项行动方案", ["县农业农村局"])]


def test_a_month_alone_in_a_cell_is_due_and_a_signature_date_is_not():
    text = "某区重点任务分解表\n重点任务\n牵头单位\n完成时限\n新建幼儿园5所\n区教育局\n2022年8月\n改造老旧小区12个\n区住建局\n2022年11月\n"
    assert [r[4] for r in _rows(text)] == [["2022-08-31"], ["2022-11-30"]]
    signed = "某县关于做好防汛工作的通知\n1.加强值班值守。（县应急管理局牵头）\n某县人民政府办公室\n2023年5月6日\n"
    assert [r[4] for r in _rows(signed)] == [[]]
