"""The CLI: real commands on the bundled gazette, help with examples, documented in README."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from interface.cli import app
from tests.conftest import ROOT, SCORER, SEED

runner = CliRunner()


def _commands(cmd, prefix: str = "") -> list[tuple[str, object]]:
    out = []
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            out.extend(_commands(sub, f"{prefix} {name}".strip()))
    else:
        out.append((prefix, cmd))
    return out


ALL = _commands(get_command(app))


@pytest.mark.parametrize("name,cmd", ALL, ids=[n for n, _ in ALL])
def test_every_command_has_its_description_then_examples_on_their_own_lines(name, cmd):
    assert "Examples:" in (cmd.help or ""), f"`policykg {name}` has no Examples: in its help"
    res = runner.invoke(app, [*name.split(), "--help"], terminal_width=80)
    assert res.exit_code == 0, res.output
    text = res.output
    description, _, examples = text.partition("Examples:")
    assert description.strip() and examples.strip()
    shown = [ln.strip() for ln in examples.split("\n\n")[0].splitlines() if ln.strip()]
    assert shown and all(ln.startswith(("policykg ", "NEO4J_PASSWORD=")) for ln in shown), shown
    usage = text.splitlines()[0]
    assert "{" not in usage and not re.search(r"\[?[a-z_]+\]?\.\.\.", usage.split("[OPTIONS]")[-1]), usage


def test_top_level_help_is_not_truncated():
    res = runner.invoke(app, ["--help"], terminal_width=80)
    assert res.exit_code == 0
    assert "..." not in res.output.split("Commands:")[1]
    assert "Neo4j / a SPARQL server)" in " ".join(res.output.split())  # build's whole first sentence


@pytest.mark.parametrize("name", [n for n, _ in ALL])
def test_every_command_is_documented_in_readme(name):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"policykg {name}" in readme, f"README does not mention `policykg {name}`"


def test_extract_json_scores_with_the_reference_scorer(tmp_path, shared_dir):
    out = tmp_path / "out.json"
    res = runner.invoke(app, ["extract", str(SEED), "--json", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["documents"]) == 10
    proc = subprocess.run([sys.executable, str(SCORER), "--gold", str(shared_dir / "gold" / "seed.json"),
                           "--pred", str(out), "--json"], capture_output=True, text=True, check=True)
    scores = json.loads(proc.stdout.strip().splitlines()[-1])
    assert scores["tasks"]["f1"] >= 0.97


def test_build_and_ask_on_the_embedded_store(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYKG_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    res = runner.invoke(app, ["build"])
    assert res.exit_code == 0, res.output
    assert "time per stage" in res.output
    res = runner.invoke(app, ["ask", "departments", "住房公积金", "--role", "lead", "--json"])
    assert res.exit_code == 0, res.output
    answers = json.loads(res.output)
    hit = [a for a in answers if a["task_title"] == "提高住房公积金使用率"]
    assert [a["agency"] for a in hit] == ["市住房公积金管理中心"]
    assert hit[0]["evidence"]["quote"].startswith("３．提高住房公积金使用率")
    res = runner.invoke(app, ["ask", "citing", "财税〔2015〕119号", "--json"])
    assert res.exit_code == 0, res.output
    cites = json.loads(res.output)
    assert [(c["task_title"], c["leads"]) for c in cites] == [("落实税收优惠", ["市财政局"])]


def test_bad_input_is_a_clear_error_not_a_traceback(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("", encoding="utf-8")
    res = runner.invoke(app, ["extract", str(p), "--json", str(tmp_path / "o.json")])
    assert res.exit_code == 2
    assert "the file is empty" in res.output
    assert "Traceback" not in res.output


# ----------------------------------------------------------------------------
# issue 11: standard output by default, missing input first, evidence at any width, plain when piped


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory):
    from graph_api import PolicyGraph

    home = tmp_path_factory.mktemp("cli-home")
    with PolicyGraph("embedded", home=home) as g:
        g.build([SEED])
    return home


def test_extract_writes_to_standard_output_by_default():
    res = runner.invoke(app, ["extract", str(SEED)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert len(data["documents"]) == 10


def test_a_missing_input_file_is_reported_first(tmp_path):
    for argv in (["extract", str(tmp_path / "nope.txt")], ["build", str(tmp_path / "nope.txt")],
                 ["evaluate", str(tmp_path / "nope.txt"), "--gold", str(tmp_path / "gold.json")]):
        res = runner.invoke(app, argv)
        assert res.exit_code == 2 and "no such file or directory" in res.output and "nope.txt" in res.output, argv


def test_export_writes_to_standard_output_by_default(seeded_home, monkeypatch):
    monkeypatch.setenv("POLICYKG_HOME", str(seeded_home))
    res = runner.invoke(app, ["export", "--format", "nquads"])
    assert res.exit_code == 0, res.output
    assert res.stdout.count("\n") > 1000 and "落实税收优惠" in res.stdout


def _answer_text(width: int, question: str, home) -> str:
    import io

    from rich.console import Console

    from interface.analyst import Analyst
    from interface.render import render_answer

    buf = io.StringIO()
    with Analyst("embedded", home=home) as g:
        render_answer(Console(file=buf, width=width, highlight=False, no_color=True), g.ask(question))
    return buf.getvalue()


@pytest.mark.parametrize("width", [80, 120])
def test_evidence_wraps_instead_of_vanishing(seeded_home, width):
    text = _answer_text(width, "哪些任务引用了财税〔2015〕119号", seeded_home)
    lines = text.splitlines()
    assert all(len(ln.rstrip()) <= width for ln in lines)
    joined = "".join(ln.strip() for ln in lines)
    # title, lead, document, span and the quote are all there, whole
    for part in ("落实税收优惠", "lead 市财政局", "绵阳市推进供给侧结构性改革降成本专项工作方案",
                 "mianyang-gazette-2016-06:32573-32948", "“２４．落实税收优惠。切实执行财政部"):
        assert part in joined, (part, text)


def test_piped_output_is_plain_text_without_hard_wraps(seeded_home, monkeypatch):
    monkeypatch.setenv("POLICYKG_HOME", str(seeded_home))
    monkeypatch.delenv("COLUMNS", raising=False)
    res = runner.invoke(app, ["ask", "citing", "财税〔2015〕119号"])
    assert res.exit_code == 0, res.output
    assert "\x1b[" not in res.output  # no colour, no highlighter
    lines = res.stdout.splitlines()
    assert "   绵阳市推进供给侧结构性改革降成本专项工作方案 · mianyang-gazette-2016-06:32573-32948" in lines
    quote = next(ln for ln in lines if ln.lstrip().startswith("“"))
    assert len(quote) > 120 and not quote.endswith(" ")  # one line, however long
    res = runner.invoke(app, ["ask", "哪些部门负责去库存", "--no-query"])
    assert res.exit_code == 0 and "\x1b[" not in res.output


def test_an_empty_answer_says_what_was_searched_and_what_is_near(seeded_home, monkeypatch):
    monkeypatch.setenv("POLICYKG_HOME", str(seeded_home))
    res = runner.invoke(app, ["ask", "citing", "财税〔2015〕第119号"])
    assert res.exit_code == 0
    assert "Searched 21 cited documents" in res.output and "Did you mean 财税〔2015〕119号?" in res.output
    res = runner.invoke(app, ["ask", "departments", "不存在局"])
    assert "Searched 130 tasks" in res.output and "Nothing known is close" in res.output


def test_an_empty_graph_names_the_command_that_fills_it(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYKG_HOME", str(tmp_path / "fresh"))
    for argv in (["ask", "哪些部门负责去库存"], ["ask", "departments", "去库存"], ["ask", "citing", "财税〔2015〕119号"]):
        res = runner.invoke(app, argv)
        assert res.exit_code == 2 and "the graph is empty" in res.output and "policykg build" in res.output, argv


def test_a_file_without_tasks_builds_with_a_warning_naming_what_was_looked_for(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYKG_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    p = tmp_path / "weather.txt"
    p.write_text("关于天气的说明\n\n今天天气很好，我们去公园散步。明天可能下雨。\n", encoding="utf-8")
    res = runner.invoke(app, ["build", str(p)])
    assert res.exit_code == 0, res.output
    assert "warning: weather: no tasks found" in res.output and "牵头单位 / 责任单位" in res.output


def test_service_status_is_a_few_readable_lines(monkeypatch, tmp_path):
    monkeypatch.setenv("POLICYKG_SERVICES", str(tmp_path / "services"))  # nothing installed there
    for cmd in (["sparql", "status"], ["neo4j", "status"]):
        res = runner.invoke(app, cmd)
        assert res.exit_code == 0, res.output
        lines = res.output.splitlines()
        assert 5 <= len(lines) <= 14 and "Status(" not in res.output and "PosixPath" not in res.output
        assert lines[0].split(":")[0] in ("oxigraph", "neo4j") and ("installed" in lines[0])
        assert any(ln.strip().startswith("log:") for ln in lines)
        assert any(ln.strip().startswith("port ") for ln in lines)  # who holds the port (or free)


def test_each_home_has_its_own_sparql_store(monkeypatch, tmp_path):
    from interface.services import oxigraph_server

    monkeypatch.setenv("POLICYKG_SERVICES", str(tmp_path / "services"))
    monkeypatch.setenv("POLICYKG_HOME", str(tmp_path / "a"))
    a = oxigraph_server.data_dir()
    monkeypatch.setenv("POLICYKG_HOME", str(tmp_path / "b"))
    assert oxigraph_server.data_dir() != a and a.parent == oxigraph_server.data_dir().parent


def test_every_build_reports_progress_file_by_file(tmp_path, monkeypatch, shared_dir):
    from graph_api import PolicyGraph

    files = sorted((shared_dir / "corpus" / "dev").glob("*.txt"))[:6]
    seen: list[tuple[str, int, int]] = []
    with PolicyGraph("embedded", home=tmp_path / "home") as g:
        g.build(files, progress=lambda desc, i, n: seen.append((desc, i, n)))
    extracted = [(d, i, n) for d, i, n in seen if d.startswith("extract ")]
    assert sorted(i for _, i, _ in extracted) == list(range(1, 7)) and {n for _, _, n in extracted} == {6}


@pytest.mark.parametrize("argv,near", [(["agency", "市财部局"], "Did you mean 市财政局?"),
                                       (["deadlines", "--agency", "市财部局"], "Did you mean 市财政局?"),
                                       (["impact", "财税〔2015〕第119号"], "Did you mean 财税〔2015〕119号?")])
def test_other_commands_have_no_dead_ends_either(seeded_home, tmp_path, monkeypatch, argv, near):
    monkeypatch.setenv("POLICYKG_HOME", str(seeded_home))
    res = runner.invoke(app, argv)
    assert res.exit_code == 0 and near in res.output, res.output
    monkeypatch.setenv("POLICYKG_HOME", str(tmp_path / "nothing-built"))
    res = runner.invoke(app, argv)
    assert res.exit_code == 2 and "the graph is empty" in res.output and "policykg build" in res.output


def test_deadlines_and_agency_show_their_evidence(seeded_home, monkeypatch):
    monkeypatch.setenv("POLICYKG_HOME", str(seeded_home))
    monkeypatch.delenv("COLUMNS", raising=False)
    res = runner.invoke(app, ["deadlines", "--before", "2016-06-30"])
    assert res.exit_code == 0 and "(5)" in res.output.splitlines()[0]
    assert "mianyang-gazette-2016-06:19828-20052" in res.output and "“３．提高住房公积金使用率" in res.output
    res = runner.invoke(app, ["agency", "市国税局"])
    assert res.exit_code == 0 and "tasks (8)" in res.output and "“（七）加大奖补支持" in res.output
