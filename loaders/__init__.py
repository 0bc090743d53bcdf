"""Reading gazettes, extracting facts, and loading them into graph stores.

Stages, one package each:
  ``loaders.text``     read bytes → original text; normalise with an offset map
  ``loaders.extract``  pure extractors: documents, provisions, roles, targets, …
  ``loaders.pipeline`` runs the stages on a file → :class:`policykg.model.Extraction`
  ``loaders.rdf_writer`` / ``loaders.neo4j_writer`` write the model into the backends
"""
