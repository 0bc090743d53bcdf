"""Graph rows → RDF quads, one named graph per document, written straight into pyoxigraph.

IRIs are readable and ASCII: ``id:task/<source>-d7-t3``; Chinese stays in
labels. Every owned resource carries its provenance: ``prov:wasDerivedFrom`` the
source file, ``pkg:startOffset`` / ``pkg:endOffset`` / ``pkg:quote`` (the exact
original text) and an ``oa:TextPositionSelector``. Role assignments and
citations are reified (``pkg:AgencyMention``, ``pkg:Citation``) so the written
name and the sentence of each one stay answerable, beside the direct
``pkg:leads`` / ``pkg:implements`` triples that inference and queries use.

Each fact is in ONE named graph: a document's nodes and the edges they own in
``id:graph/<doc id>``; shared nodes (agencies, cited documents, sectors,
jurisdictions) in ``id:graph/shared``; a source file's own description
(``prov:Entity``, its identifier) in the graph of its first document
``id:graph/<source>-d1`` (a reload of the source drops all its ``<source>-d*`` graphs). An edge
goes with the source that stated it (:func:`edge_doc`).

:func:`quads` yields pyoxigraph quads (the load path: no rdflib, no N-Quads text);
:func:`to_dataset` gives the same quads as an rdflib Dataset (tests, export, SHACL).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, Optional

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from loaders.graph_rows import Edge, GraphRows, Node
from ontology.namespace import DATA, OA, PKG
from policykg.errors import BackendError, QueryError
from policykg.ids import short_hash

_CLASS = {
    "Document": PKG.PolicyDocument, "Provision": PKG.Provision, "Task": PKG.Task, "Agency": PKG.Agency,
    "Target": PKG.Target, "CitedDocument": PKG.ExternalDocument, "Sector": PKG.Sector,
    "Jurisdiction": PKG.Jurisdiction, "Law": PKG.Law,
}
_DEADLINE_CLASS = {"due": PKG.InstantDeadline, "window_end": PKG.WindowDeadline, "window_start": PKG.WindowDeadline,
                   "validity": PKG.InstantDeadline, "recurring": PKG.RecurringDeadline}
_RELATION = {"implements": PKG.implements, "based_on": PKG.basedOn, "refers_to": PKG.refersTo,
             "repeals": PKG.repeals, "continues": PKG.continues, "invalidates": PKG.invalidates,
             "amends": PKG.amends}
# datatype properties: row key → (term, datatype or "zh" for a Chinese literal)
_PROPS: dict[str, tuple[URIRef, Optional[object]]] = {
    "docNumber": (PKG.docNumber, None), "title": (PKG.title, "zh"), "issueDate": (PKG.issueDate, XSD.date),
    "docType": (PKG.docType, "zh"), "validUntil": (PKG.validUntil, XSD.date), "path": (PKG.path, None),
    "heading": (RDFS.label, "zh"), "taskKind": (PKG.taskKind, None), "text": (PKG.sourceText, "zh"),
    "metric": (PKG.metric, "zh"), "comparator": (PKG.comparator, None), "value": (PKG.value, XSD.decimal),
    "unit": (PKG.unit, None), "year": (PKG.targetYear, XSD.integer), "kind": (PKG.deadlineKind, None),
    "date": (PKG.deadlineDate, XSD.date), "relativeValue": (PKG.durationValue, XSD.decimal),
    "relativeUnit": (PKG.durationUnit, None), "matchText": (PKG.matchText, None), "matchKey": (PKG.matchKey, None),
    "matchTitle": (PKG.matchTitle, None), "key": (RDFS.label, None), "issuer": (PKG.issuerName, "zh"),
    "canonical": (SKOS.prefLabel, "zh"), "level": (PKG.agencyLevel, None), "name": (RDFS.label, "zh"),
}
# the same row key means another property on some labels
_LABEL_PROPS: dict[tuple[str, str], tuple[URIRef, Optional[object]]] = {
    ("Target", "kind"): (PKG.targetKind, None), ("Provision", "level"): (PKG.provisionLevel, None),
    ("Deadline", "recurring"): (PKG.recurrence, None), ("Deadline", "anchor"): (PKG.anchor, None),
    ("Sector", "name"): (SKOS.notation, None), ("Sector", "labelEn"): (RDFS.label, "en"),
    # laws corpus (loaders/laws.py)
    ("Law", "category"): (PKG.docType, "zh"), ("Law", "part"): (PKG.path, None),
    ("Law", "versionDate"): (PKG.versionDate, XSD.date), ("Law", "promulgated"): (PKG.issueDate, XSD.date),
    ("Law", "effective"): (PKG.inForceFrom, XSD.date), ("Law", "orderNumber"): (PKG.docNumber, None),
    ("Law", "articles"): (PKG.articleCount, XSD.integer), ("Law", "matchShort"): (PKG.matchKey, None),
}
# list-valued row keys of the agency authority (loaders/authority.py) → SKOS label properties
_LABEL_LISTS = {"altLabels": SKOS.altLabel, "hiddenLabels": SKOS.hiddenLabel}
_SPAN_KEYS = ("source", "start", "end", "quote")


def iri(node_id: str, label: str) -> URIRef:
    return DATA[f"{label.lower()}/{node_id}"]


def source_iri(source_id: str) -> URIRef:
    return DATA[f"source/{source_id}"]


def graph_iri(doc_id: Optional[str]) -> URIRef:
    return DATA[f"graph/{doc_id}"] if doc_id else DATA["graph/shared"]


_DATA = str(DATA)
_XSD_STRING = str(XSD.string)
_XSD_INTEGER = ox.NamedNode(str(XSD.integer))
_XSD_DOUBLE = ox.NamedNode(str(XSD.double))
_XSD_BOOLEAN = ox.NamedNode(str(XSD.boolean))
_DOC_IN_ID = re.compile(r"\d+")


@lru_cache(maxsize=4096)
def _n(term: str) -> ox.NamedNode:
    return ox.NamedNode(str(term))


class _Terms:
    """``T.startOffset`` → the pyoxigraph NamedNode of pkg:startOffset, made once (rdflib's
    Namespace makes a new URIRef at every attribute access: too slow for millions of quads)."""

    def __init__(self, ns) -> None:
        self._ns = ns

    def __getattr__(self, name: str) -> ox.NamedNode:
        node = ox.NamedNode(str(self._ns[name]))
        setattr(self, name, node)
        return node


P, O_A, PV, DCT, R, RS, SK, OW = (_Terms(PKG), _Terms(OA), _Terms(PROV), _Terms(DCTERMS), _Terms(RDF), _Terms(RDFS),
                                  _Terms(SKOS), _Terms(OWL))


def _iri_n(node_id: str, label: str) -> ox.NamedNode:
    return ox.NamedNode(f"{_DATA}{label.lower()}/{node_id}")


def _literal(value, kind) -> ox.Literal:
    if kind in ("zh", "en"):
        return ox.Literal(str(value), language=kind)
    if kind is None:
        if isinstance(value, bool):
            return ox.Literal("true" if value else "false", datatype=_XSD_BOOLEAN)
        if isinstance(value, int):
            return ox.Literal(str(value), datatype=_XSD_INTEGER)
        if isinstance(value, float):
            return ox.Literal(str(Literal(value)), datatype=_XSD_DOUBLE)  # rdflib's lexical form of a double
        return ox.Literal(str(value))
    if kind == XSD.decimal:
        v = float(value)
        return ox.Literal(repr(v) if not v.is_integer() else f"{v:.1f}", datatype=_n(XSD.decimal))
    return ox.Literal(str(value), datatype=_n(kind))


def _int(value) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_XSD_INTEGER)


def doc_of(node_id: str, source_id: Optional[str]) -> Optional[str]:
    """The document an owned node belongs to: ids are ``<source>-d<n>…`` (O(1), no scan of the documents)."""
    if not source_id or not node_id.startswith(source_id + "-d"):
        return None
    m = _DOC_IN_ID.match(node_id, len(source_id) + 2)
    return f"{source_id}-d{m.group(0)}" if m else None


class _Quads:
    """Collects the quads of one batch of rows (pyoxigraph terms)."""

    def __init__(self) -> None:
        self.out: list[ox.Quad] = []
        self._graphs: dict[Optional[str], ox.NamedNode] = {}
        self._sources: dict[str, ox.NamedNode] = {}

    def graph(self, doc: Optional[str]) -> ox.NamedNode:
        g = self._graphs.get(doc)
        if g is None:
            g = self._graphs[doc] = ox.NamedNode(str(graph_iri(doc)))
        return g

    def source(self, source_id: str) -> ox.NamedNode:
        """The source file's IRI; its description goes once into the graph of its first document."""
        src = self._sources.get(source_id)
        if src is None:
            src = self._sources[source_id] = ox.NamedNode(f"{_DATA}source/{source_id}")
            g = self.graph(f"{source_id}-d1")
            self.out.append(ox.Quad(src, DCT.identifier, ox.Literal(source_id), g))
            self.out.append(ox.Quad(src, R.type, PV.Entity, g))
        return src


