"""``policykg``: a thin command line over graph_api (Typer + Rich).

Every command's help has an Example; output is a Rich table or ``--json``.
"""
from __future__ import annotations

import inspect
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable, List, Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from backends import names as backend_names
from interface.render import LazyConsole, make_console, print_cards, print_note, render_answer
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
#: the servers' own command line, ``python -m interface.services neo4j|sparql …``: the same commands
services_app = typer.Typer(add_completion=False, no_args_is_help=True,
                            help="Run the local servers: Neo4j and `oxigraph serve`.")
services_app.add_typer(neo4j_app, name="neo4j")
services_app.add_typer(sparql_app, name="sparql")
laws_app = typer.Typer(no_args_is_help=True, help="The laws corpus: laws, regulations, judicial interpretations, rules.")
app.add_typer(laws_app, name="laws")

console = LazyConsole()  # Rich on a terminal; plain text (no colour, no hard wrap) when piped
err = LazyConsole(stderr=True)

BackendOpt = typer.Option("embedded", "--backend", "-b", help=" | ".join(backend_names()))
JsonOpt = typer.Option(False, "--json", help="print JSON instead of a table")


def _fail(exc: Exception) -> None:
    err.print(f"[red]error:[/red] {exc}")
    raise typer.Exit(code=2)


def _on_graph(backend: str, fn: Callable[[Any], Any]) -> Any:
    """Open the backend, run ``fn(graph)``, close it; a policykg error is one clear line, exit code 2."""
    from interface.analyst import Analyst

    try:
        with Analyst(backend) as g:
            return fn(g)
    except PolicyKGError as exc:
        _fail(exc)


def _with_note(g: Any, answers: Any, kind: str, asked: str) -> tuple[Any, str]:
    """An answer and, when it is empty, what was searched and the nearest known names (an empty
    graph is an error naming `policykg build`)."""
    from interface.suggest import explain_empty

    return answers, ("" if answers else explain_empty(g, kind, asked))


def _inputs_exist(paths: List[Path]) -> None:
    """A missing input file is the first thing reported (before any option or work)."""
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        _fail(PolicyKGError(f"no such file or directory: {', '.join(missing)}"))


def _short(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(obj), ensure_ascii=False, indent=2) + "\n")


@app.command()
def build(paths: Optional[List[Path]] = typer.Argument(None, metavar="PATH", help="gazette files or folders (default: the bundled gazette)", show_default=False),
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

    _inputs_exist(paths or [])
    if fresh:
        reset_home()
    also = []
    if neo4j or os.environ.get("NEO4J_URI"):
        also.append("neo4j")
    if sparql:
        also.append("sparql")
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=make_console(stderr=True), transient=True) as bar:
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
    _print_stage_times(report.seconds)
    for w in report.warnings[:10]:
        err.print(f"[yellow]warning:[/yellow] {w}")


@ask_app.command("departments")
def ask_departments(goal: str = typer.Argument(..., metavar="GOAL", help="a goal keyword, e.g. 去库存"),
                    role: Optional[str] = typer.Option(None, "--role", help="lead | responsible"),
                    backend: str = BackendOpt, json_out: bool = JsonOpt) -> None:
    """Which departments are responsible for a goal?

    Example: policykg ask departments 住房公积金 --role lead
    """
    answers, note = _on_graph(backend, lambda g: _with_note(g, g.departments_for(goal, role=role), "task", goal))
    if json_out:
        _print_json(answers)
        return
    from interface.question_types import DEPARTMENTS

    console.print(f"departments for “{goal}” ({len(answers)})")
    print_cards(console, [DEPARTMENTS.row(a) for a in answers], [a.evidence for a in answers])
    print_note(console, note)


@ask_app.command("citing")
def ask_citing(regulation: str = typer.Argument(..., metavar="REGULATION", help="a document number or title fragment"),
               backend: str = BackendOpt, json_out: bool = JsonOpt) -> None:
    """Which tasks cite a regulation?

    Example: policykg ask citing 财税〔2015〕119号
    """
    answers, note = _on_graph(backend, lambda g: _with_note(g, g.tasks_citing(regulation), "citation", regulation))
    if json_out:
        _print_json(answers)
        return
    from interface.question_types import CITING

    console.print(f"tasks citing “{regulation}” ({len(answers)})")
    print_cards(console, [CITING.row(a) for a in answers], [a.evidence for a in answers])
    print_note(console, note)


