"""The agency authority file: canonical agencies, generic roles, sectors and jurisdictions.

``data/authority/agencies.json`` (data, not code) lists

* **agencies** — the canonical name (``skos:prefLabel``), the names documents write
  (``skos:altLabel``; every one must resolve to this entry through the extractor's alias
  rules in ``data/lexicon/agencies.json``), other known forms (``skos:hiddenLabel``), the
  jurisdiction (``pkg:jurisdiction``), administrative level (``pkg:agencyLevel``) and
  sector (``pkg:sector``);
* **generic roles** — 财政部门, 教育行政部门 … (``pkg:GenericRole``) and the sector they name;
* **sectors** — a small SKOS scheme (``skos:notation`` code, ``skos:prefLabel`` @zh,
  ``rdfs:label`` @en, ``skos:broader``: 财政 fiscal ⊑ 财政金融 finance);
* **jurisdictions** — 绵阳市 ``pkg:withinJurisdiction`` 四川省 ``pkg:withinJurisdiction`` 中华人民共和国.

:func:`authority_rows` turns it into neutral graph rows (:mod:`loaders.graph_rows`) with
the SAME node ids the extractor's agencies get (``agency_id`` of the resolved written
name), so ``PolicyGraph.build`` loads it into every backend beside the documents and the
two meet on the same nodes. :func:`materialize_into` is the build-time inference of the
RDF side: one SPARQL CONSTRUCT rule (:data:`RULES`) gives every agency the generic roles
of its sector or a broader one (``?agency org:classification ?role``: 绵阳市财政局 is a
财政部门), written into the named graph ``id:graph/inferred``. Neo4j answers the same
question by walking ``IN_SECTOR`` at query time (``queries/agencies_in_sector.cypher``).

``python -m loaders.authority`` writes the authority as Turtle to
``data/authority/agencies.ttl`` (``--check`` fails when that file is stale).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Optional

from loaders.graph_rows import Edge, GraphRows, Node, agency_id, match_key
from loaders.rdf_writer import graph_iri, to_dataset
from ontology.namespace import DATA
from policykg.config import DATA_DIR
from policykg.errors import ExtractionError
from policykg.ids import short_hash
from policykg.model import AgencyRef, Span

AUTHORITY_JSON = DATA_DIR / "authority" / "agencies.json"
AUTHORITY_TTL = DATA_DIR / "authority" / "agencies.ttl"

#: the issuer whose documents' 市 / 省 prefixes refer to a jurisdiction (for resolving written names)
_ISSUER_OF = {"中华人民共和国": "国务院"}

_PREFIXES = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: Build-time inference rules (SPARQL CONSTRUCT), run on the shared graph of every build.
RULES: dict[str, str] = {
    # 绵阳市财政局 (sector fiscal) is one of the 财政部门 (generic role, sector fiscal);
    # 绵阳市国家税务局 (taxation ⊑ finance) is one of the roles naming finance at large.
    "agency_has_generic_role": _PREFIXES + """CONSTRUCT { ?agency org:classification ?role }