def quads(rows: GraphRows) -> list[ox.Quad]:
    """The quads of ``rows`` (no inference: the stores re-derive it, :meth:`EmbeddedStore.materialize`).

    An edge needs both ends in ``rows.nodes`` or in ``rows.known`` (id → label of nodes written
    by an earlier batch)."""
    out: list[ox.Quad] = []
    for chunk in quad_chunks(rows):
        out.extend(chunk)
    return out


def quad_chunks(rows: GraphRows, size: int = 200_000) -> Iterator[list[ox.Quad]]:
    """:func:`quads` in lists of about ``size`` (a store loads them one by one: memory stays bounded
    when one load holds millions of quads, e.g. the whole laws corpus)."""
    w = _Quads()
    labels = dict(rows.known)
    owner_source: dict[str, Optional[str]] = {}
    generic = set()
    for n in rows.nodes:
        labels[n.id] = n.label
        owner_source[n.id] = n.source_id
        if n.label == "Agency" and n.props.get("generic"):
            generic.add(n.id)
    generic |= rows.known_generic
    for n in rows.nodes:
        doc = doc_of(n.id, n.source_id) if n.source_id else None
        _write_node(w, w.graph(doc), n)
        if len(w.out) >= size:
            yield w.out
            w.out = []
    for e in rows.edges:
        if e.src not in labels or e.dst not in labels:
            raise BackendError(f"edge {e.type} refers to a node not in the rows: {e.src} → {e.dst}")
        doc = edge_doc(e, owner_source)
        _write_edge(w, w.graph(doc), e, _iri_n(e.src, labels[e.src]), _iri_n(e.dst, labels[e.dst]),
                    e.src in generic)
        if len(w.out) >= size:
            yield w.out
            w.out = []
    if w.out:
        yield w.out