@app.command()
def extract(paths: List[Path] = typer.Argument(..., metavar="PATH", help="text files or folders"),
            json_path: Optional[Path] = typer.Option(None, "--json", "--output", "-o", metavar="FILE",
                                                     help="write the JSON to FILE (default: standard output)")) -> None:
    """Extract documents, tasks, roles, targets, deadlines and citations as JSON (the gold shape).

    Example: policykg extract data/mianyang-gazette-2016-06.txt --json out.json
    """
    from graph_api import extract_to_json

    _inputs_exist(paths)
    try:
        data = extract_to_json(paths)
    except PolicyKGError as exc:
        _fail(exc)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if json_path is None or str(json_path) == "-":
        sys.stdout.write(text + "\n")
    else:
        json_path.write_text(text, encoding="utf-8")
        err.print(f"wrote {len(data['documents'])} documents, {len(data['tasks'])} tasks, "
                  f"{len(data['targets'])} targets, {len(data['citations'])} citations to {json_path}")


@app.command()
def evaluate(paths: List[Path] = typer.Argument(..., metavar="PATH", help="the text file(s) the gold describes"),
             gold: Optional[Path] = typer.Option(None, "--gold", help="gold JSON (shared/gold shape)"),
             coverage: bool = typer.Option(False, "--coverage", help="no gold: how much of the structure and "
                                           "duty language of PATH… became facts, per genre"),
             json_out: bool = JsonOpt) -> None:
    """Precision / recall / F1 per field of the extraction against a gold file (or --coverage without gold).

    Example: policykg evaluate --gold ../shared/gold/seed.json data/mianyang-gazette-2016-06.txt
             policykg evaluate --coverage ../shared/corpus/laws
    """
    from graph_api import extract_to_json
    from interface.evaluation import score

    if coverage:
        _inputs_exist([*paths])
        return _print_coverage(paths, json_out)
    if gold is None:
        _fail(PolicyKGError("give --gold GOLD.json, or --coverage to measure without gold"))
    _inputs_exist([*paths, gold])
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


def _print_coverage(paths: List[Path], json_out: bool) -> None:
    from interface.evaluation import coverage

    try:
        res = coverage(paths)
    except PolicyKGError as exc:
        _fail(exc)
    if json_out:
        _print_json(res)
        return
    t = Table("genre", "files", "duty articles → provisions", "markers → roles", "第X条 seen", "items seen",
              title="extraction coverage (no gold)")
    for genre, g in res["genres"].items():
        t.add_row(genre, str(g["files"]), *(f"{g[k + '_share']:.3f} ({g[c]}/{g[n]})" if g[n] else "–"
                                             for n, c, k in (("duty_articles", "duty_covered", "duty"),
                                                             ("markers", "markers_covered", "markers"),
                                                             ("articles", "articles_seen", "articles"),
                                                             ("items", "items_seen", "items"))))
    console.print(t)
    w = Table("file", "genre", "score", "duty", "markers", "第X条", "items", title="lowest coverage")
    for c in res["lowest"]:
        w.add_row(Path(c["path"]).name, c["genre"], f"{c['score']:.2f}", c["duty"], c["markers"], c["articles"],
                  c["items"])
    console.print(w)


@ask_app.command("agencies")
def ask_agencies(sector: str = typer.Argument(..., metavar="SECTOR", help="a generic role (财政部门), a sector label (财政) or code (finance)"),
                 within: Optional[str] = typer.Option(None, "--within", help="a jurisdiction, e.g. 四川省"),
                 backend: str = BackendOpt, json_out: bool = JsonOpt) -> None:
    """Which agencies belong to a sector or generic role, within a jurisdiction (by inference)?

    Example: policykg ask agencies 财政部门 --within 四川省
    """
    answers = _on_graph(backend, lambda g: g.agencies_in(sector, within=within))
    if json_out:
        _print_json(answers)
        return
    where = f" in {within}" if within else ""
    t = Table("agency", "jurisdiction", "level", "sector", "via role",
              title=f"agencies of “{sector}”{where} ({len(answers)})")
    for a in answers:
        t.add_row(a.agency, a.jurisdiction or "", a.level or "", f"{a.sector_label or ''} ({a.sector})", a.role or "")
    console.print(t)


