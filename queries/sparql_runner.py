"""Run named SPARQL queries with bound parameters on the embedded store or a server.

Parameters are never formatted into the query text by hand: a ``VALUES`` block is
built from rdflib terms' ``.n3()`` (which escapes quotes and brackets) and put where
the query marks ``#@values`` inside its WHERE clause — the same text for the embedded
store and the server. (pyoxigraph's ``substitutions`` only bind projected variables.)
Rows come back as plain dicts of Python values (str, int, float, None).
"""
from __future__ import annotations

import re
from typing import Any, Optional

from rdflib import Literal, URIRef

from policykg.errors import BackendError, QueryError, TransientBackendError
from queries.loader import load_query

_INT = {"http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#int",
        "http://www.w3.org/2001/XMLSchema#long"}
_FLOAT = {"http://www.w3.org/2001/XMLSchema#decimal", "http://www.w3.org/2001/XMLSchema#double",
          "http://www.w3.org/2001/XMLSchema#float"}
_VALUES_MARK = "#@values"


def _term(v: Any):
    if isinstance(v, (URIRef, Literal)):
        return v
    return Literal(v)


def _check(q, params: dict) -> None:
    missing = [p for p in q.params if p not in params]
    extra = [p for p in params if p not in q.params]
    if missing or extra:
        raise QueryError(f"query {q.name!r} takes parameters {q.params}; missing {missing}, unexpected {extra}")


def _py(value: str, datatype: Optional[str]) -> Any:
    if datatype in _INT:
        return int(value)
    if datatype in _FLOAT:
        return float(value)
    return value


_KEYWORD = re.compile(r"#@keyword[ \t]+(\w+)[ \t]+(\w+)[ \t]+\?(\w+)(?:[ \t]+year=(\w+))?[ \t]*\n(.*?)#@end-keyword",
                      re.S)


def use_keyword_index(text: str, params: dict[str, Any], keywords) -> str:
    """Replace each ``#@keyword KIND PARAM ?VAR [year=YEAR_PARAM]`` … ``#@end-keyword`` block (a scan
    that finds the candidates) by ``VALUES ?VAR { … }`` from the keyword index
    (:mod:`loaders.keyword_index`); with ``year=``, the entries of that year only when the parameter is
    bound. The query keeps its own tests on each candidate, so the answers are the scan's."""
    def values(m: re.Match) -> str:
        kind, param, var, year_param = m.group(1), m.group(2), m.group(3), m.group(4)
        value = params.get(param)
        if not isinstance(value, str):
            return m.group(0)
        year = params.get(year_param) if year_param else None
        iris = keywords.lookup(kind, value, year=year if isinstance(year, int) else None)
        return f"VALUES ?{var} {{ {' '.join('<' + i + '>' for i in iris)} }}\n"  # IRIs we minted: ASCII, no '>'
    return _KEYWORD.sub(values, text)


def uses_keyword_index(text: str, params: dict[str, Any]) -> bool:
    """Whether :func:`use_keyword_index` would replace a block of ``text`` with these parameters."""
    return any(isinstance(params.get(m.group(2)), str) for m in _KEYWORD.finditer(text))


def use_lateral(text: str) -> str:
    """``#@lateral`` … ``#@end-lateral`` → ``LATERAL { … }`` (Oxigraph's SEP-0006 join): the
    OPTIONALs inside are evaluated once per row of what precedes them, with its bindings. Without
    it Oxigraph builds the right side of an OPTIONAL of several patterns for the whole store before
    probing it (deadlines_between at 4,900 documents: 15 s → 0.04 s). Elsewhere the markers are
    comments and the OPTIONALs plain SPARQL 1.1, with the same answers. Inside the block the
    parameters are the outer row's bindings, so its own ``#@values`` markers are dropped (a VALUES
    there also trips Oxigraph's parser)."""
    out, depth = [], 0
    for line in text.split("\n"):
        mark = line.strip()
        if mark == "#@lateral":
            depth += 1
            out.append(line.replace("#@lateral", "LATERAL {"))
        elif mark == "#@end-lateral":
            depth -= 1
            out.append(line.replace("#@end-lateral", "}"))
        elif depth and mark == "#@values":
            continue
        else:
            out.append(line)
    return "\n".join(out)


def prepared_text(name: str, params: dict[str, Any], keywords=None, lateral: bool = True) -> str:
    """queries/NAME.rq as a store runs it: keyword blocks replaced from ``keywords`` (when given),
    ``LATERAL`` blocks (when ``lateral``; portable SPARQL 1.1 otherwise), the parameters bound."""
    q = load_query(name, "sparql")
    _check(q, params)
    text = q.text if keywords is None else use_keyword_index(q.text, params, keywords)
    return bind_values(use_lateral(text) if lateral else text, params, list(q.params))


