"""Hostile and broken input files (issue 13): each gives a clear error naming the file and what to
do, or a result with warnings — never a traceback, and nothing half-written to a store.

Every case is a file written here. ``error`` cases check the InputError (file name and advice),
the CLI (`policykg extract`: exit code 2, the message, no traceback) and a build of a good file
together with the bad one (refused before anything is loaded or kept: the store and the kept
sources are as before). ``ok`` cases check what was read and the warnings given.
The injection strings are read back from the real stores in tests/integration/test_hostile_text.py.
"""
from __future__ import annotations

import gzip
import io
import random
import zipfile
from dataclasses import dataclass
from typing import Callable, Optional

import pytest
from typer.testing import CliRunner

from interface.cli import app
from loaders.pipeline import extract_file, no_task_warnings
from policykg.errors import InputError
from policykg.model import Extraction
from tests.conftest import SEED

SAMPLE = SEED.read_text(encoding="utf-8")[:6000]  # 国办发〔2016〕47号 and the start of its 实施方案
FIRST_NUMBER = "国办发〔2016〕47号"
PLAN = ("绵阳市人民政府办公室关于做好防汛减灾工作的通知\n\n"
        "一、加强隐患排查。完成全市水库、堤防排查。（牵头单位：市水务局；责任单位：市国土资源局、市安全监管局）\n\n"
        "二、完善应急预案。２０１７年６月底前组织开展应急演练。（牵头单位：市民政局；责任单位：市财政局）\n")
TRADITIONAL = ("臺北市政府關於加強防汛工作的通知\n\n"
               "一、加強隱患排查。完成全市水庫排查。（牽頭單位：市財政局；責任單位：市發展改革委）\n")
#: the long-list case of issue 13 (10 MB; about 40 s and 0.7 GB here, linear since extract-plan's change)
LONG_LIST_ITEMS = 100_000