@app.command()
def export(fmt: str = typer.Option("turtle", "--format", "-f", help="turtle | jsonld | nquads (also trig)"),
           output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                                 help="write to FILE (default: standard output)")) -> None:
    """Export the embedded store's RDF: Turtle (all graphs merged), JSON-LD (named graphs kept,
    Chinese written as is) or N-Quads (one named graph per document).

    Example: policykg export --format jsonld -o policykg.jsonld
    """
    from loaders.rdf_writer import EXPORT_FORMATS

    if fmt.lower() not in EXPORT_FORMATS:
        _fail(PolicyKGError(f"unknown format {fmt!r}; choose turtle, jsonld or nquads (or trig)"))
    data = _on_graph("embedded", lambda g: g.export_rdf(fmt))
    if output is None or str(output) == "-":
        sys.stdout.buffer.write(data)
        return
    output.write_bytes(data)
    err.print(f"wrote {len(data):,} bytes of {fmt} to {output}")


def _service_action(mod, action) -> None:
    """Run a server's start/stop, then print its status; errors are one clear line."""
    try:
        action()
    except PolicyKGError as exc:
        _fail(exc)
    _service_status(mod)



def _print_stage_times(seconds: dict[str, float]) -> None:
    """The seconds spent per stage of a build or a laws load, as a table."""
    t = Table("stage", "seconds", title="time per stage")
    for k, v in seconds.items():
        t.add_row(k, f"{v:.3f}")
    console.print(t)

def _service_status(mod) -> None:
    """A few readable lines: installed, running, where, logs, and who holds the ports."""
    from interface.services.ports import port_holder

    st = mod.status()
    for line in st.lines():
        console.print(line, markup=False)
    ports = mod.ports()
    for name, port in ports.items():
        console.print(f"  port {port} ({name}): {port_holder(port) or 'free'}", markup=False)
    if mod.__name__.endswith("oxigraph_server"):
        holder = port_holder(ports["sparql"]) or ""
        served = re.search(r"--location (\S+)", holder)
        if served and Path(served.group(1)).resolve() != mod.data_dir().resolve():
            console.print(f"  note: the running server serves {served.group(1)}, not this home's store; "
                          "stop it and start it again from this home to use its own", markup=False)
    else:
        console.print("  store: one database for every POLICYKG_HOME (Neo4j Community has one); builds replace "
                      "their own documents in it", markup=False)


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Install (Maven Central, first time) and start Neo4j Community on 127.0.0.1:7687 / :7474.

    Example: NEO4J_PASSWORD=secret policykg neo4j start
    """
    from interface.services import neo4j_server

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
    from interface.services import neo4j_server

    _service_action(neo4j_server, neo4j_server.stop)


@neo4j_app.command("import")
def neo4j_import(paths: Optional[List[Path]] = typer.Argument(None, metavar="PATH", help="gazette files or folders (default: the bundled gazette)", show_default=False),
                 laws: Optional[Path] = typer.Option(None, "--laws", metavar="DIR", help="also the laws corpus (as `policykg laws load DIR`)"),
                 laws_limit: Optional[int] = typer.Option(None, "--laws-limit", help="only the first N law files (sorted by path)"),
                 keep_csv: bool = typer.Option(False, "--keep-csv", help="keep the CSV files given to neo4j-admin"),
                 json_out: bool = JsonOpt) -> None:
    """First full load of the LOCAL Neo4j through `neo4j-admin database import` (offline, far faster than Bolt).

    REPLACES the whole database: refused unless NEO4J_URI is the local server this tool runs and its
    database is empty or a scratch one. The graph is the one `policykg build PATH --neo4j` then
    `policykg laws load DIR --neo4j` would write; Neo4j is stopped, imported, started, then given its
    indexes and derived facts. Later changes go over Bolt as usual (policykg build --neo4j).

    Example: policykg neo4j import data/ --laws ../shared/corpus/laws
    """
    import time

    from backends.neo4j import derive_after_import
    from interface.services import neo4j_server
    from loaders.neo4j_import import CsvGraph, bulk_import, check_target, default_directory, feed
    from policykg import config

    _inputs_exist(list(paths or []) + ([laws] if laws else []))
    sources = config.home() / "sources"

    def keep_text(source_id: str, text: str) -> None:  # the quotes of the answers, as a build keeps them
        sources.mkdir(parents=True, exist_ok=True)
        tmp = sources / f".{source_id}.txt.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(sources / f"{source_id}.txt")


    try:
        settings = config.neo4j_settings()
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=make_console(stderr=True), transient=True) as bar:
            task = bar.add_task("checking the target database", total=1)

            def progress(desc: str, i: int, n: int) -> None:
                bar.update(task, description=desc, completed=i, total=n)

            was_scratch = check_target(settings, neo4j_server)
            graph = CsvGraph(default_directory(neo4j_server))
            t0 = time.perf_counter()
            try:
                fed = feed(graph, list(paths or [config.BUNDLED_GAZETTE]), laws_root=laws, laws_limit=laws_limit,
                           progress=progress, keep_text=keep_text)
            except BaseException:  # nothing was stopped or imported: no half-written CSV left behind
                graph.discard()
                raise
            collect = time.perf_counter() - t0
            report = bulk_import(graph, settings=settings, server=neo4j_server, was_scratch=was_scratch,
                                 after_start=derive_after_import, progress=progress, keep_csv=keep_csv)
            report.seconds = {"extract and write CSV": collect, **report.seconds}
    except PolicyKGError as exc:
        _fail(exc)
    out = {"documents": fed.documents, "laws": fed.laws, "nodes": report.nodes, "relationships": report.relationships,
           "dropped_edges": report.dropped_edges, "csv_files": report.files, "csv_bytes": report.csv_bytes,
           "scratch_marker_kept": report.was_scratch, "seconds": report.seconds,
           "nodes_and_relationships_per_second": round(report.rate), "warnings": fed.warnings}
    if json_out:
        _print_json(out)
        return
    console.print(f"imported {fed.documents} documents and {fed.laws} laws → {report.nodes:,} nodes, "
                  f"{report.relationships:,} relationships into Neo4j at {settings.uri} "
                  f"({report.rate:,.0f} nodes+relationships/s, stop/import/start included)")
    _print_stage_times(report.seconds)
    for w in fed.warnings[:10]:
        err.print(f"[yellow]warning:[/yellow] {w}")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Is the local Neo4j installed and running?

    Example: policykg neo4j status
    """
    from interface.services import neo4j_server

    _service_status(neo4j_server)