def _to_rdflib(t):
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    dt = t.datatype.value
    return Literal(t.value) if dt == _XSD_STRING else Literal(t.value, datatype=URIRef(dt))


def to_dataset(rows: GraphRows, ds: Optional[Dataset] = None) -> Dataset:
    """The quads of ``rows`` as an rdflib Dataset (tests, export, SHACL; not the load path). No inference:
    :func:`loaders.authority.inferred_dataset` adds it."""
    ds = ds if ds is not None else Dataset()
    ds.bind("pkg", PKG._NS)
    ds.bind("id", DATA)
    ds.bind("oa", OA)
    graphs: dict[str, Graph] = {}
    for q in quads(rows):
        g = graphs.get(q.graph_name.value)
        if g is None:
            g = graphs[q.graph_name.value] = ds.graph(URIRef(q.graph_name.value))
        g.add((_to_rdflib(q.subject), _to_rdflib(q.predicate), _to_rdflib(q.object)))
    return ds


def _write_node(w: _Quads, g: ox.NamedNode, n: Node) -> None:
    out = w.out
    s = _iri_n(n.id, n.label)
    if n.label == "Deadline":
        out.append(ox.Quad(s, R.type, _n(_DEADLINE_CLASS.get(n.props.get("kind") or "due", PKG.Deadline)), g))
        if n.props.get("relativeValue") is not None:
            out.append(ox.Quad(s, R.type, P.RelativeDeadline, g))
    elif n.label == "Agency" and n.props.get("generic"):
        out.append(ox.Quad(s, R.type, P.GenericRole, g))
    else:
        out.append(ox.Quad(s, R.type, _n(_CLASS[n.label]), g))
    out.append(ox.Quad(s, DCT.identifier, ox.Literal(n.id), g))
    for key, value in n.props.items():
        if value is None or key in _SPAN_KEYS or key in _SKIPPED_KEYS or key in _LABEL_LISTS:
            continue
        if n.label == "Deadline" and key == "text":
            out.append(ox.Quad(s, RS.label, ox.Literal(value, language="zh"), g))
            continue
        term, kind = _LABEL_PROPS.get((n.label, key)) or _PROPS.get(key) or _unknown_property(n, key)
        out.append(ox.Quad(s, _n(term), _literal(value, kind), g))
    for a in n.props.get("addressees") or ():
        out.append(ox.Quad(s, P.addressee, ox.Literal(a, language="zh"), g))
    for key, term in _LABEL_LISTS.items():
        for a in n.props.get(key) or ():
            out.append(ox.Quad(s, _n(term), ox.Literal(a, language="zh"), g))
    if n.props.get("source") is not None:
        _provenance(w, g, s, n.props)