def _zip(name: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(name, "<w:document>" + PLAN + "</w:document>")
    return buf.getvalue()


def _rand(n: int, seed: int = 13) -> bytes:
    return random.Random(seed).randbytes(n)


def _html(charset: str) -> bytes:
    page = (f'<!DOCTYPE html>\n<html><head><meta charset="{charset}"><title>防汛通知</title>'
            "<style>p { color: red }</style><script>var x = '（牵头单位：假单位）';</script></head>\n"
            "<body><div class='nav'>首页 &gt; 政务公开</div>\n<h1>绵阳市人民政府办公室关于做好防汛减灾工作的通知</h1>\n"
            "<p>一、加强隐患排查。完成全市水库、堤防排查。（牵头单位：市水务局；责任单位：市国土资源局）</p>\n"
            "<p>二、完善应急预案。组织开展应急演练。（牵头单位：市民政局；责任单位：市财政局&amp;市水务局）</p>\n"
            "</body></html>\n")
    return page.encode(charset)


def _leads(ex: Extraction) -> list[str]:
    return [a.name for t in ex.tasks for a in t.lead]


def _warned(ex: Extraction, fragment: str) -> bool:
    return any(fragment in w for w in (*ex.warnings, *no_task_warnings(ex)))


@dataclass
class Case:
    name: str  # the file name written
    data: Callable[[], bytes]
    error: Optional[str] = None  # a fragment of the InputError (after the file name)
    check: Optional[Callable[[Extraction], bool]] = None  # for a result


def _numbered(n: int) -> bytes:
    return ("关于推进重点工作的实施方案\n\n" + "".join(
        f"{i}. 推进第{i}项工作。（牵头单位：市财政局；责任单位：市发展改革委）\n" for i in range(1, n + 1))).encode()


CASES = {
    # -- nothing to read
    "empty": Case("empty.txt", lambda: b"", error="the file is empty"),
    "whitespace only": Case("blank.txt", lambda: b"  \n\t\r\n   \n", error="the file is empty"),
    "full-width spaces only": Case("blank2.txt", lambda: "\u3000\u3000\n\u3000 \n".encode(), error="only whitespace"),
    "a BOM only": Case("bom.txt", lambda: b"\xef\xbb\xbf\r\n", error="only whitespace"),
    "UTF-16 spaces only": Case("blank16.txt", lambda: " \n \n".encode("utf-16"), error="only whitespace"),
    "NUL bytes only": Case("nul.txt", lambda: b"\x00" * 512, error="the file is empty"),
    # -- not text at all
    "random binary": Case("noise.txt", lambda: _rand(20000), error="not readable as text"),
    "PDF bytes named .txt": Case("report.txt", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n"
                                 b"stream\n" + _rand(8000) + b"\nendstream\n%%EOF", error="PDF document"),
    "PDF after blank lines": Case("report2.txt", lambda: b"\r\n\r\n%PDF-1.4\n" + _rand(3000), error="pdftotext"),
    "Word .docx named .txt": Case("notice.txt", lambda: _zip("word/document.xml"), error="Word .docx"),
    "Excel .xlsx named .txt": Case("table.txt", lambda: _zip("xl/workbook.xml"), error="libreoffice"),
    "old Word .doc named .txt": Case("old.txt", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _rand(4000),
                                     error="old Office file"),
    "RTF named .txt": Case("memo.txt", lambda: b"{\\rtf1\\ansi\\ansicpg936 \\'b9\\'fa\\'ce\\'f1\\'d4\\'ba}",
                           error="RTF document"),
    "PNG scan named .txt": Case("scan.txt", lambda: b"\x89PNG\r\n\x1a\n" + _rand(2000), error="OCR"),
    "JPEG scan named .txt": Case("photo.txt", lambda: b"\xff\xd8\xff\xe0" + _rand(2000), error="JPEG image"),
    "gzip named .txt": Case("archive.txt", lambda: gzip.compress(PLAN.encode()), error="gzip archive"),
    "a program named .txt": Case("tool.txt", lambda: b"\x7fELF\x02\x01\x01" + _rand(2000), error="program"),
    "Latin-1 text": Case("latin.txt", lambda: ("Café résumé à Zürich, señor. " * 40).encode("latin-1"),
                         error="not readable as text"),
    # -- encodings (same text read back)
    "GBK": Case("gbk.txt", lambda: SAMPLE.encode("gbk"),
                check=lambda ex: ex.documents[0].doc_number == FIRST_NUMBER and _warned(ex, "gb18030")),
    "GB18030 with 4-byte characters": Case("gb18030.txt", lambda: ("𠀀€" + PLAN).encode("gb18030"),
                                           check=lambda ex: _leads(ex) == ["市水务局", "市民政局"]
                                           and ex.source.text.startswith("𠀀€")),
    "Big5": Case("big5.txt", lambda: TRADITIONAL.encode("big5"),
                 check=lambda ex: ex.source.text == TRADITIONAL and _leads(ex) == ["市財政局"] and _warned(ex, "big5")),
    "UTF-8 with BOM": Case("bom8.txt", lambda: SAMPLE.encode("utf-8-sig"),
                           check=lambda ex: ex.source.text == SAMPLE),
    "UTF-16 LE with BOM": Case("le-bom.txt", lambda: b"\xff\xfe" + SAMPLE.encode("utf-16-le"),
                               check=lambda ex: ex.source.text == SAMPLE),
    "UTF-16 BE with BOM": Case("be-bom.txt", lambda: b"\xfe\xff" + SAMPLE.encode("utf-16-be"),
                               check=lambda ex: ex.source.text == SAMPLE),
    "UTF-16 LE without BOM": Case("le.txt", lambda: SAMPLE.encode("utf-16-le"),
                                  check=lambda ex: ex.source.text == SAMPLE and _warned(ex, "utf-16-le")),
    "UTF-16 BE without BOM": Case("be.txt", lambda: SAMPLE.encode("utf-16-be"),
                                  check=lambda ex: ex.source.text == SAMPLE and _warned(ex, "utf-16-be")),
    "UTF-32 with BOM": Case("u32.txt", lambda: PLAN.encode("utf-32"), check=lambda ex: ex.source.text == PLAN),
    "UTF-8 and GBK mixed": Case("mixed.txt", lambda: PLAN.split("二、")[0].encode() + ("二、" + PLAN.split("二、")[1]).encode("gbk"),
                                check=lambda ex: ex.source.text == PLAN and _warned(ex, "mixed encodings")
                                and _leads(ex) == ["市水务局", "市民政局"]),
    "HTML saved from a browser (UTF-8)": Case("page.html.txt", lambda: _html("utf-8"),
                                              check=lambda ex: _warned(ex, "web page") and "<p>" not in ex.source.text
                                              and "假单位" not in ex.source.text
                                              and _leads(ex) == ["市水务局", "市民政局"]),
    "HTML saved from a browser (GB2312)": Case("page-gb.txt", lambda: _html("gb2312"),
                                               check=lambda ex: _warned(ex, "web page") and _leads(ex) == ["市水务局", "市民政局"]),
    "CR line endings": Case("mac.txt", lambda: PLAN.replace("\n", "\r").encode(),
                            check=lambda ex: _leads(ex) == ["市水务局", "市民政局"]),
    # -- cut off
    "UTF-8 cut inside a character": Case("cut8.txt", lambda: PLAN.rstrip().encode()[:-2],
                                         check=lambda ex: _warned(ex, "middle of a character")
                                         and ex.source.text == PLAN.rstrip()[:-1]),
    "GBK cut inside a character": Case("cutgbk.txt", lambda: SAMPLE.encode("gbk")[:-1],
                                       check=lambda ex: _warned(ex, "middle of a character")
                                       and SAMPLE.startswith(ex.source.text)),
    "UTF-16 cut inside a character": Case("cut16.txt", lambda: PLAN.encode("utf-16")[:-1],
                                          check=lambda ex: _warned(ex, "middle of a character")
                                          and ex.source.text == PLAN[:-1]),
    "a corrupt byte inside UTF-8": Case("corrupt.txt", lambda: PLAN.encode().replace("完善".encode(), b"\xff\xfe\xfd"),
                                        check=lambda ex: _warned(ex, "U+FFFD") and _leads(ex) == ["市水务局", "市民政局"]),
    "cut mid-document": Case("half.txt", lambda: SEED.read_bytes()[: len(SEED.read_bytes()) // 2].decode("utf-8", "ignore").encode(),
                             check=lambda ex: len(ex.tasks) > 20),
    "cut mid-marker": Case("midmarker.txt", lambda: PLAN[: PLAN.index("市民政") + 2].encode(),
                           check=lambda ex: _leads(ex) == ["市水务局", "市民"]),
    # -- size
    "50 MB": Case("yearbook.txt", lambda: SAMPLE.encode() * (50 * 1024 * 1024 // len(SAMPLE.encode()) + 1),
                  error="split it into its documents"),
    "one 5 MB line": Case("oneline.txt", lambda: ("关于推进工作的实施方案\n" + "推进各项工作，" * 250_000).encode(),
                          check=lambda ex: len(ex.documents) == 1 and _warned(ex, "no tasks found")),
    "a long numbered list": Case("list.txt", lambda: _numbered(LONG_LIST_ITEMS),
                                 check=lambda ex: len(ex.tasks) == LONG_LIST_ITEMS
                                 and set(_leads(ex)) == {"市财政局"}),
    # -- brackets
    "unbalanced 《": Case("open1.txt", lambda: (PLAN + "三、执行《关于促进工业稳增长的若干措施。" * 200 + "\n").encode(),
                         check=lambda ex: _leads(ex)[:2] == ["市水务局", "市民政局"]),
    "unbalanced 〔": Case("open2.txt", lambda: (PLAN + "三、落实绵府发〔２０１６ 号文件。" * 200 + "\n").encode(),
                         check=lambda ex: _leads(ex)[:2] == ["市水务局", "市民政局"]),
    "unbalanced （": Case("open3.txt", lambda: (PLAN + "三、落实资金（牵头单位：市财政局；责任单位：" * 200 + "\n").encode(),
                         check=lambda ex: _leads(ex)[:2] == ["市水务局", "市民政局"]),
    "deeply nested brackets": Case("nested.txt", lambda: (PLAN + "三、落实资金。" + "（《〔" * 1000 + "市财政局"
                                                          + "〕》）" * 1000 + "\n").encode(),
                                   check=lambda ex: _leads(ex)[:2] == ["市水务局", "市民政局"]),
    # -- invisible characters
    "control characters": Case("ctrl.txt", lambda: PLAN.replace("市水务局", "市水\x07务\x1b局").encode(),
                               check=lambda ex: _leads(ex) == ["市水务局", "市民政局"] and _warned(ex, "control")),
    "bidi marks in an agency name": Case("bidi.txt", lambda: PLAN.replace("市民政局", "市\u202e民政\u202c局").encode(),
                                         check=lambda ex: _leads(ex) == ["市水务局", "市民政局"]
                                         and _warned(ex, "bidi")),
    "zero-width characters in agency names": Case("zw.txt", lambda: PLAN.replace("市水务局", "市水\u200b务\u200d局")
                                                  .replace("市财政局", "\ufeff市财\u2060政局").encode(),
                                                  check=lambda ex: _leads(ex) == ["市水务局", "市民政局"]
                                                  and "市财政局" in [a.name for t in ex.tasks for a in t.responsible]),
    "a few NUL bytes in UTF-8": Case("nuls.txt", lambda: PLAN.encode().replace("完善".encode(), "完善".encode() + b"\x00"),
                                     check=lambda ex: _leads(ex) == ["市水务局", "市民政局"] and _warned(ex, "control")),
    # -- injection strings are text
    "Cypher injection in a title": Case("inject1.txt", lambda: PLAN.replace("做好防汛减灾工作", "'}) DETACH DELETE n //").encode(),
                                        check=lambda ex: "DETACH" in ex.documents[0].title and "//" in ex.documents[0].title),
    "SPARQL injection in an agency name": Case("inject2.txt", lambda: PLAN.replace("市民政局", '" } ; DROP ALL ; #市民政局').encode(),
                                               check=lambda ex: any("DROP ALL" in a or "#市民政局" in a for a in _leads(ex))),
    "no Chinese text": Case("english.txt", lambda: b"Minutes of the meeting.\nNothing was decided.\n",
                            check=lambda ex: _warned(ex, "no tasks found")),
}


@pytest.fixture()
def write(tmp_path):
    def _write(case: Case):
        p = tmp_path / case.name
        p.write_bytes(case.data())
        return p
    return _write


ERRORS = {k: c for k, c in CASES.items() if c.error}
RESULTS = {k: c for k, c in CASES.items() if not c.error}


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", ERRORS.values(), ids=ERRORS.keys())
def test_bad_file_is_a_clear_error(case, write):
    p = write(case)
    with pytest.raises(InputError) as refused:
        extract_file(p)
    message = str(refused.value)
    assert message.startswith(f"{p}: ") and case.error in message and "\n" not in message


@pytest.mark.parametrize("case", ERRORS.values(), ids=ERRORS.keys())
def test_cli_says_it_in_one_message_without_traceback(case, write):
    p = write(case)
    result = CliRunner().invoke(app, ["extract", str(p), "--json", "-"])
    out = " ".join((result.output + (getattr(result, "stderr", "") or "")).split())
    assert result.exit_code == 2 and "Traceback" not in out
    assert out.startswith("error:") and case.error in out and p.name in out
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("case", RESULTS.values(), ids=RESULTS.keys())
def test_flawed_file_gives_a_result(case, write):
    ex = extract_file(write(case))
    assert case.check(ex), (ex.warnings, _leads(ex)[:5], ex.source.text[:80])


def test_a_bad_file_in_a_build_writes_nothing(tmp_path, write):
    """A build of a good file and a bad one refuses before loading or keeping anything."""
    from graph_api import PolicyGraph

    good = tmp_path / "good.txt"
    good.write_text(PLAN, encoding="utf-8")
    home = tmp_path / "home"
    with PolicyGraph("embedded", home=home) as g:
        g.build([good])
        before = g.backend.dump()
        kept = sorted((home / "sources").iterdir())
        changed = tmp_path / "good2.txt"
        changed.write_text(PLAN.replace("市民政局", "市应急管理局"), encoding="utf-8")
        for case in ERRORS.values():
            if case.name == "yearbook.txt":
                continue  # 50 MB: refused by size before reading, same path
            with pytest.raises(InputError):
                g.build([changed, write(case)])
            assert g.backend.dump() == before
            assert sorted((home / "sources").iterdir()) == kept
