"""Task segmentation on a made-up plan that mixes formats real plans use (tests/fixtures/formats-plan.txt:
written for these tests from patterns of 重点工作任务分解 plans; not a real document)."""
from __future__ import annotations

from pathlib import Path

from loaders.pipeline import extract_file

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "formats-plan.txt"


def test_mixed_formats():
    ex = extract_file(FIXTURE)
    assert [d.doc_type for d in ex.documents] == ["通知", "方案"]
    assert ex.documents[1].parent_id == ex.documents[0].id
    got = [(t.title, [a.name for a in t.lead], [a.name for a in t.responsible],
            [d.date.isoformat() for d in t.deadlines if d.date]) for t in ex.tasks]
    assert got == [
        ("加快推进重大项目建设,全年完成固定资产投资500亿元以上", ["市发展改革委"], ["市财政局", "市自然资源局"], ["2019-12-31"]),
        ("深化“放管服”改革", ["市政务服务中心"], ["市司法局"], ["2019-06-30"]),
        ("优化营商环境", [], ["市商务局", "市市场监管局"], []),
        ("建设城市快速路网,新建道路30公里", ["市住房城乡建设局"], ["市交通运输局", "市财政局"], ["2019-12-31"]),
        ("实施老旧小区改造100个", ["市住房城乡建设局"], ["各县(市、区)人民政府"], ["2019-10-31"]),
    ]
    texts = {g.text for g in ex.targets}
    assert "新建道路30公里" in texts and "实施老旧小区改造100个" in texts


def test_items_numbered_with_a_closing_bracket():
    """tests/fixtures/county-plan.txt (made up for this test): items written 1）2）3）."""
    ex = extract_file(FIXTURE.parent / "county-plan.txt")
    assert [(t.path, t.title, [a.name for a in t.lead], [a.name for a in t.responsible]) for t in ex.tasks] == [
        ("一/1", "新建农村公路50公里", ["县交通运输局"], []),
        ("一/2", "改造农村危房300户", ["县住房城乡建设局"], ["各乡镇人民政府"]),
        ("一/3", "新增城镇就业2000人", ["县人力资源社会保障局"], []),
    ]


def test_a_notices_attachment_list_is_not_a_list_of_tasks():
    from loaders.pipeline import extract_text

    text = ("某某县人民政府办公室关于印发三个专项行动方案的通知\n各镇人民政府，县政府有关部门：\n"
            "现将三个专项行动方案印发给你们，请认真贯彻落实。\n附件：\n\n  1.某某县城乡融合发展专项行动方案\n"
            "  2.某某县城市精细化管理提升专项行动方案\n3.某某县农村人居环境整治专项行动方案\n"
            "某某县人民政府办公室\n2022年10月28日\n")
    assert [t.title for t in extract_text(text).tasks] == []
    inline = "关于印发责任分解的通知\n附件:1.2020年政府工作报告重点工作责任分解\n2.十方面民生实事责任分解\n"
    assert [t.title for t in extract_text(inline).tasks] == []