def run_embedded(store, name: str, params: dict[str, Any], keywords=None) -> list[dict[str, Any]]:
    """Run queries/NAME.rq on a pyoxigraph Store with substitutions; ``keywords`` (a
    :class:`loaders.keyword_index.KeywordIndex`) replaces the query's keyword scans by lookups."""
    import pyoxigraph as ox

    text = prepared_text(name, params, keywords, lateral=True)
    try:
        res = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"queries/{name}.rq does not parse: {exc}") from exc
    names = [v.value for v in res.variables]
    out = []
    for sol in res:
        row = {}
        for n in names:
            t = sol[n]
            if t is None:
                row[n] = None
            elif isinstance(t, ox.Literal):
                row[n] = _py(t.value, t.datatype.value if t.datatype else None)
            else:
                row[n] = t.value
        out.append(row)
    return out


def values_block(params: dict[str, Any], order: list[str]) -> str:
    """``VALUES (?a ?b) { ("x" 1) }`` from rdflib terms (their n3 form escapes quotes and brackets).

    ``None`` becomes ``UNDEF`` (the variable stays unbound: a query tests ``!BOUND(?x)``);
    a ``datetime.date`` becomes an ``xsd:date`` literal, an int an ``xsd:integer``."""
    if not order:
        return ""
    head = " ".join("?" + p for p in order)
    body = " ".join("UNDEF" if params[p] is None else _term(params[p]).n3() for p in order)
    return f"VALUES ({head}) {{ ({body}) }}"


def bind_values(text: str, params: dict[str, Any], order: list[str]) -> str:
    """Put the VALUES block at every ``#@values`` marker (a FILTER inside a nested OPTIONAL
    group only sees the parameters when that group has its own marker)."""
    if not order:
        return text
    if _VALUES_MARK not in text:
        raise QueryError("a parameterised .rq file must mark where its VALUES block goes with '#@values'")
    return text.replace(_VALUES_MARK, values_block(params, order))


#: endpoint → whether it parses ``LATERAL`` (asked once per process, :func:`parses_lateral`)
_LATERAL: dict[str, bool] = {}
LATERAL_PROBE = "SELECT * WHERE { LATERAL { } }"


def parses_lateral(endpoint: str, timeout: int = 30) -> bool:
    """Whether the server at ``endpoint`` parses SEP-0006 ``LATERAL`` (Oxigraph does): one tiny query,
    the answer kept for the process. A server that cannot be reached is asked again next time."""
    if endpoint not in _LATERAL:
        try:
            run_remote_text(endpoint, LATERAL_PROBE, timeout)
            _LATERAL[endpoint] = True
        except QueryError:  # a 400: the parser does not know the keyword
            _LATERAL[endpoint] = False
        except BackendError:  # unreachable, 5xx, not JSON: the real query will say so
            return False
    return _LATERAL[endpoint]


def remote_text(endpoint: str, name: str, params: dict[str, Any], keywords=None, timeout: int = 30) -> str:
    """The text :func:`run_remote` sends: the ``LATERAL`` form to a server that parses it (the portable
    SPARQL 1.1 text otherwise), with the keyword blocks replaced from ``keywords`` when given."""
    return prepared_text(name, params, keywords, lateral=parses_lateral(endpoint, timeout))


def run_remote(endpoint: str, name: str, params: dict[str, Any], timeout: int = 30,
               keywords=None) -> list[dict[str, Any]]:
    """Run queries/NAME.rq on a SPARQL endpoint with SPARQLWrapper (POST, JSON results): the
    ``LATERAL`` form where the server parses it (:func:`parses_lateral`; same answers, each OPTIONAL
    group evaluated per row instead of built for the whole store), ``keywords`` as in
    :func:`run_embedded` (the caller vouches that the index describes this server's contents)."""
    text = remote_text(endpoint, name, params, keywords, timeout)
    try:
        return run_remote_text(endpoint, text, timeout)
    except QueryError:
        if not _LATERAL.get(endpoint) or "LATERAL" not in text:
            raise
        _LATERAL[endpoint] = False  # parses the probe but not this query's LATERAL: portable from now on
        return run_remote_text(endpoint, remote_text(endpoint, name, params, keywords, timeout), timeout)


