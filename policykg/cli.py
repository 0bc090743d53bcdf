"""``policykg``: a thin command line over graph_api (Typer + Rich).

Every command's help has an Example; output is a Rich table or ``--json``.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from policykg.answers import to_jsonable
from policykg.errors import PolicyKGError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="policykg: a knowledge graph of Chinese government policy documents.")
ask_app = typer.Typer(no_args_is_help=True, help="Ask the graph a question.")
neo4j_app = typer.Typer(no_args_is_help=True, help="Run a local Neo4j Community server (no Docker).")
sparql_app = typer.Typer(no_args_is_help=True, help="Run a local SPARQL server (oxigraph serve).")
app.add_typer(ask_app, name="ask")
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(sparql_app, name="sparql")

console = Console()
err = Console(stderr=True)

BackendOpt = typer.Option("embedded", "--backend", "-b", help="embedded | sparql | neo4j")
JsonOpt = typer.Option(False, "--json", help="print JSON instead of a table")


def _fail(exc: Exception) -> None:
    err.print(f"[red]error:[/red] {exc}")
    raise typer.Exit(code=2)


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2) + "\n")


@app.command()
def build(paths: Optional[List[Path]] = typer.Argument(None, help="gazette files or folders (default: the bundled gazette)"),
          neo4j: bool = typer.Option(False, "--neo4j", help="also load into Neo4j (default when NEO4J_URI is set)"),
          sparql: bool = typer.Option(False, "--sparql", help="also load into the SPARQL server"),
          fresh: bool = typer.Option(False, "--fresh", help="start from an empty embedded store"),
          json_out: bool = JsonOpt) -> None:
    """Extract documents and load them into the embedded store (and Neo4j / a SPARQL server).

    Example: policykg build                      (the bundled gazette)
    Example: policykg build data/ --neo4j
    """
    import os

    from graph_api import PolicyGraph, reset_home

    if fresh:
        reset_home()
    also = []
    if neo4j or os.environ.get("NEO4J_URI"):
        also.append("neo4j")
    if sparql:
        also.append("sparql")
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("build", total=1)

            def progress(desc: str, i: int, n: int) -> None:
                bar.update(task, description=desc, completed=i, total=n)

            with PolicyGraph() as g:
                report = g.build(paths or [], also=also, progress=progress)
    except PolicyKGError as exc:
        _fail(exc)
    if json_out:
        _print_json(report)
        return
    console.print(f"built {report.documents} documents, {report.tasks} tasks, {report.targets} targets, "
                  f"{report.citations} citations → {report.nodes} nodes, {report.edges} edges "
                  f"into {', '.join(report.backends)}")
    t = Table("stage", "seconds", title="time per stage")
    for k, v in report.seconds.items():
        t.add_row(k, f"{v:.3f}")
    console.print(t)
    for w in report.warnings[:10]:
        err.print(f"[yellow]warning:[/yellow] {w}")


@ask_app.command("departments")
def ask_departments(goal: str = typer.Argument(..., help="a goal keyword, e.g. 去库存"),
                    role: Optional[str] = typer.Option(None, "--role", help="lead | responsible"),
                    backend: str = BackendOpt, json_out: bool = JsonOpt) -> None:
    """Which departments are responsible for a goal?

    Example: policykg ask departments 住房公积金 --role lead
    """
    from graph_api import PolicyGraph

    try:
        with PolicyGraph(backend) as g:
            answers = g.departments_for(goal, role=role)
    except PolicyKGError as exc:
        _fail(exc)
    if json_out:
        _print_json(answers)
        return
    t = Table("agency", "role", "task", "document", "source", title=f"departments for “{goal}” ({len(answers)})")
    for a in answers:
        t.add_row(a.agency, a.role, a.task_title, a.evidence.doc_title or a.evidence.doc_id,
                  f"{a.evidence.source}:{a.evidence.start}-{a.evidence.end}")
    console.print(t)


@ask_app.command("citing")
def ask_citing(regulation: str = typer.Argument(..., help="a document number or title fragment"),
               backend: str = BackendOpt, json_out: bool = JsonOpt) -> None:
    """Which tasks cite a regulation?

    Example: policykg ask citing 财税〔2015〕119号
    """
    from graph_api import PolicyGraph

    try:
        with PolicyGraph(backend) as g:
            answers = g.tasks_citing(regulation)
    except PolicyKGError as exc:
        _fail(exc)
    if json_out:
        _print_json(answers)
        return
    t = Table("task", "lead", "relation", "cited", "document", "source",
              title=f"tasks citing “{regulation}” ({len(answers)})")
    for a in answers:
        t.add_row(a.task_title, "、".join(a.leads), a.relation, a.cited, a.evidence.doc_title or a.evidence.doc_id,
                  f"{a.evidence.source}:{a.evidence.start}-{a.evidence.end}")
    console.print(t)


@app.command()
def extract(paths: List[Path] = typer.Argument(..., help="text files or folders"),
            json_path: Path = typer.Option(..., "--json", help="write the extraction JSON here ('-' for stdout)")) -> None:
    """Extract documents, tasks, roles, targets, deadlines and citations as JSON (the gold shape).

    Example: policykg extract data/mianyang-gazette-2016-06.txt --json out.json
    """
    from graph_api import extract_to_json

    try:
        data = extract_to_json(paths)
    except PolicyKGError as exc:
        _fail(exc)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if str(json_path) == "-":
        sys.stdout.write(text + "\n")
    else:
        json_path.write_text(text, encoding="utf-8")
        err.print(f"wrote {len(data['documents'])} documents, {len(data['tasks'])} tasks, "
                  f"{len(data['targets'])} targets, {len(data['citations'])} citations to {json_path}")


@app.command()
def evaluate(paths: List[Path] = typer.Argument(..., help="the text file(s) the gold describes"),
             gold: Path = typer.Option(..., "--gold", help="gold JSON (shared/gold shape)"),
             json_out: bool = JsonOpt) -> None:
    """Precision / recall / F1 per field of the extraction against a gold file.

    Example: policykg evaluate --gold ../shared/gold/seed.json data/mianyang-gazette-2016-06.txt
    """
    from graph_api import extract_to_json
    from policykg.evaluation import score

    try:
        pred = extract_to_json(paths)
        res = score(json.loads(gold.read_text(encoding="utf-8")), pred)
    except PolicyKGError as exc:
        _fail(exc)
    if json_out:
        _print_json(res)
        return
    t = Table("field", "P", "R", "F1", "tp", "pred", "gold", title=f"extraction vs {gold.name}")
    for k, v in res.items():
        if "f1" in v:
            t.add_row(k, f"{v['p']:.3f}", f"{v['r']:.3f}", f"{v['f1']:.3f}", str(v["tp"]), str(v["pred"]), str(v["gold"]))
        else:
            t.add_row(k, "", "", f"acc {v['accuracy']:.3f}", "", "", str(v["n"]))
    console.print(t)


def _service_status(mod) -> None:
    st = mod.status()
    console.print(st)


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Install (Maven Central, first time) and start Neo4j Community on 127.0.0.1:7687 / :7474.

    Example: NEO4J_PASSWORD=secret policykg neo4j start
    """
    from policykg.services import neo4j_server

    try:
        neo4j_server.install()
        neo4j_server.start()
    except PolicyKGError as exc:
        _fail(exc)
    _service_status(neo4j_server)


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j.

    Example: policykg neo4j stop
    """
    from policykg.services import neo4j_server

    try:
        neo4j_server.stop()
    except PolicyKGError as exc:
        _fail(exc)
    _service_status(neo4j_server)


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Is the local Neo4j installed and running?

    Example: policykg neo4j status
    """
    from policykg.services import neo4j_server

    _service_status(neo4j_server)


