"""Extraction is linear in the number of items (issue 13): the work, counted as Python calls, grows
in proportion to the list, whatever the format of the list. No wall time: calls are deterministic."""
from __future__ import annotations

import cProfile
import pstats

import pytest

from loaders.pipeline import extract_text

FORMATS = {
    "numbered items, bracketed labels": "{n}. 推进第{n}项工作。（牵头单位：市财政局；责任单位：市发展改革委）",
    "one paragraph, no numbers": "推进第{n}项工作（牵头单位：市财政局；责任单位：市发展改革委）；",
    "label lines under numbered items": "{n}. 推进第{n}项工作。\n牵头单位：市财政局\n责任单位：市发展改革委",
    "prose responsibility": "{n}. 推进第{n}项工作，由市财政局牵头，市发展改革委配合。",
}


def _plan(n: int, fmt: str) -> str:
    sep = "" if "\n" not in fmt and not fmt[0] == "{" else "\n"
    return "关于推进重点工作的实施方案\n\n" + sep.join(fmt.format(n=k) for k in range(1, n + 1)) + "\n"


def _calls(text: str) -> tuple[int, int]:
    prof = cProfile.Profile()
    prof.enable()
    ex = extract_text(text)
    prof.disable()
    return pstats.Stats(prof).total_calls, len(ex.tasks)


@pytest.mark.parametrize("fmt", list(FORMATS.values()), ids=list(FORMATS))
def test_work_grows_linearly_with_items(fmt):
    _calls(_plan(50, fmt))  # caches and compiled patterns warm
    counts = {n: _calls(_plan(n, fmt)) for n in (1000, 2000, 4000)}
    assert [t for _, t in counts.values()] == [1000, 2000, 4000]  # every item found at each size
    # calls per added item: the same from 2k to 4k as from 1k to 2k (quadratic work would double it)
    per_item_low = (counts[2000][0] - counts[1000][0]) / 1000
    per_item_high = (counts[4000][0] - counts[2000][0]) / 2000
    assert per_item_high / per_item_low < 1.15, (per_item_low, per_item_high)


def test_items_past_999_are_items():
    ex = extract_text(_plan(1200, FORMATS["numbered items, bracketed labels"]))
    assert len(ex.tasks) == 1200
    assert ex.tasks[-1].path == "1200" and ex.tasks[-1].lead[0].name == "市财政局"
    assert [t.title for t in ex.tasks[998:1001]] == ["推进第999项工作", "推进第1000项工作", "推进第1001项工作"]


def test_a_year_at_a_line_start_is_not_an_item():
    text = "关于做好工作的通知\n\n1. 推进改革。（牵头单位：市财政局）\n2016. 年度目标全面完成。\n2. 加强监管。（牵头单位：市审计局）\n"
    assert [t.path for t in extract_text(text).tasks] == ["1", "2"]
