"""Cut markers sharing one line's end (roles._CutLine): linear, and the same answers as _parse_content."""
from __future__ import annotations

import random
import sys

import pytest

from loaders.extract import roles
from tests.unit import test_linear_work as linear

# pieces repeated along one line: each bracket a cut marker whose content runs to the line's end
CUT_LINE_PIECES = ["（牵头", "。（", "（牵头、", "、（牵头", "（牵头，", "（配合。", "。（市财政局", "（市财政局牵头", "；（各区", "（ 负责"]


@pytest.mark.parametrize("piece", CUT_LINE_PIECES)
def test_cut_lines_are_linear(piece, monkeypatch):
    monkeypatch.setattr(linear, "EXTRACTORS", {k: linear.EXTRACTORS[k] for k in ("roles", "tasks")})
    with linear._counted_and_warm() as tally:
        # N and 4N: above the 400 characters _close_of reads after a bracket, so both sizes take the same paths
        bad = linear._superlinear(piece * (linear.N // len(piece)), piece * (4 * linear.N // len(piece)), tally)
    assert not bad, "\n".join(bad)


PIECES = ["牵头", "负责", "配合", "参与", "、", "，", "（", "）", "(", ")", "。", "；", "：", "市财政局", "市发展改革委",
          "县人民政府", "各有关部门", "各", "区", "及", "和", "与", "等部门", "会同", " ", "\n", "年内", "下同", "〔", "〕",
          "分别负责", "落实", "由", "承办", "（列第一位者为牵头单位）", "x" * 30, "y" * 50, "市教育局", "和市卫生健康委",
          "〔2016〕", "【", "1.", "等有关单位", "(排名第一的部门牵头)"]


def test_cut_line_answers_as_parse_content():
    """Wherever _CutLine answers, it answers what _parse_content says (random contents, every start)."""
    r = random.Random(13)
    answered = 0
    for i in range(600):
        m = "".join(r.choice(PIECES) for _ in range(r.randint(1, 40 if i % 2 else 120)))
        b = len(m)
        if roles._parse_content(m, m, 0, b) is not None or roles._rx("label_lead").search(m) \
                or roles._rx("label_responsible").search(m) or roles.declares_first_lead(m):
            continue
        line = roles._CutLine(m, m, 0, b)
        for a in range(1, b):
            try:
                got = line.is_none(a)
            except roles._Unknown:
                continue
            answered += 1
            assert got == (roles._parse_content(m, m, a, b) is None), (m, a)
    assert answered > 1000
