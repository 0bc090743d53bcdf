"""Impact reports shown: JSON, CSV, Rich tables, and a self-contained HTML page (Jinja2 template with
autoescape, ``interface/templates/report.html``; the picture from :mod:`interface.report_svg`).

Rendering only: every function here is a function of an :class:`~interface.report_model.ImpactReport`.
"""
from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from interface.report_model import ImpactReport, doc_label
from interface.report_svg import COLORS, FONT, to_svg
from policykg.answers import to_jsonable


def to_json(report: ImpactReport) -> str:
    return json.dumps(to_jsonable(report), ensure_ascii=False, indent=2)


CSV_COLUMNS = ("task_id", "task", "document", "how", "direct", "date", "certain", "lead", "responsible",
               "successors", "open_deadlines", "targets", "source")


def item_rows(report: ImpactReport) -> list[dict[str, str]]:
    rows = []
    for i in report.items:
        rows.append({
            "task_id": i.task_id, "task": i.task_title,
            "document": doc_label(i.doc_title, i.doc_number, i.doc_id), "how": i.how,
            "direct": "yes" if i.direct else "no", "date": i.date or "", "certain": "yes" if i.certain else "no",
            "lead": "、".join(a.name for a in i.agencies if a.role == "lead"),
            "responsible": "、".join(a.name for a in i.agencies if a.role == "responsible"),
            "successors": "、".join(sorted({f"{a.name}→{a.successor}" for a in i.agencies if a.successor})),
            "open_deadlines": "；".join(f"{d.text}" + (f" ({d.date})" if d.date else "") for d in i.deadlines),
            "targets": "；".join(i.targets),
            "source": f"{i.evidence.source}:{i.evidence.start}-{i.evidence.end}"})
    return rows


def to_csv(report: ImpactReport) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(item_rows(report))
    return buf.getvalue()


def _short(s: Optional[str], n: int) -> str:
    s = (s or "").replace("\n", "")
    return s if len(s) <= n else s[: n - 1] + "…"


def _mid(s: Optional[str], n: int) -> str:
    """Cut in the middle, keeping the distinctive end of a title: 绵阳市…降成本专项工作方案."""
    s = (s or "").replace("\n", "")
    if len(s) <= n:
        return s
    head = max(2, n // 4)
    return s[:head] + "…" + s[-(n - head - 1):]


def print_report(console: Any, report: ImpactReport, *, limit: Optional[int] = None) -> None:
    """Rich tables: summary, agencies or documents, affected tasks (one line per row)."""
    from rich.table import Table

    def table(*cols: tuple[str, Optional[int]], title: str) -> Table:
        t = Table(title=title)
        for name, width in cols:
            t.add_column(name, no_wrap=True, overflow="ellipsis", max_width=width)
        return t

    console.print(f"[bold]{report.title}[/bold]")
    s = Table(show_header=False, box=None, pad_edge=False)
    s.add_column(style="dim")
    s.add_column()
    for k, v in report.summary:
        s.add_row(k, v)
    console.print(s)
    if report.kind == "reform":
        t = table(("unit (as written)", None), ("lead", None), ("resp.", None), ("successor", 26), ("date", None),
                  ("kind", None), ("certain", None), title="units that changed, with the tasks they lead or share")
        for a in report.agencies:
            t.add_row(a.name, str(a.lead), str(a.responsible), a.successor or "", a.change_date or "", a.kind or "",
                      "yes" if a.certain else "no")
    else:
        t = table(("document", 40), ("how", 44), ("date", None), ("tasks", None), title="documents")
        for d in report.documents:
            t.add_row(_mid(doc_label(d.doc_title, d.doc_number, d.doc_id), 19), d.how, d.date or "", str(d.tasks))
    console.print(t)
    items = report.items if limit is None else report.items[:limit]
    title = f"affected tasks ({len(report.items)})"
    if report.kind == "reform":
        ceased_n = sum(1 for i in report.items if i.direct)
        title = (f"affected tasks ({len(report.items)}: {ceased_n} whose unit ceased, "
                 f"{len(report.items) - ceased_n} with duties partly moved)")
    leads = lambda i: "、".join(dict.fromkeys(a.name for a in i.agencies if a.role == "lead"))  # noqa: E731
    if report.kind == "reform":
        t = table(("task", 18), ("changed unit (role)", 28), ("successor", 24), ("open deadlines", 22), title=title)
        for i in items:
            ceased = [a for a in i.agencies if a.kind != "partial"]
            changed = [f"{'、'.join(dict.fromkeys(a.name for a in ceased if a.role == role))}（{label}）"
                       for role, label in (("lead", "牵头"), ("responsible", "责任"))
                       if any(a.role == role for a in ceased)] or \
                [f"{'、'.join(dict.fromkeys(a.name for a in i.agencies))}（部分）"]
            succ = list(dict.fromkeys(a.successor or "" for a in i.agencies if a.kind != "partial")) or \
                list(dict.fromkeys(a.successor or "" for a in i.agencies))
            t.add_row(i.task_title, "、".join(changed), "、".join(succ), "；".join(d.text for d in i.deadlines))
    elif report.kind == "expiry":
        t = table(("date", None), ("task", 22), ("why", 16), ("document", 28), ("lead", 14), title=title)
        for i in items:
            why = "document lapses" if i.how.startswith("lapses") else \
                "window ends" if i.how.startswith("its window") else "basis lapses"
            t.add_row(i.date or "", i.task_title, why, _mid(i.doc_title or i.doc_id, 13), leads(i))
    else:
        t = table(("task", 18), ("how", 16), ("lead", 14), ("responsible", 24), ("open deadlines", 22), title=title)
        for i in items:
            t.add_row(i.task_title, "cites it itself" if i.direct else "in its document", leads(i),
                      "、".join(dict.fromkeys(a.name for a in i.agencies if a.role == "responsible")),
                      "；".join(d.text for d in i.deadlines))
    console.print(t)
    if limit is not None and len(report.items) > limit:
        console.print(f"… {len(report.items) - limit} more (--json, --csv or --html for all)")
    for n in report.notes:
        console.print(f"note: {n}", style="dim")


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=False, lstrip_blocks=False)
    env.filters["tojson_cn"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


def to_html(report: ImpactReport) -> str:
    """A self-contained HTML page (no scripts, no external resources); every value is autoescaped."""
    from markupsafe import Markup

    kinds = sorted({n.kind for n in report.graph.nodes})
    return _environment().get_template("report.html").render(
        report=report, font=FONT, svg=Markup(to_svg(report.graph)),  # the SVG escapes its own text
        legend=[(k, *COLORS[k]) for k in kinds if k in COLORS],
        grouped=any(n.group for n in report.graph.nodes),
        n_direct=sum(1 for i in report.items if i.direct), doc_label=doc_label)


def save_html(report: ImpactReport, path: str | Path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(to_html(report), encoding="utf-8")
    return p