@sparql_app.command("start")
def sparql_start() -> None:
    """Start `oxigraph serve` on 127.0.0.1:7878 and load the embedded graph into it.

    Example: policykg sparql start && policykg ask citing 财税〔2015〕119号 --backend sparql
    """
    from policykg.services import oxigraph_server

    try:
        oxigraph_server.start()
    except PolicyKGError as exc:
        _fail(exc)
    _service_status(oxigraph_server)


@sparql_app.command("stop")
def sparql_stop() -> None:
    """Stop the local SPARQL server.

    Example: policykg sparql stop
    """
    from policykg.services import oxigraph_server

    oxigraph_server.stop()
    _service_status(oxigraph_server)


@sparql_app.command("status")
def sparql_status() -> None:
    """Is the local SPARQL server running?

    Example: policykg sparql status
    """
    from policykg.services import oxigraph_server

    _service_status(oxigraph_server)


@app.command()
def demo() -> None:
    """Build the graph from the bundled gazette (embedded store) and answer sample questions.

    Example: policykg demo
    """
    from graph_api import PolicyGraph

    try:
        with PolicyGraph() as g:
            report = g.build()
            console.print(f"[bold]built[/bold] {report.documents} documents, {report.tasks} tasks, "
                          f"{report.targets} targets, {report.citations} citations from the bundled gazette "
                          f"({sum(report.seconds.values()):.2f} s)")
            for goal in ("住房公积金", "去库存", "直接融资"):
                answers = g.departments_for(goal)
                console.print(f"\n[bold]哪些部门负责“{goal}”?[/bold] ({len(answers)} assignments)")
                for a in answers[:12]:
                    console.print(f"  {a.role:<11} {a.agency:<14} {_short(a.task_title, 28)}  "
                                  f"[dim]{a.evidence.source}:{a.evidence.start}-{a.evidence.end}[/dim]")
                if len(answers) > 12:
                    console.print(f"  … {len(answers) - 12} more (policykg ask departments {goal})")
            for reg in ("财税〔2015〕119号", "绵府发〔2016〕13号"):
                cites = g.tasks_citing(reg)
                console.print(f"\n[bold]哪些任务引用了{reg}?[/bold]")
                for c in cites:
                    console.print(f"  {c.task_title} (lead {'、'.join(c.leads) or '—'}; {c.relation}) "
                                  f"[dim]{c.evidence.doc_title}[/dim]")
                    console.print(f"    “{c.evidence.short_quote(70)}”")
    except PolicyKGError as exc:
        _fail(exc)


if __name__ == "__main__":  # pragma: no cover
    app()