@sparql_app.command("start")
def sparql_start() -> None:
    """Start `oxigraph serve` on 127.0.0.1:7878 and load the embedded graph into it.

    Example: policykg sparql start && policykg ask citing 财税〔2015〕119号 --backend sparql
    """
    from interface.services import oxigraph_server

    _service_action(oxigraph_server, oxigraph_server.start)


@sparql_app.command("stop")
def sparql_stop() -> None:
    """Stop the local SPARQL server.

    Example: policykg sparql stop
    """
    from interface.services import oxigraph_server

    oxigraph_server.stop()
    _service_status(oxigraph_server)


@sparql_app.command("status")
def sparql_status() -> None:
    """Is the local SPARQL server running?

    Example: policykg sparql status
    """
    from interface.services import oxigraph_server

    _service_status(oxigraph_server)


@laws_app.command("load")
def laws_load(path: Path = typer.Argument(..., metavar="PATH", help="the laws folder (<category>/<title>(<date>).md) or one .md file"),
              neo4j: bool = typer.Option(False, "--neo4j", help="also load into Neo4j (default when NEO4J_URI is set)"),
              limit: Optional[int] = typer.Option(None, "--limit", help="only the first N files (sorted by path)"),
              json_out: bool = JsonOpt) -> None:
    """Parse laws and load them: Law nodes, law-to-law citations, SAME_AS from cited documents.

    Re-loading a file replaces that law's subgraph only.

    Example: policykg laws load ../shared/corpus/laws --neo4j
    """
    import os

    from interface.analyst import Analyst

    also = ["neo4j"] if neo4j or os.environ.get("NEO4J_URI") else []
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=make_console(stderr=True), transient=True) as bar:
            task = bar.add_task("laws", total=1)

            def progress(desc: str, i: int, n: int) -> None:
                bar.update(task, description=_short(desc, 40), completed=i, total=n)

            with Analyst() as g:
                report = g.load_laws(path, also=also, limit=limit, progress=progress)
    except PolicyKGError as exc:
        _fail(exc)
    if json_out:
        _print_json(report)
        return
    console.print(f"loaded {report.files} laws, {report.citations} citations → {report.nodes} nodes, "
                  f"{report.edges} CITES ({report.law_to_law_edges} law to law), SAME_AS "
                  f"{', '.join(f'{k} {v}' for k, v in report.same_as.items())} into {', '.join(report.backends)}")
    _print_stage_times(report.seconds)
    for f, msg in report.errors[:10]:
        err.print(f"[yellow]skipped:[/yellow] {msg}")


