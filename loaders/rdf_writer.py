"""Graph rows → RDF (rdflib Dataset), one named graph per document.

IRIs are readable and ASCII: ``id:task/<source>-d7-t3``; Chinese stays in
labels. Every owned resource carries its provenance: ``prov:wasDerivedFrom`` the
source file, ``pkg:startOffset`` / ``pkg:endOffset`` / ``pkg:quote`` (the exact
original text) and an ``oa:TextPositionSelector``. Role assignments and
citations are reified (``pkg:AgencyMention``, ``pkg:Citation``) so the written
name and the sentence of each one stay answerable, beside the direct
``pkg:leads`` / ``pkg:implements`` triples that inference and queries use.
"""
from __future__ import annotations

from typing import Optional

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


def _literal(value, kind) -> Literal:
    if kind in ("zh", "en"):
        return Literal(str(value), lang=kind)
    if kind is None:
        return Literal(value) if isinstance(value, (int, float, bool)) else Literal(str(value))
    if kind == XSD.decimal:
        return Literal(repr(float(value)) if not float(value).is_integer() else f"{float(value):.1f}", datatype=XSD.decimal)
    return Literal(str(value), datatype=kind)


def _doc_of(node_id: str, doc_ids: list[str]) -> Optional[str]:
    """The document an owned node belongs to: the longest document id that prefixes its id."""
    best = None
    for d in doc_ids:
        if (node_id == d or node_id.startswith(d + "-")) and (best is None or len(d) > len(best)):
            best = d
    return best


def to_dataset(rows: GraphRows, ds: Optional[Dataset] = None) -> Dataset:
    """The RDF of ``rows`` (no inference: :func:`loaders.authority.inferred_dataset` adds it)."""
    ds = ds if ds is not None else Dataset()
    ds.bind("pkg", PKG._NS)
    ds.bind("id", DATA)
    ds.bind("oa", OA)
    labels = {n.id: n.label for n in rows.nodes}
    generic = {n.id for n in rows.nodes if n.label == "Agency" and n.props.get("generic")}
    doc_ids = sorted((n.id for n in rows.nodes if n.label in ("Document", "Law")), key=len, reverse=True)
    graphs: dict[Optional[str], Graph] = {}

    def g_for(node_id: Optional[str]) -> Graph:
        doc = _doc_of(node_id, doc_ids) if node_id else None
        if doc not in graphs:
            graphs[doc] = ds.graph(graph_iri(doc))
        return graphs[doc]

    for n in rows.nodes:
        _write_node(g_for(n.id if n.source_id else None), n)
    for e in rows.edges:
        if e.src not in labels or e.dst not in labels:
            raise BackendError(f"edge {e.type} refers to a node not in the rows: {e.src} → {e.dst}")
        src_label, dst_label = labels[e.src], labels[e.dst]
        owner = e.src if _doc_of(e.src, doc_ids) else (e.dst if _doc_of(e.dst, doc_ids) else None)
        _write_edge(g_for(owner), e, iri(e.src, src_label), iri(e.dst, dst_label), e.src in generic)
    return ds


def _write_node(g: Graph, n: Node) -> None:
    s = iri(n.id, n.label)
    if n.label == "Deadline":
        g.add((s, RDF.type, _DEADLINE_CLASS.get(n.props.get("kind") or "due", PKG.Deadline)))
        if n.props.get("relativeValue") is not None:
            g.add((s, RDF.type, PKG.RelativeDeadline))
    elif n.label == "Agency" and n.props.get("generic"):
        g.add((s, RDF.type, PKG.GenericRole))
    else:
        g.add((s, RDF.type, _CLASS[n.label]))
    g.add((s, DCTERMS.identifier, Literal(n.id)))
    for key, value in n.props.items():
        if value is None or key in _SPAN_KEYS or key in ("addressees", "generic", "order", "jurisdiction", "sector",
                                                         "label") or key in _LABEL_LISTS:
            continue
        if n.label == "Deadline" and key == "text":
            g.add((s, RDFS.label, Literal(value, lang="zh")))
            continue
        term, kind = _LABEL_PROPS.get((n.label, key)) or _PROPS.get(key) or _unknown_property(n, key)
        g.add((s, term, _literal(value, kind)))
    for a in n.props.get("addressees") or ():
        g.add((s, PKG.addressee, Literal(a, lang="zh")))
    for key, term in _LABEL_LISTS.items():
        for a in n.props.get(key) or ():
            g.add((s, term, Literal(a, lang="zh")))
    if n.props.get("source") is not None:
        _provenance(g, s, n.props)


