"""Bad input gives a clear error naming the file, or a result with warnings: never a crash."""
from __future__ import annotations

import cProfile
import pstats

import pytest

from loaders.pipeline import extract_file, extract_text
from loaders.text.reading import read_source
from policykg.errors import InputError
from tests.conftest import SEED

SAMPLE = SEED.read_text(encoding="utf-8")[:6000]


def test_empty_file_is_a_clear_error(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(InputError, match="empty.txt: the file is empty"):
        read_source(p)


def test_binary_file_is_a_clear_error(tmp_path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(bytes(range(256)) * 50)
    with pytest.raises(InputError, match="scan.pdf: not readable as text"):
        read_source(p)


def test_missing_file_names_it(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "nope.txt")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-le", "utf-8-sig"])
def test_encodings_are_detected_and_give_the_same_documents(tmp_path, encoding):
    p = tmp_path / f"sample-{encoding}.txt"
    p.write_bytes(SAMPLE.encode(encoding))
    src = read_source(p)
    assert src.text == SAMPLE
    ex = extract_file(p)
    assert [d.doc_number for d in ex.documents][:1] == ["国办发〔2016〕47号"]
    if encoding not in ("utf-8-sig",):
        assert any("decoded as" in w for w in ex.warnings)


def test_truncated_mid_document_still_extracts(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    cut = text[: text.index("（牵头单位：市住房公") + 10]  # inside a marker
    p = tmp_path / "cut.txt"
    p.write_text(cut, encoding="utf-8")
    ex = extract_file(p)
    last = ex.tasks[-1]
    assert last.title == "提高住房公积金使用率"
    assert [a.name for a in last.lead] == ["市住房公"]  # the cut marker still names what it can


@pytest.mark.parametrize("text", [
    "《关于促进全市工业稳增长调结构增效益的若干措施（绵府发〔２０１６〕１３号）中有关支持企业发展" * 3,
    "执行好〔２０１６ 关于 《 未闭合" * 50,
    "（牵头单位：市经信委；责任单位：" * 20,
])
def test_unbalanced_brackets_do_not_crash(tmp_path, text):
    p = tmp_path / "unbalanced.txt"
    p.write_text(text, encoding="utf-8")
    ex = extract_file(p)
    assert ex.documents  # one document, whatever is in it


def test_large_input_is_linear():
    """Repeated gazette: the work, counted as Python calls (deterministic, unlike wall time), grows
    in proportion to the text: the calls per added copy are the same from 4 to 8 copies as from 2 to 4."""
    text = SEED.read_text(encoding="utf-8")

    def calls(copies: int) -> int:
        prof = cProfile.Profile()
        prof.enable()
        ex = extract_text(text * copies, source_id=f"gazette-x{copies}")
        prof.disable()
        assert len(ex.documents) >= copies * 9
        return pstats.Stats(prof).total_calls

    calls(1)  # compiled patterns and lexicon caches warm
    c2, c4, c8 = calls(2), calls(4), calls(8)
    per_copy_low, per_copy_high = (c4 - c2) / 2, (c8 - c4) / 4
    assert per_copy_high / per_copy_low < 1.15, (per_copy_low, per_copy_high)