@app.command()
def demo() -> None:
    """Build the graph from the bundled gazette (embedded store) and answer sample questions.

    Example: policykg demo
    """
    from interface.analyst import Analyst

    try:
        with Analyst() as g:
            report = g.build()
            console.print(f"[bold]built[/bold] {report.documents} documents, {report.tasks} tasks, "
                          f"{report.targets} targets, {report.citations} citations from the bundled gazette "
                          f"({sum(report.seconds.values()):.2f} s)")
            for goal in ("住房公积金", "去库存", "直接融资"):
                answers = g.departments_for(goal)
                by_task: dict[str, list] = {}
                for a in answers:
                    by_task.setdefault(a.task_id, []).append(a)
                leads = Counter(a.agency for a in answers if a.role == "lead")
                console.print(f"\n[bold]哪些部门负责“{goal}”?[/bold] {len(by_task)} tasks; leads: "
                              + "、".join(f"{n} ×{c}" for n, c in leads.most_common(4)))
                for task_answers in list(by_task.values())[:5]:
                    a0 = task_answers[0]
                    lead = "、".join(a.agency for a in task_answers if a.role == "lead") or "—"
                    shared = "、".join(a.agency for a in task_answers if a.role == "responsible")
                    console.print(f"  {_short(a0.task_title, 24)} — lead {lead}; shared {_short(shared, 30) or '—'}  "
                                  f"[dim]{a0.evidence.source}:{a0.evidence.start}-{a0.evidence.end}[/dim]")
                if len(by_task) > 5:
                    console.print(f"  … {len(by_task) - 5} more tasks (policykg ask departments {goal})")
            for reg in ("财税〔2015〕119号", "绵府发〔2016〕13号"):
                cites = g.tasks_citing(reg)
                console.print(f"\n[bold]哪些任务引用了{reg}?[/bold]")
                for c in cites:
                    console.print(f"  {c.task_title} (lead {'、'.join(c.leads) or '—'}; {c.relation}) "
                                  f"[dim]{c.evidence.doc_title}[/dim]")
                    console.print(f"    “{c.evidence.short_quote(70)}”")
    except PolicyKGError as exc:
        _fail(exc)


# ============================================================================
# issue 6: free questions, impact reports, deadlines, agencies, read-only queries, serve
# (this section: interface/questions.py, interface/report.py, loaders/reforms.py, interface/server.py)

CsvOpt = typer.Option(False, "--csv", help="print CSV instead of a table")


def _print_csv(rows: list[dict[str, Any]], columns: Optional[list[str]] = None) -> None:
    import csv

    cols = columns or (list(rows[0]) if rows else [])
    w = csv.DictWriter(sys.stdout, fieldnames=cols, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v if isinstance(v, (str, int, float)) else json.dumps(to_jsonable(v), ensure_ascii=False))
                    for k, v in r.items()})


def _flat(obj: Any) -> dict[str, Any]:
    """A model as one flat CSV row (evidence → source, start, end, document)."""
    d = to_jsonable(obj)
    out: dict[str, Any] = {}
    for k, v in d.items():
        if k == "evidence" and isinstance(v, dict):
            out.update({"document": v.get("doc_title") or v.get("doc_id"), "source": v.get("source"),
                        "start": v.get("start"), "end": v.get("end")})
        elif isinstance(v, dict) and k == "deadline":
            out.update({"deadline": v.get("text"), "deadline_date": v.get("date"), "deadline_kind": v.get("kind")})
        elif isinstance(v, list) and v and isinstance(v[0], dict) and "role" in v[0]:
            for role in ("lead", "responsible"):
                out[role] = "、".join(x.get("name") or "" for x in v if x.get("role") == role)
        elif isinstance(v, (list, dict)):
            out[k] = json.dumps(v, ensure_ascii=False)
        else:
            out[k] = v
    return out