def _unknown_property(n: Node, key: str):
    raise BackendError(f"{n.label} {n.id}: no RDF property for the row key {key!r} "
                       "(add it to _PROPS or _LABEL_PROPS in loaders/rdf_writer.py)")


def _provenance(g: Graph, s: URIRef, props: dict) -> None:
    src = source_iri(props["source"])
    g.add((s, PROV.wasDerivedFrom, src))
    g.add((src, DCTERMS.identifier, Literal(props["source"])))
    g.add((src, RDF.type, PROV.Entity))
    g.add((s, PKG.startOffset, Literal(int(props["start"]))))
    g.add((s, PKG.endOffset, Literal(int(props["end"]))))
    g.add((s, PKG.quote, Literal(props["quote"])))
    sel = URIRef(str(s) + "#selector")
    g.add((s, OA.hasSelector, sel))
    g.add((sel, RDF.type, OA.TextPositionSelector))
    g.add((sel, OA.start, Literal(int(props["start"]))))
    g.add((sel, OA.end, Literal(int(props["end"]))))


def _write_edge(g: Graph, e: Edge, s: URIRef, o: URIRef, generic: bool = False) -> None:
    t = e.type
    if t == "PART_OF":
        g.add((s, PKG.partOf, o))
    elif t == "IN_DOCUMENT":
        g.add((s, PKG.taskOf, o))
        g.add((o, PKG.hasTask, s))
    elif t in ("LEADS", "SHARES"):
        if not generic:  # a generic role (财政部门) is only mentioned; it is no agency that can lead
            g.add((s, PKG.leads if t == "LEADS" else PKG.sharesResponsibilityFor, o))
            g.add((s, PKG.responsibleFor, o))
        m = URIRef(f"{o}/role/{'lead' if t == 'LEADS' else 'responsible'}/{e.props.get('order', 0)}")
        g.add((o, PKG.mentions, m))
        g.add((m, RDF.type, PKG.AgencyMention))
        g.add((m, PKG.mentionOf, s))
        g.add((m, PKG.role, Literal("lead" if t == "LEADS" else "responsible")))
        g.add((m, PKG.writtenName, Literal(e.props["name"], lang="zh")))
        _provenance(g, m, e.props)
    elif t == "MENTIONED_IN":
        m = URIRef(f"{o}/mention/{e.props['start']}-{e.props['end']}/{short_hash(e.props['name'], 8)}")
        g.add((o, PKG.mentions, m))
        g.add((m, RDF.type, PKG.AgencyMention))
        g.add((m, PKG.mentionOf, s))
        g.add((m, PKG.role, Literal("duty")))
        g.add((m, PKG.writtenName, Literal(e.props["name"], lang="zh")))
        g.add((m, RDFS.comment, Literal(e.props["roleText"], lang="zh")))
        _provenance(g, m, e.props)
    elif t == "CITES":
        rel = e.props.get("relation", "refers_to")
        g.add((s, _RELATION.get(rel, PKG.refersTo), o))
        g.add((s, PKG.cites, o))
        c = URIRef(f"{s}/citation/{o.rsplit('/', 1)[-1]}")
        g.add((s, PKG.hasCitation, c))
        g.add((c, RDF.type, PKG.Citation))
        g.add((c, PKG.citedResource, o))
        g.add((c, PKG.relation, Literal(rel)))
        _provenance(g, c, e.props)
    elif t == "HAS_TARGET":
        g.add((s, PKG.hasTarget, o))
    elif t == "DUE":
        g.add((s, PKG.hasDeadline, o))
    elif t == "IN_SECTOR":  # between two sectors (authority file): the narrower one's skos:broader
        g.add((s, SKOS.broader if str(s).startswith(str(DATA["sector/"])) else PKG.sector, o))
    elif t == "IN_JURISDICTION":  # between two jurisdictions: the smaller one lies within the larger
        g.add((s, PKG.withinJurisdiction if str(s).startswith(str(DATA["jurisdiction/"])) else PKG.jurisdiction, o))
    elif t == "SAME_AS":
        g.add((s, OWL.sameAs, o))
    elif t == "SUCCEEDED_BY":
        g.add((s, PKG.succeededBy, o))
    else:
        raise BackendError(f"unknown edge type {t!r}")


def to_nquads(ds: Dataset) -> bytes:
    return ds.serialize(format="nquads", encoding="utf-8")


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
