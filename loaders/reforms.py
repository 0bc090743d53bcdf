"""Agency reforms (机构改革): a change file → validated changes → graph rows.

A reform file is JSON (or YAML when PyYAML is installed)::

    {"id": "mianyang-2018", "jurisdiction": "绵阳市", "issuer": "绵阳市人民政府",
     "sources": {"tax-2018": "国税地税征管体制改革 …"},
     "changes": [{"from": ["市国税局", "市地税局"], "to": "国家税务总局绵阳市税务局",
                  "date": "2018-07-20", "kind": "merge", "certain": true, "source": "tax-2018"}]}

* ``from`` — the unit(s) as written in documents (a string is one unit); ``to`` — the successor.
* ``date`` — ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when only the month or year is known.
* ``kind`` — ``merge`` (the ``from`` units cease; default with several), ``rename`` (one unit
  re-formed under a new name; default with one) or ``partial`` (the unit continues and some
  duties move to ``to``).
* ``certain`` — false when the mapping applies a pattern not confirmed for this jurisdiction
  (optional, default true).
* ``source`` — a key of the top-level ``sources`` or free text (optional); ``note`` — optional.

The minimal file is ``{"changes": [{"from": ["市国税局", "市地税局"], "to": "国家税务总局绵阳市税务局",
"date": "2018-07-20"}]}``; the declared schema (pydantic) is :mod:`loaders.reform_schema`.
* ``unchanged`` (optional) — units checked and kept: ``[{"name": …, "certain": …, "note": …}]``.
Keys starting with ``_`` are comments.

Written names are matched to the graph's agencies by their canonical names (the alias data in
``data/lexicon/agencies.json``, as :mod:`loaders.extract.agencies` resolves them in a document of
``issuer``), so ``市国税局`` here is the same Agency node as 市国税局 in a Mianyang gazette.

In the graph a change is an ``AgencyChange`` (RDF: ``pkg:AgencyChange`` with ``pkg:changeDate``,
``org:originalOrganization`` / ``org:resultingOrganization``, in the named graph
``id:graph/reform-ID``; Neo4j: an ``AgencyChange`` node with ``ORIGINAL_ORGANIZATION`` /
``RESULTING_ORGANIZATION`` relationships) plus ``SUCCEEDED_BY`` / ``pkg:succeededBy`` between the
agencies for every change that is not ``partial``. Loading a reform again replaces it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Optional

from loaders.authority import ResolvedAgency, load_authority, resolve
from loaders.graph_rows import Edge, GraphRows, SourceGraph
from loaders.reform_schema import KINDS, changes_label, parse_date, validate  # noqa: F401  (the schema declares them)
from policykg.errors import InputError

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
BUNDLED_REFORM = Path(__file__).resolve().parent.parent / "data" / "reforms" / "mianyang-2018.json"


class ReformFileError(InputError):
    """A reform file that cannot be read or does not validate (the message names the file and entry)."""


@dataclass(frozen=True)
class AgencyChange:
    index: int
    id: str  # <reform id>-c<index+1>
    from_names: tuple[str, ...]
    to: str
    date: date  # the first day of the stated period
    date_text: str  # as written: 2018-07-20, 2019-01, 2019
    precision: str  # day | month | year
    kind: str  # merge | rename | partial
    certain: bool
    source: str  # the basis, resolved from the sources table
    note: Optional[str]
    origins: tuple[ResolvedAgency, ...] = ()
    successor: Optional[ResolvedAgency] = None

    @property
    def label(self) -> str:
        return f"{'、'.join(self.from_names)} → {self.to}"

    @property
    def ends_agencies(self) -> bool:
        """Do the ``from`` units cease to exist (merge / rename), or continue (partial)?"""
        return self.kind != "partial"


@dataclass(frozen=True)
class Unchanged:
    name: str
    certain: bool
    note: Optional[str]


@dataclass(frozen=True)
class Reform:
    id: str
    name: str
    path: str
    jurisdiction: Optional[str]
    issuer: Optional[str]
    changes: tuple[AgencyChange, ...]
    unchanged: tuple[Unchanged, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def source_id(self) -> str:
        """The provenance id its graph rows carry (a reload replaces exactly these)."""
        return f"reform-{self.id}"

    def successor_of(self, written: str) -> list[AgencyChange]:
        """The changes whose ``from`` includes ``written`` (by canonical name)."""
        key = resolve(written, self.issuer).id
        return [c for c in self.changes if any(o.id == key for o in c.origins)]

    def final_successor(self, change: AgencyChange) -> str:
        """Follow later changes of the successor (A → B, then B → C gives C)."""
        seen = {change.id}
        cur = change
        while True:
            nxt = [c for c in self.changes if c.ends_agencies and c.id not in seen and c.date >= cur.date
                   and cur.successor is not None and any(o.id == cur.successor.id for o in c.origins)]
            if not nxt:
                return cur.to
            cur = min(nxt, key=lambda c: c.date)
            seen.add(cur.id)


def authority_ids() -> set[str]:
    """Ids of the agencies every build writes from the authority file (their nodes are not rewritten)."""
    return {e.id for e in load_authority().agencies}


# ----------------------------------------------------------------------------
# reading and validation

def _read(path: Path) -> Any:
    if not path.is_file():
        raise ReformFileError(f"{path}: no such reform file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReformFileError(f"{path}: cannot be read as UTF-8 text ({exc})") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise ReformFileError(f"{path}: a YAML reform file needs PyYAML (pip install pyyaml), "
                                  "or write it as JSON") from None
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ReformFileError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReformFileError(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc


def load_reform(path: str | Path) -> Reform:
    """Read and validate a reform file against its declared schema (:mod:`loaders.reform_schema`),
    then across entries; every problem is reported with the file and the entry."""
    path = Path(path)
    where = str(path)
    data = _read(path)
    try:
        top, entries, problems = validate(data, where)
    except ValueError as exc:
        raise ReformFileError(str(exc)) from None
    data = {k: v for k, v in data.items() if not str(k).startswith("_")}
    rid = (top.id if top else None) or re.sub(r"[^a-z0-9-]+", "-", path.stem.lower()).strip("-") or "reform"
    if not _ID_RE.match(rid):
        rid = "reform"
    issuer = data.get("issuer") if isinstance(data.get("issuer"), str) else None
    if issuer is None and isinstance(data.get("jurisdiction"), str):
        issuer = f"{data['jurisdiction']}人民政府"
    sources = dict(top.sources) if top else {}
    raw = data.get("changes") or []
    changes: list[AgencyChange] = []
    ends_by_origin: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry is None:
            continue
        errs: list[str] = []
        froms, to = entry.from_, entry.to
        when, precision = parse_date(entry.date)
        kind = entry.kind or ("merge" if len(froms) > 1 else "rename")
        if kind == "rename" and len(froms) != 1:
            errs.append("a rename has exactly one 'from' (use kind 'merge' for several)")
        origins = tuple(resolve(f, issuer) for f in froms)
        successor = resolve(to, issuer)
        if len({o.id for o in origins}) != len(origins):
            errs.append("'from' names the same unit twice")
        if any(o.id == successor.id for o in origins):
            errs.append(f"'to' ({to}) is also in 'from' — a unit cannot succeed itself "
                        "(list it under 'unchanged', or use kind 'partial' for duties moving elsewhere)")
        if kind != "partial" and not errs:
            for o in origins:
                if o.id in ends_by_origin:
                    j = ends_by_origin[o.id]
                    errs.append(f"{o.written} already ceases in changes[{j}] ({changes_label(raw[j])}); "
                                "a unit can cease only once (use kind 'partial' for moved duties)")
                ends_by_origin[o.id] = i
        if errs:
            problems.extend(f"changes[{i}] ({changes_label(raw[i])}): {e}" for e in errs)
            continue
        source = sources.get(entry.source, entry.source) if entry.source else \
            (f"{data.get('name') or path.name} (no source given)")
        changes.append(AgencyChange(
            index=i, id=f"{rid}-c{i + 1}", from_names=tuple(froms), to=to, date=when,
            date_text=when.isoformat() if precision == "day" else
            (f"{when.year}-{when.month:02d}" if precision == "month" else str(when.year)),
            precision=precision, kind=kind, certain=entry.certain, source=source,
            note=entry.note, origins=origins, successor=successor))
    unchanged: list[Unchanged] = []
    for i, u in enumerate(top.unchanged if top else ()):
        name, certain, note = (u, True, None) if isinstance(u, str) else (u.name, u.certain, u.note)
        rid_u = resolve(name, issuer).id
        if rid_u in ends_by_origin:
            j = ends_by_origin[rid_u]
            problems.append(f"unchanged[{i}] ({name}): but changes[{j}] ({changes_label(raw[j])}) ends it")
            continue
        unchanged.append(Unchanged(name.strip(), certain, note))
    # a cycle (A → B and B → A) cannot be followed
    succ = {o.id: c.successor.id for c in changes if c.ends_agencies for o in c.origins if c.successor}
    for start in succ:
        seen, cur = {start}, succ[start]
        while cur in succ:
            if cur in seen:
                problems.append(f"the changes form a cycle through {next(c.label for c in changes if any(o.id == start for o in c.origins))}")
                break
            seen.add(cur)
            cur = succ[cur]
        else:
            continue
        break
    if problems:
        head = f"{where}: {len(problems)} problem{'s' if len(problems) > 1 else ''} in the reform file"
        raise ReformFileError(head + ":\n  " + "\n  ".join(problems))
    return Reform(id=rid, name=data.get("name") or rid, path=where, jurisdiction=data.get("jurisdiction"),
                  issuer=issuer, changes=tuple(changes), unchanged=tuple(unchanged), sources=dict(sources))


# ----------------------------------------------------------------------------
# the graph

def reform_rows(reform: Reform) -> GraphRows:
    """Agency nodes (shared) for every unit named, and SUCCEEDED_BY edges owned by the reform."""
    g = GraphRows()
    seen: set[str] = set()
    for c in reform.changes:
        for a in (*c.origins, c.successor):
            if a is not None and a.id not in seen:
                seen.add(a.id)
                g.nodes.append(a.node())
        if not c.ends_agencies or c.successor is None:
            continue
        for k, o in enumerate(c.origins):
            g.edges.append(Edge(o.id, "SUCCEEDED_BY", c.successor.id, {
                "reform": reform.id, "changeId": c.id, "changeDate": c.date.isoformat(),
                "datePrecision": c.precision, "kind": c.kind, "certain": c.certain, "name": o.written,
                "successorName": c.to, "start": c.index * 100 + k}, reform.source_id))
    return g


def change_props(reform: Reform, c: AgencyChange) -> dict[str, Any]:
    """Properties of the AgencyChange node (Neo4j) — the RDF twin carries the same facts."""
    return {"id": c.id, "reform": reform.id, "sourceId": reform.source_id, "label": c.label,
            "changeDate": c.date.isoformat(), "datePrecision": c.precision, "kind": c.kind,
            "certain": c.certain, "certainty": "certain" if c.certain else "uncertain",
            "basis": c.source, "note": c.note, "fromNames": list(c.from_names), "toName": c.to}


def reform_dataset(reform: Reform):
    """RDF of the reform, all in the named graph ``id:graph/reform-ID`` (a reload drops it first):
    the changes (pkg:AgencyChange), pkg:succeededBy between agencies, and a minimal description
    (type, label, prefLabel, matchKey) of the agencies that neither the authority file nor a
    document may have given the graph."""
    from rdflib import Dataset, Literal
    from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

    from loaders.rdf_writer import iri, source_iri
    from ontology.namespace import DATA, PKG

    rows = reform_rows(reform)
    ds = Dataset()
    g = ds.graph(reform_graph_iri(reform))
    known = authority_ids()
    for n in rows.nodes:
        if n.id in known:
            continue
        s = iri(n.id, "Agency")
        g.add((s, RDF.type, PKG.Agency))
        g.add((s, DCTERMS.identifier, Literal(n.id)))
        g.add((s, RDFS.label, Literal(n.props["name"], lang="zh")))
        if n.props.get("canonical"):
            g.add((s, SKOS.prefLabel, Literal(n.props["canonical"], lang="zh")))
        g.add((s, PKG.matchKey, Literal(n.props["matchKey"])))
        if n.props.get("level"):
            g.add((s, PKG.agencyLevel, Literal(n.props["level"])))
    src = source_iri(reform.source_id)
    g.add((src, RDF.type, PROV.Entity))
    g.add((src, DCTERMS.identifier, Literal(reform.source_id)))
    g.add((src, RDFS.label, Literal(reform.name, lang="zh")))
    for c in reform.changes:
        s = DATA[f"agencychange/{c.id}"]
        g.add((s, RDF.type, PKG.AgencyChange))
        g.add((s, DCTERMS.identifier, Literal(c.id)))
        g.add((s, PROV.wasDerivedFrom, src))
        g.add((s, RDFS.label, Literal(c.label, lang="zh")))
        g.add((s, PKG.changeDate, Literal(c.date.isoformat(), datatype=XSD.date)))
        g.add((s, DCTERMS.type, Literal(c.kind)))
        g.add((s, SKOS.editorialNote, Literal("certain" if c.certain else "uncertain")))
        g.add((s, DCTERMS.source, Literal(c.source, lang="zh")))
        if c.note:
            g.add((s, SKOS.note, Literal(c.note, lang="zh")))
        for o in c.origins:
            g.add((s, ORG.originalOrganization, iri(o.id, "Agency")))
        if c.successor is not None:
            g.add((s, ORG.resultingOrganization, iri(c.successor.id, "Agency")))
    for e in rows.edges:
        g.add((iri(e.src, "Agency"), PKG.succeededBy, iri(e.dst, "Agency")))
    return ds


def reform_graph_iri(reform: Reform):
    from ontology.namespace import DATA

    return DATA[f"graph/{reform.source_id}"]


# Neo4j: one write transaction replaces the reform. Labels and types are constants of this text;
# all data goes in as parameters. Agencies the graph already has keep their properties (ON CREATE).
_NEO4J_STATEMENTS = (
    ("MATCH (n:Entity {sourceId: $source}) DETACH DELETE n", "changes"),
    ("MATCH ()-[r:SUCCEEDED_BY {sourceId: $source}]->() DELETE r", "edges"),
    ("UNWIND $agencies AS a MERGE (n:Entity {id: a.id}) ON CREATE SET n = a.props, n:Agency", "agencies"),
    ("UNWIND $edges AS e MATCH (a:Entity {id: e.src}) MATCH (b:Entity {id: e.dst}) "
     "MERGE (a)-[r:SUCCEEDED_BY {edgeKey: e.key}]->(b) SET r = e.props", "edges"),
    ("UNWIND $changes AS c CREATE (n:Entity:AgencyChange) SET n = c.props "
     "WITH n, c UNWIND c.origins AS oid MATCH (a:Entity {id: oid}) CREATE (n)-[:ORIGINAL_ORGANIZATION]->(a)",
     "changes"),
    ("UNWIND $changes AS c MATCH (n:AgencyChange {id: c.props.id}) MATCH (b:Entity {id: c.successor}) "
     "CREATE (n)-[:RESULTING_ORGANIZATION]->(b)", "changes"),
)


def _props(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j stores no nulls."""
    return {k: v for k, v in props.items() if v is not None}


def _neo4j_params(reform: Reform) -> dict[str, Any]:
    from loaders.neo4j_writer import edge_row

    rows = reform_rows(reform)
    agencies = [{"id": n.id, "props": {**_props(n.props), "id": n.id}} for n in rows.nodes]
    edges = [{"src": r["src"], "dst": r["dst"], "key": r["edgeKey"], "props": r["props"]}
             for r in (edge_row(e)[1] for e in rows.edges)]
    changes = [{"props": _props(change_props(reform, c)), "origins": [o.id for o in c.origins],
                "successor": c.successor.id if c.successor else ""} for c in reform.changes]
    return {"source": reform.source_id, "agencies": agencies, "edges": edges, "changes": changes}


def reform_graph(reform: Reform) -> SourceGraph:
    """The reform in both store languages, for ``Backend.replace_graph`` (loading it again replaces it)."""
    from loaders.rdf_writer import to_nquads

    params = _neo4j_params(reform)
    cypher = tuple((text, {"source": params["source"], key: params[key]}) for text, key in _NEO4J_STATEMENTS)
    return SourceGraph(source_id=reform.source_id, graph=str(reform_graph_iri(reform)),
                       nquads=to_nquads(reform_dataset(reform)), cypher=cypher)
