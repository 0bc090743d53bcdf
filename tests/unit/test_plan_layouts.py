"""More plan layouts (see test_plan_formats.py): a Markdown table with its header rule, a task table
right under the title of the plan a notice issues, a tab-separated table under a heading, a label list
followed by a sentence on its line. Whole texts through ``extract_text``."""
from __future__ import annotations

from datetime import date

from loaders.pipeline import extract_text

NOTICE = """某市人民政府办公室关于印发某市优化营商环境2022年工作方案的通知

某府办发〔2022〕12号

各区人民政府，市政府各部门：
现将《某市优化营商环境2022年工作方案》印发给你们，请认真贯彻执行。

某市人民政府办公室
2022年3月1日

某市优化营商环境2022年工作方案

{table}
"""

PIPE_TABLE = """| 序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限 |
| --- | :---: | --- | --- | --- |
| 1 | 压缩企业开办时间至1个工作日以内 | 市市场监管局 | 市公安局、市税务局 | 2022年6月底前 |
| 2 | 推行工程建设项目审批“一网通办” | 市住房城乡建设局 | 市自然资源局、市发展改革委 | 2022年12月底前 |"""

CELL_TABLE = "\n".join(["序号", "重点任务", "牵头单位", "责任单位", "完成时限",
                        "1", "压缩企业开办时间至1个工作日以内", "市市场监管局", "市公安局、市税务局", "2022年6月底前",
                        "2", "推行工程建设项目审批“一网通办”", "市住房城乡建设局", "市自然资源局、市发展改革委", "2022年12月底前"])


def roles(ex):
    return [(t.title, [u.name for u in t.lead], [u.name for u in t.responsible]) for t in ex.tasks]


def test_a_markdown_header_rule_is_no_task():
    ex = extract_text(NOTICE.format(table=PIPE_TABLE), "pipe")
    assert roles(ex) == [("压缩企业开办时间至1个工作日以内", ["市市场监管局"], ["市公安局", "市税务局"]),
                         ("推行工程建设项目审批“一网通办”", ["市住房城乡建设局"], ["市自然资源局", "市发展改革委"])]
    assert [d.date for d in ex.tasks[1].deadlines] == [date(2022, 12, 31)]


def test_a_plan_whose_table_follows_its_title_is_the_notices_attachment():
    for table in (PIPE_TABLE, CELL_TABLE):
        ex = extract_text(NOTICE.format(table=table), "notice")
        notice, plan = ex.documents
        assert plan.title == "某市优化营商环境2022年工作方案" and plan.parent_id == notice.id
        assert notice.doc_number == "某府办发〔2022〕12号"
        assert {t.doc_id for t in ex.tasks} == {plan.id}


def test_a_heading_over_a_tab_table_is_no_task_and_a_yearly_plan_gives_its_year():
    text = ("某县2023年乡村振兴重点任务分工方案\n\n一、重点任务\n"
            "序号\t工作任务\t牵头单位\t配合单位\t完成时间\n"
            "1\t新建高标准农田5万亩\t县农业农村局\t县财政局、县水利局\t2023年10月底\n"
            "2\t农村生活污水治理率达到40%以上\t县生态环境局\t各乡镇人民政府\t2023年12月底\n")
    ex = extract_text(text, "tabs")
    assert roles(ex) == [("新建高标准农田5万亩", ["县农业农村局"], ["县财政局", "县水利局"]),
                         ("农村生活污水治理率达到40%以上", ["县生态环境局"], ["各乡镇人民政府"])]
    assert [(g.value, g.unit, g.year) for g in ex.targets] == [(5.0, "万亩", 2023), (40.0, "%", 2023)]


def test_a_label_list_ends_at_the_sentence_end():
    text = ("某市关于加快发展数字经济的实施意见\n\n一、主要任务\n"
            "（一）推进政务数据共享。责任单位：市大数据局（牵头）、市政务服务中心，各区政府。2023年6月底前完成。\n"
            "（二）推进数据开放。牵头单位：市大数据局；责任单位：市政务服务中心。2023年9月底前完成。\n")
    ex = extract_text(text, "labels")
    assert roles(ex) == [("推进政务数据共享", ["市大数据局"], ["市政务服务中心", "各区政府"]),
                         ("推进数据开放", ["市大数据局"], ["市政务服务中心"])]
    assert [[d.date for d in t.deadlines] for t in ex.tasks] == [[date(2023, 6, 30)], [date(2023, 9, 30)]]