WHERE {
  ?role a pkg:GenericRole ;
        pkg:sector ?role_sector .
  ?agency a pkg:Agency ;
          pkg:sector ?sector .
  ?sector skos:broader* ?role_sector .
}""",
}


@dataclass(frozen=True)
class AuthorityEntry:
    id: str
    pref: str
    alt: tuple[str, ...]
    hidden: tuple[str, ...]
    jurisdiction: Optional[str]
    level: Optional[str]
    sector: Optional[str]
    generic: bool = False
    note: Optional[str] = None


@dataclass(frozen=True)
class Authority:
    agencies: tuple[AuthorityEntry, ...]
    roles: tuple[AuthorityEntry, ...]
    sectors: dict
    jurisdictions: dict
    #: entries left out because they contradict the alias data (a build warns; the tests fail)
    problems: tuple[str, ...] = ()

    def by_id(self) -> dict[str, AuthorityEntry]:
        return {e.id: e for e in self.agencies + self.roles}

    @cached_property
    def _by_match_key(self) -> dict[str, AuthorityEntry]:
        # the first entry (agencies before roles, file order) holding a match form owns it
        index: dict[str, AuthorityEntry] = {}
        for e in self.agencies + self.roles:
            for x in (e.pref, *e.alt, *e.hidden):
                index.setdefault(match_key(x), e)
        return index

    def lookup(self, name: str) -> Optional[AuthorityEntry]:
        """The entry a written, canonical or hidden name belongs to (match form), else None."""
        return self._by_match_key.get(match_key(name))


def _span() -> Span:
    return Span("authority", 0, 0, "")


@dataclass(frozen=True)
class ResolvedAgency:
    """A written unit name resolved like a mention in a document of some issuer."""

    written: str
    name: str  # canonical when known, else as written
    canonical: Optional[str]
    jurisdiction: Optional[str]
    level: Optional[str]
    sector: Optional[str]
    id: str

    def node(self) -> Node:
        # the same properties as loaders.graph_rows.rows_for gives an agency (so MERGEs agree)
        return Node(self.id, "Agency", {"name": self.name, "canonical": self.canonical,
                                        "jurisdiction": self.jurisdiction, "sector": self.sector,
                                        "level": self.level, "generic": False, "matchKey": match_key(self.name)})


def resolve(written: str, issuer: Optional[str] = None, *, jurisdiction: Optional[str] = None) -> ResolvedAgency:
    """The agency ``written`` means in a document of ``issuer`` (or of ``jurisdiction``'s government).

    The authority file (preferred, written and hidden labels) is asked first; otherwise the
    extractor's alias rules resolve the name, so the id is the one such a document gets."""
    entry = load_authority().lookup(written)
    if entry is not None and not entry.generic:
        return ResolvedAgency(written=written, name=entry.pref, canonical=entry.pref, jurisdiction=entry.jurisdiction,
                              level=entry.level, sector=entry.sector, id=entry.id)
    return _by_rules(written, issuer or _issuer(jurisdiction))


def _issuer(jurisdiction: Optional[str]) -> Optional[str]:
    return _ISSUER_OF.get(jurisdiction or "", (jurisdiction + "人民政府") if jurisdiction else None)


def _by_rules(written: str, issuer: Optional[str]) -> ResolvedAgency:
    """What the extractor's alias rules give ``written`` (the authority file is built on these)."""
    from loaders.extract.agencies import canonical, is_generic, sector_of

    if is_generic(written):
        ref = AgencyRef(name=written, span=_span(), generic=True)
        return ResolvedAgency(written, written, None, None, None, sector_of(written), agency_id(ref))
    canon, jur, level = canonical(written, issuer)
    ref = AgencyRef(name=written, span=_span(), canonical=canon, jurisdiction=jur)
    return ResolvedAgency(written=written, name=canon or written, canonical=canon, jurisdiction=jur, level=level,
                          sector=sector_of(written), id=agency_id(ref))


def _entry(raw: dict, generic: bool, sectors: dict, where: str) -> AuthorityEntry:
    pref = raw["pref"]
    alt = tuple(raw.get("alt") or ())
    sector = raw.get("sector")
    if sector is not None and sector not in sectors:
        raise ExtractionError(f"{where}: {pref}: unknown sector {sector!r} (not in 'sectors')")
    if generic:
        from loaders.extract.agencies import is_generic
        from loaders.extract.roles import looks_like_unit

        if not (is_generic(pref) or not looks_like_unit(pref)):  # as make_ref decides: 财政部门, a bare stem 公安
            raise ExtractionError(f"{where}: generic role {pref!r} is not generic for the extractor "
                                  "(add a pattern to generic_patterns in data/lexicon/agencies.json)")
        node_id = _by_rules(pref, None).id
        return AuthorityEntry(node_id, pref, alt, tuple(raw.get("hidden") or ()), None, None, sector, True)
    ids = set()
    for name in alt or (pref,):
        r = _by_rules(name, _issuer(raw.get("jurisdiction")))
        node_id, canon = r.id, r.canonical
        if canon is not None and canon != pref:
            raise ExtractionError(f"{where}: {name!r} resolves to {canon!r}, not to its entry {pref!r}; "
                                  "fix the alias data in data/lexicon/agencies.json or the entry")
        ids.add(node_id)
    if len(ids) != 1:
        raise ExtractionError(f"{where}: the written names {alt} of {pref!r} resolve to {len(ids)} different agencies")
    return AuthorityEntry(ids.pop(), pref, alt, tuple(raw.get("hidden") or ()), raw.get("jurisdiction"),
                          raw.get("level"), sector, False, raw.get("note"))


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> Authority:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ExtractionError(f"the agency authority file is missing: {path}") from exc
    except json.JSONDecodeError as exc:
        raise ExtractionError(f"{path} is not valid JSON: {exc}") from exc
    sectors, jurs = data["sectors"], data["jurisdictions"]
    for k, s in sectors.items():
        if s.get("broader") and s["broader"] not in sectors:
            raise ExtractionError(f"{path}: sector {k}: unknown broader sector {s['broader']!r}")
    for k, j in jurs.items():
        if j.get("within") and j["within"] not in jurs:
            raise ExtractionError(f"{path}: jurisdiction {k}: unknown 'within' {j['within']!r}")
    problems: list[str] = []
    agencies: list[AuthorityEntry] = []
    roles: list[AuthorityEntry] = []
    seen: dict[str, str] = {}
    for raws, generic, out in ((data["agencies"], False, agencies), (data["generic_roles"], True, roles)):
        for raw in raws:
            try:
                e = _entry(raw, generic, sectors, path)
                if e.jurisdiction and e.jurisdiction not in jurs:
                    raise ExtractionError(f"{path}: {e.pref}: unknown jurisdiction {e.jurisdiction!r}")
                if e.id in seen:
                    raise ExtractionError(f"{path}: {e.pref!r} and {seen[e.id]!r} are the same agency; "
                                          "merge the entries")
            except ExtractionError as exc:  # the alias data changed under the entry: skip it, say so
                problems.append(str(exc))
                continue
            seen[e.id] = e.pref
            out.append(e)
    return Authority(tuple(agencies), tuple(roles), sectors, jurs, tuple(problems))


def load_authority(path: Path = AUTHORITY_JSON) -> Authority:
    p = Path(path)
    return _load(str(p), p.stat().st_mtime if p.exists() else 0.0)


def sector_id(code: str) -> str:
    return "sector-" + code


def jurisdiction_id(name: str) -> str:
    return "jurisdiction-" + short_hash(name)


def authority_rows(authority: Optional[Authority] = None) -> GraphRows:
    """The authority as shared graph rows (no source): nodes and IN_SECTOR / IN_JURISDICTION edges.

    Put them FIRST into :func:`loaders.graph_rows.merge_rows`, so that an agency's
    authority properties (prefLabel, labels, level) are the ones written."""
    a = authority or load_authority()
    g = GraphRows()
    for code, s in a.sectors.items():
        g.nodes.append(Node(sector_id(code), "Sector", {
            "name": code, "canonical": s["zh"], "labelEn": s.get("en"), "altLabels": list(s.get("alt") or []),
            "matchKey": match_key(s["zh"])}))
    for code, s in a.sectors.items():
        if s.get("broader"):
            g.edges.append(Edge(sector_id(code), "IN_SECTOR", sector_id(s["broader"])))
    for name in a.jurisdictions:
        g.nodes.append(Node(jurisdiction_id(name), "Jurisdiction", {"name": name}))
    for name, j in a.jurisdictions.items():
        if j.get("within"):
            g.edges.append(Edge(jurisdiction_id(name), "IN_JURISDICTION", jurisdiction_id(j["within"])))
    for e in a.agencies + a.roles:
        props = {"name": e.pref, "canonical": e.pref, "jurisdiction": e.jurisdiction, "sector": e.sector,
                 "level": e.level, "generic": e.generic, "matchKey": match_key(e.pref),
                 "altLabels": [x for x in e.alt if x != e.pref], "hiddenLabels": list(e.hidden)}
        g.nodes.append(Node(e.id, "Agency", props))
        if e.sector:
            g.edges.append(Edge(e.id, "IN_SECTOR", sector_id(e.sector)))
        if e.jurisdiction:
            g.edges.append(Edge(e.id, "IN_JURISDICTION", jurisdiction_id(e.jurisdiction)))
    return g


# ----------------------------------------------------------------------------
# inference (RDF side)

INFERRED_GRAPH = "graph/inferred"


def infer(graph) -> "object":
    """The triples :data:`RULES` derive from ``graph`` (an rdflib Graph) that it does not hold yet."""
    import rdflib

    out = rdflib.Graph()
    for rule in RULES.values():
        for triple in graph.query(rule):
            if triple not in graph:
                out.add(triple)
    return out


def inferred_dataset(rows: GraphRows):
    """The RDF of ``rows`` with the build-time inference (:data:`RULES`) added: what RDF stores load."""
    ds = to_dataset(rows)
    materialize_into(ds)
    return ds


def materialize_into(ds) -> int:
    """Run :data:`RULES` on the shared graph of an rdflib Dataset; add what they derive to ``id:graph/inferred``.

    Agencies, generic roles and sectors are shared nodes, so the rules only need the
    shared graph (fast: about 0.25 s on the seed, with rdflib). Returns the number of triples added."""
    shared = ds.graph(graph_iri(None))
    if not len(shared):
        return 0
    derived = infer(shared)
    if len(derived):
        target = ds.graph(DATA[INFERRED_GRAPH])
        for t in derived:
            target.add(t)
    return len(derived)


def authority_graph():
    """The authority as one rdflib Graph (asserted + inferred triples), with readable prefixes."""
    import rdflib
    from rdflib.namespace import ORG, SKOS

    from loaders.graph_rows import merge_rows
    from ontology.namespace import PKG

    ds = inferred_dataset(merge_rows([authority_rows()]))
    g = rdflib.Graph()
    g.bind("pkg", PKG._NS)
    g.bind("id", DATA)
    g.bind("skos", SKOS)
    g.bind("org", ORG)
    for s, p, o, _c in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def to_turtle() -> bytes:
    header = ("# GENERATED by `python -m loaders.authority` from data/authority/agencies.json -- do not edit.\n"
              "# The agency authority file of policykg as RDF (asserted + inferred org:classification).\n")
    return header.encode("utf-8") + authority_graph().serialize(format="turtle", encoding="utf-8")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m loaders.authority",
                                 description="Write the agency authority file as Turtle.")
    ap.add_argument("-o", "--output", type=Path, default=AUTHORITY_TTL)
    ap.add_argument("--check", action="store_true", help="fail if the Turtle file is not current")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if load_authority().problems:
        print("\n".join(load_authority().problems), file=sys.stderr)
        return 1
    data = to_turtle()
    if args.check:
        import rdflib
        from rdflib.compare import isomorphic

        have = rdflib.Graph().parse(args.output, format="turtle") if args.output.exists() else rdflib.Graph()
        if not isomorphic(have, authority_graph()):
            print(f"{args.output} is stale: run `python -m loaders.authority`", file=sys.stderr)
            return 1
        print(f"{args.output} is current")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    a = load_authority()
    print(f"wrote {args.output}: {len(a.agencies)} agencies, {len(a.roles)} generic roles, "
          f"{len(a.sectors)} sectors, {len(a.jurisdictions)} jurisdictions ({time.perf_counter() - t0:.2f} s)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
