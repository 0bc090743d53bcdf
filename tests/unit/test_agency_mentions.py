"""Duty-bearers named in running text (loaders/extract/agencies.py mentions_in): a document with no
牵头/责任 markers lists who must act (财政部门要…, 交通运输部要会同…) as agency mentions."""
from __future__ import annotations

import pytest

from loaders.pipeline import extract_text

OPINION = """国务院办公厅关于进一步加强农村公路建设的意见

国办发〔2019〕21号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院同意，现提出以下意见。

一、加强组织领导
{sentence}

国务院办公厅
2019年5月10日
"""


@pytest.mark.parametrize("sentence,names", [
    # a ministry (…部) and an administration (…署) are duty-bearers like a 部门 or a 委
    ("交通运输部要会同财政部加强统筹协调。财政部门要加大资金支持力度。", ["交通运输部", "财政部门"]),
    ("审计署要加强对资金使用的审计监督。", ["审计署"]),
    ("发展改革委要将农村公路纳入规划。", ["发展改革委"]),
    # words ending in 部 or 署 that name no body
    ("全部要在年底前完成。", []),
    ("各级干部要带头落实。", []),
    ("中西部要加快补齐短板。", []),
    ("工作部署要抓紧落实。", []),
])
def test_subjects_that_must_act_are_mentions(sentence, names):
    ex = extract_text(OPINION.format(sentence=sentence), "opinion")
    assert [m.agency.name for m in ex.mentions] == names