def _unknown_property(n: Node, key: str):
    raise BackendError(f"{n.label} {n.id}: no RDF property for the row key {key!r} "
                       "(add it to _PROPS or _LABEL_PROPS in loaders/rdf_writer.py)")


_SKIPPED_KEYS = frozenset({"addressees", "generic", "order", "jurisdiction", "sector", "label"})


def _provenance(w: _Quads, g: ox.NamedNode, s: ox.NamedNode, props: dict) -> None:
    out = w.out
    out.append(ox.Quad(s, PV.wasDerivedFrom, w.source(props["source"]), g))
    out.append(ox.Quad(s, P.startOffset, _int(props["start"]), g))
    out.append(ox.Quad(s, P.endOffset, _int(props["end"]), g))
    out.append(ox.Quad(s, P.quote, ox.Literal(props["quote"]), g))
    sel = ox.NamedNode(s.value + "#selector")
    out.append(ox.Quad(s, O_A.hasSelector, sel, g))
    out.append(ox.Quad(sel, R.type, O_A.TextPositionSelector, g))
    out.append(ox.Quad(sel, O_A.start, _int(props["start"]), g))
    out.append(ox.Quad(sel, O_A.end, _int(props["end"]), g))


def edge_doc(e: Edge, owner_source: dict[str, Optional[str]]) -> Optional[str]:
    """The document whose graph holds an edge: that of an end owned by the source that stated the edge
    (the start first); for an edge a source states between nodes it does not own (a SAME_AS from a
    shared cited document to another source's document), the graph of that source's first document, so
    the edge goes with the source that stated it, as in Neo4j (``sourceId``); without a source (the
    authority's and an agency's own classification), the graph of an owned end, else the shared graph."""
    for end in (e.src, e.dst):
        owner = owner_source.get(end)
        if owner and (e.source_id is None or owner == e.source_id):
            doc = doc_of(end, owner)
            if doc:
                return doc
    return f"{e.source_id}-d1" if e.source_id else None


