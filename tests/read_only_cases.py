"""Write attempts (and harmless look-alikes) for the read-only guards of user SPARQL and Cypher.

Used by tests/unit/test_read_only_checks.py (the pre-checks, no server) and
tests/integration/test_read_only.py (every query path: API, CLI, `policykg serve`, on every backend).
"""
from __future__ import annotations

INSERT = "INSERT DATA { GRAPH <urn:pwned:g> { <urn:pwned:s> <urn:pwned:p> \"pwned\" } }"

#: SPARQL that writes (or fetches other URLs); each must be refused on every path
SPARQL_WRITES = {
    "insert data": INSERT,
    "lower case": INSERT.lower().replace("urn:pwned", "urn:pwned"),
    "after a comment line": "# just reading\n" + INSERT,
    "after a query and ;": "SELECT * WHERE { ?s ?p ?o } ;\n" + INSERT,
    "after an IRI with #": "SELECT * WHERE { ?s <http://example.org/a#b> ?o } " + INSERT,
    "unicode escape \\u0049": "\\u0049NSERT DATA { GRAPH <urn:pwned:g> { <urn:pwned:s> <urn:pwned:p> 1 } }",
    "unicode escape \\U": "\\U00000044ELETE WHERE { ?s ?p ?o }",
    "delete where": "DELETE WHERE { ?s ?p ?o }",
    "with delete": "WITH <urn:pwned:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "drop all": "DROP ALL",
    "clear default": "CLEAR DEFAULT",
    "load": "LOAD <http://127.0.0.1:9/x.ttl> INTO GRAPH <urn:pwned:g>",
    "copy": "COPY DEFAULT TO <urn:pwned:g>",
    "move": "MOVE DEFAULT TO <urn:pwned:g>",
    "add": "ADD DEFAULT TO <urn:pwned:g>",
    "create graph": "CREATE GRAPH <urn:pwned:g>",
    "service (fetches a URL)": "SELECT * WHERE { SERVICE <http://127.0.0.1:7878/query> { ?s ?p ?o } }",
}

#: SPARQL that only reads, though it contains the words; each must run
SPARQL_READS = {
    "word in a string": 'SELECT ("INSERT DATA; DROP ALL" AS ?x) WHERE {}',
    "word in a long string": 'SELECT ("""a\nDELETE WHERE { ?s ?p ?o }""" AS ?x) WHERE {}',
    "word in a comment": "# DROP ALL would be a write\nSELECT (1 AS ?x) WHERE {}",
    "word in an IRI": "SELECT ?x WHERE { BIND(<urn:x:delete> AS ?x) }",
    "variables named like keywords": "SELECT ?add ?with ?service WHERE { BIND(1 AS ?add) BIND(2 AS ?with) BIND(3 AS ?service) }",
    "ask": "ASK { ?s ?p ?o }",
}

#: Cypher that writes; each must be refused on every path
CYPHER_WRITES = {
    "create": "CREATE (n:Pwned) RETURN n",
    "create after a // comment line": "// just reading\nCREATE (n:Pwned) RETURN n",
    "create after a block comment": "MATCH (n) WITH n LIMIT 1 /* read */ CREATE (m:Pwned) RETURN m",
    "lower case": "create (n:Pwned) return n",
    "no-break space": "CREATE\u00a0(n:Pwned) RETURN n",
    "merge": "MERGE (n:Pwned {id: 'x'}) RETURN n",
    "set": "MATCH (n) WITH n LIMIT 1 SET n.pwned = true RETURN n",
    "detach delete": "MATCH (n) DETACH DELETE n",
    "remove": "MATCH (n:Task) REMOVE n.title",
    "foreach": "UNWIND [1] AS x FOREACH (y IN [x] | CREATE (:Pwned))",
    "subquery in transactions": "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS",
    "load csv (file)": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load csv split by a comment": "LOAD/* x */CSV FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row",
    "call db.createLabel": "CALL db.createLabel('Pwned')",
    "call db.createProperty": "CALL db.createProperty('pwned')",
    "call apoc.create.node": "CALL apoc.create.node(['Pwned'], {}) YIELD node RETURN node",
    "call apoc.cypher.runWrite": "CALL apoc.cypher.runWrite('CREATE (:Pwned)', {})",
    "call dbms": "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
    "drop constraint": "DROP CONSTRAINT entity_id",
    "create index": "CREATE INDEX pwned FOR (n:Pwned) ON (n.x)",
}

#: Cypher that only reads, though it contains the words; each must run
CYPHER_READS = {
    "word in a string": "RETURN 'CREATE (n) DETACH DELETE n' AS x",
    "word in a comment": "// SET and CREATE in a comment\nRETURN 1 AS x",
    "word in a backquoted name": "RETURN 1 AS `CREATE`",
    "read procedure": "CALL db.labels() YIELD label RETURN count(label) AS n",
}
