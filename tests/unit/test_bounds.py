"""Bounds of regulations (loaders/extract/bounds.py): each bound of a range its own target."""
from __future__ import annotations

import pytest

from loaders.extract.bounds import bounds_in, number
from loaders.extract.documents import segment
from loaders.text.normalize import normalize

CASES = [
    ("处一万元以上五万元以下罚款", [(">=", 10000, "元"), ("<=", 50000, "元")]),
    ("处5万元以上20万元以下的罚款", [(">=", 50000, "元"), ("<=", 200000, "元")]),
    ("并处违法所得5倍以上10倍以下的罚款", [(">=", 5, "倍"), ("<=", 10, "倍")]),
    ("或者暂停其6个月以上1年以下执业活动", [(">=", 6, "个月"), ("<=", 1, "年")]),
    ("处以一百元至二千元的罚款", [(">=", 100, "元"), ("<=", 2000, "元")]),
    ("对个人并处1000元以上5000元以下的罚款", [(">=", 1000, "元"), ("<=", 5000, "元")]),
    ("按照50%以上100%以下的比例核减其下一年度碳排放配额", [(">=", 50, "%"), ("<=", 100, "%")]),
    ("可以处5万元以下的罚款", [("<=", 50000, "元")]),
    ("自2016年至2020年", []),  # a period, not a bound
    ("每10年进行一次全国土地调查", []),
    # a single lower bound on a period or a head count (两人以上 → >= 2 人)
    ("执法检查应当由两人以上进行", [(">=", 2, "人")]),
    ("具有三年以上的护理工作经验", [(">=", 3, "年")]),
    ("居留的时间不得少于6个月", [(">=", 6, "个月")]),
    ("有10名以上相应领域的专职认证人员", [(">=", 10, "名")]),
    ("2020年以上", []),  # a year, not a period
    ("处三年以上七年以下有期徒刑", [(">=", 3, "年"), ("<=", 7, "年")]),  # a range, not a lower bound
]


@pytest.mark.parametrize("text,expected", CASES)
def test_bounds_in(text, expected):
    assert [(c, v, u) for _, _, c, v, u, _ in bounds_in(text)] == expected


def test_only_ranges_and_fines_replace_the_general_reading():
    assert [r for *_, r in bounds_in("处一万元以上五万元以下罚款;由两人以上进行")] == [True, True, False]


@pytest.mark.parametrize("s,v", [("5", 5.0), ("1.5", 1.5), ("一万", 10000.0), ("二千", 2000.0), ("两", 2.0)])
def test_number(s, v):
    assert number(s) == v


HEADERS = [
    ("# 城市供水条例\n\n1994年7月19日 中华人民共和国国务院令第158号发布\u3000\n\n"
     "2018年3月19日 《国务院关于修改和废止部分行政法规的决定》第一次修订\u3000\n\n<!-- INFO END -->\n\n"
     "## 第一章 总则\n\n第一条 为了加强城市供水管理，制定本条例。\n\n## 第二章 城市供水水源\n\n第九条 县级以上城市人民政府应当组织编制规划。\n",
     ("城市供水条例", "中华人民共和国国务院令第158号", "国务院", "1994-07-19")),
    ("# 森林病虫害防治条例\n\n1989年11月17日国务院第50次常务会议通过\n\n"
     "1989年12月18日中华人民共和国国务院令第46号发布\n\n<!-- INFO END -->\n\n第一条 为了有效防治森林病虫害，制定本条例。\n",
     ("森林病虫害防治条例", "中华人民共和国国务院令第46号", "国务院", "1989-12-18")),
    ("# 上海市献血条例\n\n1998年11月19日上海市第十一届人民代表大会常务委员会第六次会议通过\n\n<!-- INFO END -->\n\n"
     "第一条 为了保证医疗临床用血需要，制定本条例。\n",
     ("上海市献血条例", None, "上海市人民代表大会常务委员会", "1998-11-19")),
    ("# 碳排放权交易管理暂行条例\n\n<!-- INFO END -->\n\n第一条 为了规范碳排放权交易，制定本条例。\n",
     ("碳排放权交易管理暂行条例", None, None, None)),
]


@pytest.mark.parametrize("text,expected", HEADERS)
def test_law_header_gives_one_document_with_issuer_date_and_order(text, expected):
    docs = segment(normalize(text))
    assert len(docs) == 1  # a ## 第X章 heading opens no document
    d = docs[0]
    assert (d.title, d.doc_number, d.issuer, d.date.isoformat() if d.date else None) == expected
