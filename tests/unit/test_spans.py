"""Every extracted fact of the seed points back into the original text exactly."""
from __future__ import annotations

from policykg.model import Span


def _check(span: Span, text: str, what: str) -> None:
    assert 0 <= span.start <= span.end <= len(text), what
    assert text[span.start:span.end] == span.quote, what


def test_every_fact_has_an_exact_span(seed_extraction):
    ex = seed_extraction
    text = ex.source.text
    n = 0
    for d in ex.documents:
        _check(d.span, text, d.id); n += 1
    for p in ex.provisions:
        _check(p.span, text, p.id); n += 1
    for t in ex.tasks:
        _check(t.span, text, t.id); n += 1
        for a in t.lead + t.responsible:
            _check(a.span, text, f"{t.id} {a.name}"); n += 1
            # the written name is the original text minus layout (line breaks, page noise)
            assert a.span.quote.replace("\n", "").replace(" ", "").startswith(a.name[:1])
        for dl in t.deadlines:
            _check(dl.span, text, f"{t.id} {dl.text}"); n += 1
    for g in ex.targets:
        _check(g.span, text, g.id); n += 1
    for c in ex.citations:
        _check(c.span, text, c.id); n += 1
    for m in ex.mentions:
        _check(m.span, text, m.agency.name); n += 1
        _check(m.agency.span, text, m.agency.name); n += 1
    assert n > 800


def test_task_span_covers_its_title(seed_extraction):
    import re

    for t in seed_extraction.tasks:
        flat = re.sub(r"\s|[０-９]{1,3}\n", "", t.span.quote)
        assert t.title[:4] in flat or t.title[:4] in t.text, t.id
