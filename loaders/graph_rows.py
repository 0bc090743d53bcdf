"""Extraction → one neutral property graph (nodes and edges), shared by both writers.

The RDF writer and the Neo4j writer are both written from these rows, so the two
backends cannot drift apart: a node here is a resource with an ``rdf:type`` and
datatype properties in RDF, and a labelled node in Neo4j; an edge is an object
property (plus, where it carries provenance, a reified ``AgencyMention`` or
``Citation`` node) in RDF and a relationship in Neo4j.

Ids are deterministic and ASCII (source id + position), so re-loading a file
MERGEs onto the same nodes. Shared nodes (agencies, cited documents, sectors,
jurisdictions) get ids from their normalised names.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from loaders.text.normalize import to_simplified
from policykg.ids import short_hash
from policykg.model import AgencyRef, Extraction, Span


@dataclass(frozen=True)
class Node:
    id: str
    label: str  # Document | Provision | Task | Agency | Target | Deadline | CitedDocument | Sector | Jurisdiction
    props: dict[str, Any]
    source_id: Optional[str] = None  # owning source file; shared nodes have none


@dataclass(frozen=True)
class Edge:
    src: str
    type: str  # PART_OF | LEADS | SHARES | CITES | HAS_TARGET | DUE | IN_SECTOR | IN_JURISDICTION | MENTIONS | SUCCEEDED_BY
    dst: str
    props: dict[str, Any] = field(default_factory=dict)
    source_id: Optional[str] = None


@dataclass
class GraphRows:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    #: shared nodes an earlier batch of the same build wrote (id → label): edges may point at them,
    #: writers do not write them again (the first writing, e.g. the authority's, wins)
    known: dict[str, str] = field(default_factory=dict)
    #: the ids in ``known`` that are generic roles (财政部门: mentioned, never leading)
    known_generic: set[str] = field(default_factory=set)

    def extend(self, other: "GraphRows") -> None:
        self.nodes.extend(other.nodes)
        self.edges.extend(other.edges)
        self.known.update(other.known)
        self.known_generic |= other.known_generic


@dataclass(frozen=True)
class SourceGraph:
    """A source's whole graph in both store languages, for a shape that rows do not express (an
    agency reform's AgencyChange nodes): ``nquads`` all in the named graph ``graph`` (an RDF store
    drops that graph first), and ``cypher``, statements with their parameters that first delete
    what ``source_id`` owns (Neo4j runs them in one transaction). ``Backend.replace_graph`` takes it."""

    source_id: str
    graph: str
    nquads: bytes
    cypher: tuple[tuple[str, dict[str, Any]], ...]


def match_key(s: Optional[str]) -> str:
    """The form used to compare names and keywords: NFKC, Simplified, no spaces or 《》, unified brackets."""
    if not s:
        return ""
    s = unicodedata.normalize("NFKC", s)
    s = to_simplified(re.sub(r"\s+", "", s))
    s = s.replace("《", "").replace("》", "")
    return re.sub(r"[\[［(（【﹝]((?:19|20)\d{2})[\]］)）】﹞]", r"〔\1〕", s)


def agency_id(a: AgencyRef) -> str:
    return "agency-" + short_hash(match_key(a.canonical or a.name) + "|" + (a.jurisdiction or ""))


def cited_id(key: str) -> str:
    return "cited-" + short_hash(match_key(key))


def _span_props(s: Span) -> dict[str, Any]:
    return {"source": s.source_id, "start": s.start, "end": s.end, "quote": s.quote}


def rows_for(ex: Extraction) -> GraphRows:
    g = GraphRows()
    src = ex.source.id
    cites_by_doc_key: dict[tuple[str, str], str] = {}
    for c in ex.citations:
        cites_by_doc_key[(c.from_doc, match_key(c.cited))] = c.relation

    for d in ex.documents:
        g.nodes.append(Node(d.id, "Document", {
            "docNumber": d.doc_number, "title": d.title, "issuer": d.issuer,
            "issueDate": d.date.isoformat() if d.date else None, "docType": d.doc_type,
            "addressees": list(d.addressees), "validUntil": d.valid_until.isoformat() if d.valid_until else None,
            "matchKey": match_key(d.doc_number) if d.doc_number else match_key(d.title),
            "matchTitle": match_key(d.title) if d.title else None, **_span_props(d.span)},
            src))
        if d.parent_id:
            g.edges.append(Edge(d.id, "PART_OF", d.parent_id, {}, src))
    for p in ex.provisions:
        g.nodes.append(Node(p.id, "Provision", {"path": p.path, "label": p.label, "level": p.level,
                                                "heading": p.heading, **_span_props(p.span)}, src))
        g.edges.append(Edge(p.id, "PART_OF", p.doc_id, {}, src))
    seen_shared: set[str] = set()
    seen_agency: set[tuple[str, str]] = set()  # (agency, sector or jurisdiction) edges written

    def shared(node: Node) -> None:
        if node.id not in seen_shared:
            seen_shared.add(node.id)
            g.nodes.append(node)

    def agency_node(a: AgencyRef) -> str:
        aid = agency_id(a)
        shared(Node(aid, "Agency", {"name": a.canonical or a.name, "canonical": a.canonical,
                                    "jurisdiction": a.jurisdiction, "sector": a.sector, "level": a.level,
                                    "generic": a.generic, "matchKey": match_key(a.canonical or a.name)}))
        # an agency's sector and jurisdiction are facts of the shared agency, read from its name: shared
        # edges (no source), written once, not once per document that names the agency (at 100 copies a
        # busy agency had 400 IN_SECTOR relationships to its one sector, and every walk expanded them all)
        if a.sector:
            sid = "sector-" + a.sector
            shared(Node(sid, "Sector", {"name": a.sector}))
            if (aid, sid) not in seen_agency:
                seen_agency.add((aid, sid))
                g.edges.append(Edge(aid, "IN_SECTOR", sid, {}))
        if a.jurisdiction:
            jid = "jurisdiction-" + short_hash(a.jurisdiction)
            shared(Node(jid, "Jurisdiction", {"name": a.jurisdiction}))
            if (aid, jid) not in seen_agency:
                seen_agency.add((aid, jid))
                g.edges.append(Edge(aid, "IN_JURISDICTION", jid, {}))
        return aid

    for t in ex.tasks:
        g.nodes.append(Node(t.id, "Task", {
            "title": t.title, "text": t.text, "path": t.path, "taskKind": t.kind,
            "matchText": match_key(t.title + "\n" + t.text), **_span_props(t.span)}, src))
        g.edges.append(Edge(t.id, "PART_OF", t.provision_id or t.doc_id, {}, src))
        g.edges.append(Edge(t.id, "IN_DOCUMENT", t.doc_id, {}, src))  # direct, whatever the provision depth
        for role, refs in (("LEADS", t.lead), ("SHARES", t.responsible)):
            for k, a in enumerate(refs):
                aid = agency_node(a)
                g.edges.append(Edge(aid, role, t.id, {"name": a.name, "order": k, **_span_props(a.span)}, src))
        for k, dl in enumerate(t.deadlines):
            did = f"{t.id}-dl{k + 1}"
            g.nodes.append(Node(did, "Deadline", {
                "text": dl.text, "date": dl.date.isoformat() if dl.date else None, "kind": dl.kind,
                "relativeValue": dl.relative_value, "relativeUnit": dl.relative_unit, "anchor": dl.anchor,
                "recurring": dl.recurring, **_span_props(dl.span)}, src))
            g.edges.append(Edge(t.id, "DUE", did, {}, src))
        for key in t.cites:
            cid = cited_id(key)
            shared(Node(cid, "CitedDocument", _cited_props(key, ex)))
            relation = cites_by_doc_key.get((t.doc_id, match_key(key)), "refers_to")
            g.edges.append(Edge(t.id, "CITES", cid, {"relation": relation, **_span_props(t.span)}, src))
    for gl in ex.targets:
        g.nodes.append(Node(gl.id, "Target", {
            "text": gl.text, "metric": gl.metric, "comparator": gl.comparator, "value": float(gl.value),
            "unit": gl.unit, "year": gl.year, "kind": gl.kind, **_span_props(gl.span)}, src))
        g.edges.append(Edge(gl.task_id or gl.doc_id, "HAS_TARGET", gl.id, {}, src))
    for c in ex.citations:
        cid = cited_id(c.cited)
        shared(Node(cid, "CitedDocument", _cited_props(c.cited, ex)))
        g.edges.append(Edge(c.from_doc, "CITES", cid, {"relation": c.relation, **_span_props(c.span)}, src))
        if c.resolved_doc:
            g.edges.append(Edge(cid, "SAME_AS", c.resolved_doc, {}, src))
    for m in ex.mentions:
        aid = agency_node(m.agency)
        g.edges.append(Edge(aid, "MENTIONED_IN", m.doc_id, {"name": m.agency.name, "roleText": m.role_text,
                                                           **_span_props(m.span)}, src))
    return g


def _cited_props(key: str, ex: Extraction) -> dict[str, Any]:
    number = None
    title = None
    for c in ex.citations:
        if match_key(c.cited) == match_key(key):
            number, title = c.cited_number, c.cited_title
            break
    if number is None and not key.startswith("《"):
        number = key
    if title is None and key.startswith("《"):
        title = key.strip("《》")
    return {"key": key, "docNumber": number, "title": title, "matchKey": match_key(key),
            "matchTitle": match_key(title) if title else None}


def merge_rows(parts: Iterable[GraphRows], written: Optional[dict[str, Node]] = None) -> GraphRows:
    """One GraphRows of ``parts``; a shared node appears once (the first one wins).

    ``written`` (id → node) carries the shared nodes of earlier batches of one build across
    calls: they go into ``known`` instead of being written again; the new ones are added to it."""
    out = GraphRows()
    seen: dict[str, Node] = written if written is not None else {}
    before = set(seen) if written is not None else set()
    for p in parts:
        for n in p.nodes:
            if n.source_id is None:
                if n.id in seen:
                    if n.id in before and n.id not in out.known:
                        first = seen[n.id]
                        out.known[n.id] = first.label
                        if first.label == "Agency" and first.props.get("generic"):
                            out.known_generic.add(n.id)
                    continue
                seen[n.id] = n
            out.nodes.append(n)
        out.edges.extend(p.edges)
        out.known.update(p.known)
        out.known_generic |= p.known_generic
    return out
