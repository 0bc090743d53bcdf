"""Normalisation keeps an exact offset map while cleaning OCR noise."""
from __future__ import annotations

from loaders.text.normalize import normalize
from tests.conftest import SEED


def test_offsets_map_back_to_the_original():
    text = SEED.read_text(encoding="utf-8")
    norm = normalize(text, "seed")
    assert len(norm.offsets) == len(norm.text) == len(norm.match)
    for i in range(0, len(norm.text), 97):
        c = norm.text[i]
        o = text[norm.offsets[i]]
        assert c == o or c == "置" and o == "!" or c in "\n" or __import__("unicodedata").normalize("NFKC", o) == c


def test_page_numbers_and_running_headers_are_removed_inside_sentences():
    # seed: "…加大转型升" / "６１" / "本级文件" / "级步伐" and "…县道改造" / "７２" / " ７６０公里"
    norm = normalize(SEED.read_text(encoding="utf-8"), "seed")
    assert "加大转型升级步伐" in norm.text
    assert "县道改造760公里以上" in norm.text
    assert "上级文件" not in norm.text and "本级文件" not in norm.text
    assert "货币化安置比例" in norm.text  # OCR '!' restored


def test_ocr_placeholder_restored_only_when_unambiguous():
    norm = normalize("提高货币化安!比例，确保货币化安!比例在50%以上。国!家", "t")
    assert "货币化安置比例" in norm.text
    assert norm.uncertain and norm.text[norm.uncertain[0]] == "!"
    assert norm.warnings


def test_traditional_is_matched_but_kept():
    norm = normalize("牽頭單位:省發展改革委", "t")
    assert norm.text.startswith("牽頭單位")
    assert norm.match.startswith("牵头单位")


def test_pdf_page_footers_are_removed():
    line = "各地区各部门要加强组织领导，明确责任分工，确保各项任务落到实处"
    text = "\n".join([line] * 10 + ["— 3 —", "第 4 页 共 10 页", "5/10"] + [line] * 10)
    norm = normalize(text, "t")
    assert "3" not in norm.text and "页" not in norm.text and "/" not in norm.text


def test_injected_pinyin_readings_are_dropped_and_spans_still_point_at_the_original():
    from loaders.text import normalize

    raw = "(一)加快建設(shè)東部汽車產(chǎn)業(yè)基地。(牽頭單位:市經(jīng)貿(mào)委)\n引進(jìn)外資(FDI)項目"
    norm = normalize(raw)
    assert "加快建設東部汽車產業基地。(牽頭單位:市經貿委)" in norm.text
    assert "(FDI)" in norm.text  # Latin in brackets without a tone mark is content
    k = norm.text.index("市經貿委")
    assert norm.span(k, k + 4).quote == "市經(jīng)貿(mào)委"