def run_remote_text(endpoint: str, text: str, timeout: int = 30) -> list[dict[str, Any]]:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import (EndPointInternalError, EndPointNotFound, QueryBadFormed, Unauthorized,
                                                URITooLong)

    sw = SPARQLWrapper(endpoint)
    sw.setMethod(POST)
    sw.setReturnFormat(JSON)
    sw.setTimeout(timeout)
    sw.addParameter("union-default-graph", "true")  # oxigraph: the union of the named graphs
    # SPARQLWrapper guesses the query form from the text, comments included (a header word such as
    # "loads" made it send a SELECT as an update): send the query without its whole-line comments
    sw.setQuery(re.sub(r"(?m)^[ \t]*#.*\n?", "", text))
    try:
        res = sw.queryAndConvert()
    except QueryBadFormed as exc:
        raise QueryError(f"the SPARQL server rejected the query: {exc}") from exc
    except (Unauthorized, EndPointNotFound, URITooLong) as exc:
        raise BackendError(f"SPARQL endpoint {endpoint} refused the request: {exc}") from exc
    except (EndPointInternalError, OSError) as exc:  # URLError, a timeout, a reset connection, a 5xx
        raise TransientBackendError(f"SPARQL endpoint {endpoint} failed: {exc}") from exc
    except ValueError as exc:  # not JSON
        raise BackendError(f"SPARQL endpoint {endpoint} answered with something other than JSON results") from exc
    names = res["head"]["vars"]
    out = []
    for b in res["results"]["bindings"]:
        row = {}
        for n in names:
            v = b.get(n)
            row[n] = None if v is None else _py(v["value"], v.get("datatype"))
        out.append(row)
    return out


# Update operations (SPARQL 1.1 Update) and SERVICE (a query that fetches other URLs). Checked on the
# text with \u escapes decoded (SPARQL allows them anywhere) and strings, IRIs and comments blanked, so
# a title containing "DELETE" or an IRI with '#' neither trips nor hides it. The protocol is the real
# guard: user text is only ever sent as `query=` (never `update=`) or given to Store.query, which parse
# queries, not updates; this check fails fast with a clearer message.
_WRITE = re.compile(r"(?<![\w?$:-])(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH|SERVICE)(?![\w:-])",
                    re.I)
_LEXICAL = re.compile("|".join([
    r'"""(?:[^"\\]|\\.|"(?!""))*"""',
    r"'''(?:[^'\\]|\\.|'(?!''))*'''",
    r'"(?:[^"\\\n]|\\.)*"',
    r"'(?:[^'\\\n]|\\.)*'",
    r'<[^<>"{}|^`\\\x00-\x20]*>',
    r"#[^\n]*",
]), re.S)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
READ_ONLY_SPARQL = ("policykg runs user SPARQL read-only: SELECT, ASK, CONSTRUCT or DESCRIBE only "
                    "({what} is not allowed)")


def ensure_read_only(text: str) -> None:
    """User SPARQL must be a query, not an update (nor a federated SERVICE call); QueryError otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise QueryError("the SPARQL query is empty")
    decoded = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    code = _LEXICAL.sub(lambda m: " " * len(m.group(0)), decoded)
    m = _WRITE.search(code)
    if m:
        raise QueryError(READ_ONLY_SPARQL.format(what=m.group(1).upper()))


def run_user_embedded(store, text: str) -> list[dict[str, Any]]:
    """User SPARQL on a pyoxigraph Store (read-only: Store.query parses no updates); rows of plain strings."""
    import pyoxigraph as ox

    ensure_read_only(text)
    try:
        res = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"the SPARQL query does not parse: {exc}") from None
    except OSError as exc:
        raise QueryError(f"the SPARQL query failed: {exc}") from None
    if isinstance(res, ox.QueryBoolean):
        return [{"result": bool(res)}]
    if not hasattr(res, "variables"):  # CONSTRUCT / DESCRIBE: triples
        return [{"subject": t.subject.value, "predicate": t.predicate.value, "object": t.object.value}
                for t in res]
    names = [v.value for v in res.variables]
    return [{n: (None if s[n] is None else s[n].value) for n in names} for s in res]


def run_user_remote(endpoint: str, text: str, timeout: int = 30) -> list[dict[str, Any]]:
    """User SPARQL on a server, sent as a query (``query=``, never ``update=``) by the SPARQL protocol."""
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    from policykg.errors import BackendError

    ensure_read_only(text)
    body = urllib.parse.urlencode({"query": text, "union-default-graph": "true"}).encode("utf-8")
    req = urllib.request.Request(endpoint, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            res = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace").strip()
        if 400 <= exc.code < 500:
            raise QueryError(f"the SPARQL server at {endpoint} rejected the query (HTTP {exc.code}): {detail}") from None
        raise BackendError(f"the SPARQL server at {endpoint} failed (HTTP {exc.code}): {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise TransientBackendError(f"the SPARQL server at {endpoint} is not reachable "
                                    f"({getattr(exc, 'reason', exc)}); start it with `policykg sparql start` "
                                    "or set SPARQL_ENDPOINT") from None
    except ValueError:
        raise BackendError(f"the SPARQL server at {endpoint} answered with something other than "
                           "SPARQL JSON results (CONSTRUCT/DESCRIBE: use the embedded store)") from None
    if "boolean" in res:
        return [{"result": bool(res["boolean"])}]
    names = res["head"]["vars"]
    return [{n: (None if b.get(n) is None else _py(b[n]["value"], b[n].get("datatype"))) for n in names}
            for b in res["results"]["bindings"]]
