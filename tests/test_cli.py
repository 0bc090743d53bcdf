"""The CLI: real commands on the bundled gazette, help with examples, documented in README."""
from __future__ import annotations

import json
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
def test_every_command_has_an_example(name, cmd):
    assert "Example:" in (cmd.help or ""), f"`policykg {name}` has no Example: in its help"


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
