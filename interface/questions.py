"""Questions in Chinese or English → a named query, by a small grammar of question types.

    >>> parse("哪些部门负责去库存？")
    Parsed(intent='departments', language='zh', params={'goal': '去库存'}, ...)
    >>> parse("tasks due before 2016-12-31").params
    {'before': datetime.date(2016, 12, 31)}

Each kind of question is one record in :mod:`interface.question_types` (patterns, parameter parser,
handler, main query, table row). A question is normalised (NFKC, Traditional → Simplified, polite
openings, particles and final punctuation dropped: :func:`normalise`), then the records' patterns
are tried in order; the first whose parser accepts the slots wins. :func:`answer` returns a
:class:`QuestionAnswer` with the items, a short answer in the question's language, the query name,
parameters and the SPARQL or Cypher text that ran — and, for an empty answer, what was searched and
the nearest known names (:mod:`interface.suggest`). A question no pattern fits raises a
:class:`~policykg.errors.QueryError` listing what can be asked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from interface.question_grammar import normalise, parse_when  # noqa: F401  (parse_when: used by the CLI, server)
from interface.question_types import BY_INTENT, REGISTRY
from interface.report import ImpactReport, QueryRun, trace_queries, unique_runs
from policykg.errors import QueryError


@dataclass(frozen=True)
class Parsed:
    intent: str
    language: str  # zh | en
    params: dict[str, Any]
    question: str  # normalised
    template: str  # the pattern that matched


@dataclass(frozen=True)
class QuestionAnswer:
    question: str
    intent: str
    language: str
    params: dict[str, Any]  # what the question asked, as understood
    answer: str  # a short answer in the question's language
    summary: tuple[tuple[str, int], ...]  # ranked counts (e.g. agencies by number of tasks led)
    items: tuple[Any, ...]  # the facade's models (DepartmentAnswer, CitingTask, …) or report items
    query: str  # the main named query
    query_params: dict[str, Any]  # its bound parameters (match form)
    query_language: str  # sparql | cypher
    query_text: str  # the SPARQL (with its VALUES block) or Cypher it ran
    backend: str
    queries: tuple[QueryRun, ...] = field(default=())  # every query that ran
    report: Optional[ImpactReport] = None  # impact questions
    note: str = ""  # an empty answer: what was searched and the nearest known names


def help_text() -> str:
    lines = ["You can ask (Chinese or English; Traditional characters too):"]
    for t in REGISTRY:
        zh = next((p.example for p in t.patterns if p.language == "zh"), "")
        en = next((p.example for p in t.patterns if p.language == "en"), "")
        lines.append(f"  {zh}  —  {en}")
    return "\n".join(lines)


def parse(question: str) -> Parsed:
    """The intent and parameters of a question; QueryError (listing what can be asked) when none fits."""
    q = normalise(question)
    if not q:
        raise QueryError("the question is empty.\n" + help_text())
    slot_error: Optional[QueryError] = None  # e.g. a date that cannot be read: reported if nothing else fits
    for t in REGISTRY:
        for p in t.patterns:
            m = re.fullmatch(p.regex, q, flags=re.I)
            if not m:
                continue
            try:
                params = t.params({k: v for k, v in m.groupdict().items() if v is not None})
            except QueryError as exc:
                slot_error = slot_error or exc
                continue
            if params is None:
                continue
            return Parsed(t.intent, _language(q, p.language), params, q, p.regex)
    if slot_error is not None:
        raise slot_error
    raise QueryError(f"I cannot parse the question “{question.strip()}”.\n" + help_text())


def _language(q: str, pattern_language: str) -> str:
    return "en" if pattern_language == "en" or re.match(r"^[A-Za-z]", q) else "zh"


def answer(g: Any, question: str) -> QuestionAnswer:
    """Parse ``question`` and answer it on ``g`` (a graph_api.PolicyGraph)."""
    from interface.suggest import explain_empty

    p = parse(question)
    kind = BY_INTENT[p.intent]
    zh = p.language == "zh"
    with trace_queries(g) as runs:
        reply = kind.handler(g, p.params, zh)
    runs = list(runs) or ([] if reply.report is None else list(reply.report.queries))
    main = next((r for r in runs if r.name == kind.query), runs[0] if runs else None)
    note = ""
    if not reply.items and reply.searched:
        kinds, asked = reply.searched
        note = explain_empty(g, kinds, asked, zh)
    return QuestionAnswer(
        question=question, intent=p.intent, language=p.language, params=_jsonable_params(p.params),
        answer=reply.text, summary=tuple(reply.summary), items=tuple(reply.items),
        query=main.name if main else kind.query, query_params=dict(main.params) if main else {},
        query_language=main.language if main else "", query_text=main.text if main else "",
        backend=getattr(g, "backend_name", ""), queries=unique_runs(runs), report=reply.report, note=note)


def item_row(intent: str, item: Any) -> dict[str, Any]:
    """The table row of one item of an answer to a question of ``intent``."""
    return BY_INTENT[intent].row(item)


def _jsonable_params(p: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in p.items()}
