// name: known_names
// params:
// returns: kind, name
// Every name a question can refer to, for "did you mean …?" and for telling an empty graph:
// kind agency (a lead or responsible unit as written), citation (a cited document's key as
// written), document (a document's title or number), task (a task's title), target (a target's metric).
CALL () {
  MATCH (:Agency)-[r:LEADS|SHARES]->(:Task) RETURN 'agency' AS kind, r.name AS name
  UNION
  MATCH (cd:CitedDocument) RETURN 'citation' AS kind, cd.key AS name
  UNION
  MATCH (d:Document) WHERE d.title IS NOT NULL RETURN 'document' AS kind, d.title AS name
  UNION
  MATCH (d:Document) WHERE d.docNumber IS NOT NULL RETURN 'document' AS kind, d.docNumber AS name
  UNION
  MATCH (t:Task) RETURN 'task' AS kind, t.title AS name
  UNION
  MATCH (g:Target) WHERE g.metric IS NOT NULL RETURN 'target' AS kind, g.metric AS name
}
RETURN DISTINCT kind, name
ORDER BY kind, name
