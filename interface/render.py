"""Terminal output shared by the CLI's commands: consoles, and answers shown with their evidence.

* On a terminal, Rich wraps to its width; piped (or redirected) output is plain text with no colour,
  no hard wrap (a line is as long as its content) and no Rich highlighter (which coloured the digits
  of spans such as ``…06:19828-20052`` in three colours). ``COLUMNS`` still sets a width when given.
* :func:`print_cards` shows each item of an answer as a small block — its title, the fields of its
  row, the document and span, and the quoted source text — that wraps at any width instead of being
  cut to ``落实税收优…`` in a table cell.
"""
from __future__ import annotations

import os
import sys
from typing import Any, Iterable, Optional

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

#: characters of the source text quoted under each answer (``--json`` has it whole)
QUOTE_CHARS = 160
#: the width of piped output: wide enough that no line is wrapped or table cell cut
PIPE_WIDTH = 4000


def make_console(stderr: bool = False, stream: Any = None) -> Console:
    """A console for the current stdout / stderr: Rich on a terminal, plain text when piped."""
    stream = stream if stream is not None else (sys.stderr if stderr else sys.stdout)
    tty = bool(getattr(stream, "isatty", lambda: False)())
    if tty:
        return Console(file=stream, highlight=False)
    width = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else PIPE_WIDTH
    return Console(file=stream, highlight=False, soft_wrap=not os.environ.get("COLUMNS"), width=width,
                   no_color=True, color_system=None, emoji=False)


class LazyConsole:
    """A console made anew for whatever ``sys.stdout`` / ``sys.stderr`` is at print time (the CLI's
    module-level consoles must follow a redirected stream, e.g. under a test runner)."""

    def __init__(self, stderr: bool = False):
        self._stderr = stderr

    def _current(self) -> Console:
        return make_console(self._stderr)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._current(), name)


def card(index: int, row: dict[str, Any], evidence: Any = None, quote_chars: int = QUOTE_CHARS) -> list[Any]:
    """The lines of one answer: ``1. title``, its fields, ``document · source:start-end``, the quote."""
    values = {k: ("" if v is None else str(v)) for k, v in row.items()}
    keys = list(values)
    title_key = keys[0] if keys else ""
    head = Text(f"{index}. ", style="bold")
    head.append(values.get(title_key, ""), style="bold")
    lines: list[Any] = [head]
    fields = [f"{k} {v}" for k, v in values.items() if k not in (title_key, "document", "span") and v]
    if fields:
        lines.append(Padding(Text(" · ".join(fields)), (0, 0, 0, 3), expand=False))
    where = " · ".join(x for x in (values.get("document", ""), values.get("span", "")) if x)
    if where:
        lines.append(Padding(Text(where, style="cyan"), (0, 0, 0, 3), expand=False))
    quote = (getattr(evidence, "quote", None) or "").replace("\n", "").replace("\r", "")
    if quote:
        q = quote if len(quote) <= quote_chars else quote[: quote_chars - 1] + "…"
        lines.append(Padding(Text(f"“{q}”", style="dim"), (0, 0, 0, 3), expand=False))
    return lines


def print_cards(console: Any, rows: Iterable[dict[str, Any]], evidences: Iterable[Any], *,
                total: Optional[int] = None, more_hint: str = "--json or --csv for all") -> None:
    rows, evidences = list(rows), list(evidences)
    for i, (row, ev) in enumerate(zip(rows, evidences), 1):
        for line in card(i, row, ev):
            console.print(line)
    if total is not None and total > len(rows):
        console.print(f"… {total - len(rows)} more ({more_hint})")


def print_note(console: Any, note: str) -> None:
    if note:
        console.print(Text(note, style="yellow"))


def render_answer(console: Any, a: Any, *, limit: int = 20) -> None:
    """A free question's answer (:class:`interface.questions.QuestionAnswer`): the question, the short
    answer, the ranked counts, then each item with its evidence."""
    from rich.table import Table

    from interface.questions import item_row

    console.print(Text(a.question, style="bold"))
    console.print(Text(a.answer))
    if a.summary:
        t = Table(show_header=False, box=None)
        t.add_column(overflow="fold")
        t.add_column(justify="right")
        for k, v in a.summary[:limit]:
            t.add_row(k, str(v))
        console.print(t)
    if a.items:
        shown = a.items[:limit]
        print_cards(console, [item_row(a.intent, i) for i in shown], [getattr(i, "evidence", None) for i in shown],
                    total=len(a.items), more_hint=f"--limit {len(a.items)}, --json or --csv for all")