def _write_edge(w: _Quads, g: ox.NamedNode, e: Edge, s: ox.NamedNode, o: ox.NamedNode, generic: bool = False) -> None:
    out = w.out

    def add(a, p, b) -> None:
        out.append(ox.Quad(a, p, b, g))

    t = e.type
    if t == "PART_OF":
        add(s, P.partOf, o)
    elif t == "IN_DOCUMENT":
        add(s, P.taskOf, o)
        add(o, P.hasTask, s)
    elif t in ("LEADS", "SHARES"):
        if not generic:  # a generic role (财政部门) is only mentioned; it is no agency that can lead
            add(s, P.leads if t == "LEADS" else P.sharesResponsibilityFor, o)
            add(s, P.responsibleFor, o)
        m = ox.NamedNode(f"{o.value}/role/{'lead' if t == 'LEADS' else 'responsible'}/{e.props.get('order', 0)}")
        add(o, P.mentions, m)
        add(m, R.type, P.AgencyMention)
        add(m, P.mentionOf, s)
        add(m, P.role, ox.Literal("lead" if t == "LEADS" else "responsible"))
        add(m, P.writtenName, ox.Literal(e.props["name"], language="zh"))
        _provenance(w, g, m, e.props)
    elif t == "MENTIONED_IN":
        m = ox.NamedNode(f"{o.value}/mention/{e.props['start']}-{e.props['end']}/{short_hash(e.props['name'], 8)}")
        add(o, P.mentions, m)
        add(m, R.type, P.AgencyMention)
        add(m, P.mentionOf, s)
        add(m, P.role, ox.Literal("duty"))
        add(m, P.writtenName, ox.Literal(e.props["name"], language="zh"))
        add(m, RS.comment, ox.Literal(e.props["roleText"], language="zh"))
        _provenance(w, g, m, e.props)
    elif t == "CITES":
        rel = e.props.get("relation", "refers_to")
        add(s, _n(_RELATION.get(rel, PKG.refersTo)), o)
        add(s, P.cites, o)
        c = ox.NamedNode(f"{s.value}/citation/{o.value.rsplit('/', 1)[-1]}")
        add(s, P.hasCitation, c)
        add(c, R.type, P.Citation)
        add(c, P.citedResource, o)
        add(c, P.relation, ox.Literal(rel))
        _provenance(w, g, c, e.props)
    elif t == "HAS_TARGET":
        add(s, P.hasTarget, o)
    elif t == "DUE":
        add(s, P.hasDeadline, o)
    elif t == "IN_SECTOR":  # between two sectors (authority file): the narrower one's skos:broader
        add(s, SK.broader if s.value.startswith(_DATA + "sector/") else P.sector, o)
    elif t == "IN_JURISDICTION":  # between two jurisdictions: the smaller one lies within the larger
        add(s, P.withinJurisdiction if s.value.startswith(_DATA + "jurisdiction/") else P.jurisdiction, o)
    elif t == "SAME_AS":
        add(s, OW.sameAs, o)
    elif t == "SUCCEEDED_BY":
        add(s, P.succeededBy, o)
    else:
        raise BackendError(f"unknown edge type {t!r}")


def to_nquads(ds: Dataset) -> bytes:
    return ds.serialize(format="nquads", encoding="utf-8")


def quads_to_nquads(qs: list[ox.Quad]) -> bytes:
    """N-Quads of pyoxigraph quads (for a SPARQL server's Graph Store Protocol)."""
    return ox.serialize(qs, format=ox.RdfFormat.N_QUADS)


# the RDF export (`policykg export`, issue 4)
EXPORT_FORMATS = {"turtle": "turtle", "ttl": "turtle", "trig": "trig", "jsonld": "json-ld", "json-ld": "json-ld",
                  "nquads": "nquads", "nq": "nquads"}


def serialize_dataset(nquads: bytes, fmt: str) -> bytes:
    """N-Quads (a store's dump) → ``turtle`` (the union of the graphs: Turtle has no named graphs),
    ``trig``, ``jsonld`` (named graphs kept, prefixes as a compact @context, CJK not escaped)
    or ``nquads`` (as is)."""
    from rdflib.namespace import ORG

    kind = EXPORT_FORMATS.get(fmt.lower().strip())
    if kind is None:
        raise QueryError(f"unknown export format {fmt!r}; choose turtle, trig, jsonld or nquads")
    if kind == "nquads":
        return nquads
    from rdflib.namespace import NamespaceManager

    ds = Dataset()
    ds.namespace_manager = NamespaceManager(ds, bind_namespaces="core")  # not rdflib's 30 default prefixes
    ds.parse(data=nquads, format="nquads")
    prefixes = (("pkg", PKG._NS), ("id", DATA), ("oa", OA), ("prov", PROV), ("dcterms", DCTERMS), ("skos", SKOS),
                ("org", ORG), ("owl", OWL), ("xsd", XSD), ("rdfs", RDFS), ("rdf", RDF))
    for prefix, ns in prefixes:
        ds.bind(prefix, ns, override=True)
    if kind == "turtle":
        g = Graph(bind_namespaces="core")
        for prefix, ns in ds.namespaces():
            g.bind(prefix, ns, override=True)
        for s, p, o, _c in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g.serialize(format="turtle", encoding="utf-8")
    if kind == "json-ld":
        context = {prefix: str(ns) for prefix, ns in prefixes}
        return ds.serialize(format="json-ld", encoding="utf-8", ensure_ascii=False, context=context, indent=1)
    return ds.serialize(format=kind, encoding="utf-8")
