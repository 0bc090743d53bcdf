"""The extraction JSON (the shape of ``shared/gold/README.md``), with spans kept.

This is how extraction is measured (``policykg extract --json``) and what the
evaluation command compares with gold files. Extra keys (spans, canonical names)
are ignored by the scorer and keep every fact traceable to its source.
"""
from __future__ import annotations

from typing import Any

from policykg.model import AgencyRef, Deadline, Extraction, Span


def _span(s: Span) -> dict[str, Any]:
    return {"source": s.source_id, "start": s.start, "end": s.end}


def _agency(a: AgencyRef) -> dict[str, Any]:
    d: dict[str, Any] = {"name": a.name, "span": _span(a.span)}
    if a.canonical:
        d["canonical"] = a.canonical
    if a.generic:
        d["generic"] = True
    if a.sector:
        d["sector"] = a.sector
    return d


def _deadline(d: Deadline) -> dict[str, Any]:
    out: dict[str, Any] = {"text": d.text, "date": d.date.isoformat() if d.date else None, "kind": d.kind,
                           "span": _span(d.span)}
    if d.relative_value is not None:
        out["relative"] = f"{d.relative_value:g} {d.relative_unit}"
    if d.recurring:
        out["recurring"] = d.recurring
    if d.uncertain:
        out["uncertain"] = True
    return out


def to_gold_shape(ex: Extraction) -> dict[str, Any]:
    return {
        "source": {"id": ex.source.id, "path": ex.source.path, "encoding": ex.source.encoding,
                   "sha256": ex.source.sha256},
        "documents": [{
            "id": d.id, "doc_number": d.doc_number, "title": d.title, "issuer": d.issuer,
            "date": d.date.isoformat() if d.date else None, "type": d.doc_type,
            "addressees": list(d.addressees), "parent": d.parent_id, "span": _span(d.span),
        } for d in ex.documents],
        "tasks": [{
            "id": t.id, "doc": t.doc_id, "path": t.path, "title": t.title, "text": t.text, "kind": t.kind,
            "lead": [a.name for a in t.lead], "responsible": [a.name for a in t.responsible],
            "cites": list(t.cites), "deadlines": [_deadline(d) for d in t.deadlines],
            "agencies": [dict(_agency(a), role="lead") for a in t.lead] +
                        [dict(_agency(a), role="responsible") for a in t.responsible],
            "span": _span(t.span),
        } for t in ex.tasks],
        "targets": [{
            "id": g.id, "doc": g.doc_id, "task": g.task_id, "text": g.text, "metric": g.metric,
            "comparator": g.comparator, "value": g.value, "unit": g.unit, "year": g.year, "kind": g.kind,
            "span": _span(g.span),
        } for g in ex.targets],
        "citations": [{
            "id": c.id, "from_doc": c.from_doc, "cited": c.cited, "cited_title": c.cited_title,
            "relation": c.relation, "task": c.task_id, "resolved_doc": c.resolved_doc, "span": _span(c.span),
        } for c in ex.citations],
        "agency_mentions": [{
            "doc": m.doc_id, "name": m.agency.name, "role_text": m.role_text, "generic": m.agency.generic,
            "canonical": m.agency.canonical, "span": _span(m.span),
        } for m in ex.mentions],
        "warnings": list(ex.warnings),
    }


def merge(shapes: list[dict[str, Any]]) -> dict[str, Any]:
    """Several files' extractions in one JSON (ids are unique per source)."""
    out: dict[str, Any] = {"sources": [], "documents": [], "tasks": [], "targets": [], "citations": [],
                           "agency_mentions": [], "warnings": []}
    for s in shapes:
        out["sources"].append(s["source"])
        for k in ("documents", "tasks", "targets", "citations", "agency_mentions", "warnings"):
            out[k].extend(s[k])
    return out