class _AskGroup(typer.core.TyperGroup):
    """``policykg ask QUESTION`` and ``policykg ask departments X`` / ``ask citing Y``: a first argument
    that is not a subcommand (nor an option) is a free question."""

    def parse_args(self, ctx, args):  # type: ignore[override]
        first = args[0] if args else None
        if first is not None and first not in self.commands and first not in ("--help", "-h"):
            args = ["question", *args]  # ask "…" / ask --json "…" → ask question …
        return super().parse_args(ctx, args)


ask_app.info.cls = _AskGroup
ask_app.info.help = ('Ask the graph a question: a free question in Chinese or English '
                     '(policykg ask "哪些部门负责去库存？"), or one of the commands below.')


@ask_app.command("question")
def ask_question(question: List[str] = typer.Argument(..., metavar="QUESTION", help="a question in Chinese or English"),
                 backend: str = BackendOpt, json_out: bool = JsonOpt, csv_out: bool = CsvOpt,
                 show_query: bool = typer.Option(True, "--query/--no-query", help="print the SPARQL/Cypher it ran"),
                 limit: int = typer.Option(20, "--limit", help="rows in the table")) -> None:
    """A free question (the default when the first word is not departments/citing).

    Example: policykg ask "哪些部门负责去库存？"
    Example: policykg ask "who leads 去库存?" --backend neo4j --json
    """
    text = " ".join(question)
    a = _on_graph(backend, lambda g: g.ask(text))
    if json_out:
        _print_json(a)
        return
    if csv_out:
        _print_csv([_flat(i) for i in a.items])
        return
    render_answer(console, a, limit=limit)
    print_note(console, a.note)
    console.print(f"query {a.query} on {a.backend} ({a.query_language}) with "
                  f"{json.dumps(a.query_params, ensure_ascii=False)}", markup=False, style="dim")
    if show_query:
        console.print(a.query_text, markup=False, highlight=False, style="dim")


@app.command()
def impact(regulation: Optional[str] = typer.Argument(None, metavar="REGULATION", help="a document number or title (repeal / amend)", show_default=False),
           change: str = typer.Option("repeal", "--change", help="repeal | amend"),
           reform: Optional[Path] = typer.Option(None, "--reform", help="an agency-change file (JSON, or YAML)"),
           unit: Optional[List[str]] = typer.Option(None, "--unit", help="with --reform: only the changes of this unit "
                                                                          "(repeatable), e.g. --unit 市国税局"),
           expiry: bool = typer.Option(False, "--expiry", help="what lapses on which date (有效期, task windows)"),
           on: Optional[str] = typer.Option(None, "--on", help="a date (YYYY-MM-DD): deadlines open on it (repeal), "
                                                               "changes by then (reform), lapsed before it (expiry)"),
           html_path: Optional[Path] = typer.Option(None, "--html", help="also write an HTML report with a picture"),
           backend: str = BackendOpt, json_out: bool = JsonOpt, csv_out: bool = CsvOpt,
           limit: int = typer.Option(25, "--limit", help="tasks in the table")) -> None:
    """Cross-document impact: a repealed or amended regulation, an agency reform (机构改革), or expiry.

    Example: policykg impact 财税〔2015〕119号 --change repeal --html impact.html
    Example: policykg impact --reform data/reforms/mianyang-2018.json --unit 市国税局 --unit 市地税局
    Example: policykg impact --expiry --on 2022-01-01
    """
    from interface.analyst import Analyst
    from interface.report_render import item_rows, print_report, save_html, to_json

    modes = sum(x for x in (regulation is not None, reform is not None, expiry))
    if modes != 1:
        _fail(PolicyKGError("give exactly one of: REGULATION, --reform FILE, --expiry "
                            "(e.g. policykg impact 财税〔2015〕119号)"))
    try:
        with Analyst(backend) as g:
            if reform is not None:
                report = g.reform_impact(reform, on=on, units=unit or ())
            elif expiry:
                report = g.expiry(on=on)
            else:
                report = g.repeal_impact(regulation, change=change, on=on)
            note = ""
            if not report.items:  # nothing affected, or nothing built at all? (and what is near)
                from interface.suggest import ensure_not_empty, explain_empty

                ensure_not_empty(g)
                if regulation is not None:
                    note = explain_empty(g, ("citation", "document"), regulation)
    except PolicyKGError as exc:
        _fail(exc)
    if html_path is not None:
        save_html(report, html_path)
        err.print(f"wrote the HTML report to {html_path}")
    if json_out:
        sys.stdout.write(to_json(report) + "\n")
    elif csv_out:
        _print_csv(item_rows(report))
    else:
        print_report(console, report, limit=limit)
        print_note(console, note)


