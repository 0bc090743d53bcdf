"""Local servers that policykg talks to, managed without Docker.

* :mod:`interface.services.neo4j_server` — Neo4j Community 5.26 (LTS), assembled
  from Neo4j's own artifacts on Maven Central, Bolt on 127.0.0.1:7687 and Neo4j
  Browser on http://127.0.0.1:7474.
* :mod:`interface.services.oxigraph_server` — ``oxigraph serve`` (PyPI package
  ``oxigraph``) on 127.0.0.1:7878.

Both live under :func:`policykg.config.services_dir`. Importing these modules
has no side effects; ``python -m interface.services --help`` is the command line.
"""