@app.command()
def deadlines(before: Optional[str] = typer.Option(None, "--before", help="due on or before (YYYY-MM-DD, 2016年底)"),
              after: Optional[str] = typer.Option(None, "--after", help="due on or after (YYYY-MM-DD)"),
              agency: Optional[str] = typer.Option(None, "--agency", help="only the tasks of this agency"),
              backend: str = BackendOpt, json_out: bool = JsonOpt, csv_out: bool = CsvOpt) -> None:
    """Tasks with a dated deadline, optionally on or before / after a date and for one agency.

    Example: policykg deadlines --before 2016-12-31 --agency 市国土资源局
    """
    from interface.analyst import Analyst
    from interface.questions import parse_when
    from policykg.dates import ALL_TIME, iso_or_none

    try:
        hi = parse_when(before).isoformat() if before else ALL_TIME[1]
        lo_iso = iso_or_none(after, "--after") or ALL_TIME[0]
        with Analyst(backend) as g:
            rows = g.deadlines((lo_iso, hi), agency=agency)
            note = "" if rows or not agency else _with_note(g, rows, "agency", agency)[1]
            if not rows:
                from interface.suggest import ensure_not_empty

                ensure_not_empty(g)
    except PolicyKGError as exc:
        _fail(exc)
    if json_out:
        _print_json(rows)
        return
    if csv_out:
        _print_csv([_flat(r) for r in rows])
        return
    from interface.question_types import DEADLINES

    console.print(f"deadlines {lo_iso} … {hi}" + (f" of {agency}" if agency else "") + f" ({len(rows)})")
    rows_shown = [dict(DEADLINES.row(r), responsible="、".join(a.name for a in r.agencies if a.role == "responsible"))
                  for r in rows]
    print_cards(console, rows_shown, [r.evidence for r in rows])
    print_note(console, note)


@app.command()
def agency(name: str = typer.Argument(..., metavar="AGENCY", help="a written or canonical name, or a fragment: 市财政局"),
           backend: str = BackendOpt, json_out: bool = JsonOpt, csv_out: bool = CsvOpt) -> None:
    """One agency: the tasks it leads or shares, their deadlines, and its successor after the 2018 reform.

    Example: policykg agency 市国税局
    """
    p, note = _on_graph(backend, lambda g: (lambda prof: (prof, "" if prof.tasks else
                                                            _with_note(g, [], "agency", name)[1]))(g.agency_profile(name)))
    if json_out:
        _print_json(p)
        return
    if csv_out:
        _print_csv([_flat(t) for t in p.tasks])
        return
    console.print(f"[bold]{name}[/bold]: {'、'.join(p.names) or '—'}"
                  + (f" ({'、'.join(p.canonical)})" if p.canonical else ""))
    console.print(f"leads {p.lead} tasks, shares {p.responsible}")
    for s in p.successors:
        console.print(f"after the 2018 reform: {s}")
    from interface.question_types import AGENCY_TASKS

    console.print(f"tasks ({len(p.tasks)})")
    print_cards(console, [AGENCY_TASKS.row(x) for x in p.tasks], [x.evidence for x in p.tasks])
    print_note(console, note)
    if p.deadlines:
        t = Table("date", "deadline", "task", title="deadlines of its tasks")
        for d in p.deadlines:
            t.add_row(d.deadline.date or "", d.deadline.text, _short(d.task_title, 30))
        console.print(t)


@app.command()
def query(sparql_text: Optional[str] = typer.Option(None, "--sparql", help="a SPARQL query (or @file.rq)"),
          cypher_text: Optional[str] = typer.Option(None, "--cypher", help="a Cypher query (or @file.cypher)"),
          backend: Optional[str] = typer.Option(None, "--backend", "-b",
                                                help="embedded | sparql for --sparql (default embedded); neo4j for --cypher"),
          json_out: bool = JsonOpt, csv_out: bool = CsvOpt) -> None:
    """Run your own read-only SPARQL (embedded store / SPARQL server) or Cypher (Neo4j); writes are refused.

    Example: policykg query --sparql "SELECT (COUNT(*) AS ?n) WHERE { ?t a <https://w3id.org/policykg/ontology#Task> }"
    Example: policykg query --cypher "MATCH (a:Agency)-[:LEADS]->(t:Task) RETURN a.name AS agency, count(t) AS n ORDER BY n DESC LIMIT 5"
    """
    if (sparql_text is None) == (cypher_text is None):
        _fail(PolicyKGError("give exactly one of --sparql TEXT or --cypher TEXT"))
    text = sparql_text if sparql_text is not None else cypher_text
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            _fail(PolicyKGError(f"cannot read {text[1:]}: {exc}"))
    name = backend or ("embedded" if sparql_text is not None else "neo4j")
    rows = _on_graph(name, lambda g: g.sparql(text) if sparql_text is not None else g.cypher(text))
    if json_out:
        _print_json(rows)
        return
    if csv_out:
        _print_csv(rows)
        return
    cols = list(rows[0]) if rows else []
    t = Table(*cols, title=f"{len(rows)} rows")
    for r in rows[:200]:
        t.add_row(*[_short("" if r[c] is None else str(r[c]), 50) for c in cols])
    console.print(t)
    if len(rows) > 200:
        console.print(f"… {len(rows) - 200} more (--json or --csv for all)")


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host", help="loopback only: 127.0.0.1, ::1 or localhost"),
          port: int = typer.Option(8765, "--port", help="TCP port (0: any free port)"),
          backend: str = BackendOpt) -> None:
    """A tiny read-only HTTP JSON API over graph_api on the loopback interface.

    GET /ask?q=…, /departments?goal=…, /citing?reg=…, /impact?reg=…&change=repeal, /deadlines?before=…,
    /agency?name=…, /targets?year=…, /health.

    Example: policykg serve --port 8765   then   curl 'http://127.0.0.1:8765/ask?q=哪些部门负责去库存'
    """
    from interface.server import make_server

    try:
        srv = make_server(host, port, backend)
    except PolicyKGError as exc:
        _fail(exc)
    h, p = srv.server_address[:2]
    err.print(f"policykg serving {backend} read-only on http://{h}:{p}/ — loopback only, other machines "
              "cannot reach it (Ctrl-C to stop)")
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()


# ============================================================================ end of issue 6 section


def _help_layout(typer_app: typer.Typer) -> None:
    """Every command's help: its description, then ``Examples:`` with one example per line (click would
    otherwise run them into the description); the command lists show the whole first sentence."""
    for info in typer_app.registered_commands:
        doc = inspect.getdoc(info.callback) or ""
        examples = [ln.split("Example:", 1)[1].strip() for ln in doc.splitlines() if ln.strip().startswith("Example:")]
        body = "\n".join(ln for ln in doc.splitlines() if not ln.strip().startswith("Example:")).rstrip()
        if examples:
            body += "\n\n\b\nExamples:\n" + "\n".join(f"  {e}" for e in examples)
        info.help = body
        info.short_help = _first_sentence(body)
    for group in typer_app.registered_groups:
        sub = group.typer_instance
        text = group.help or sub.info.help or ""
        if isinstance(text, str) and text:
            sub.info.short_help = group.short_help = _first_sentence(text)
        _help_layout(sub)


def _first_sentence(text: str) -> str:
    first = text.strip().split("\n\n")[0].replace("\n", " ")
    m = re.match(r"^(.+?[.?!])(?:\s|$)", first)
    return (m.group(1) if m else first).strip()


def _usage_name(self) -> str:
    """Usage lines as in man pages: REGULATION (required), [REGULATION] (optional), PATH... (several);
    this Typer writes {REGULATION} for a required argument."""
    name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
    return name + ("..." if self.nargs != 1 else "")


if hasattr(typer.core.TyperArgument, "_usage_display_name"):
    typer.core.TyperArgument._usage_display_name = _usage_name
_help_layout(app)


if __name__ == "__main__":  # pragma: no cover
    app()
