// name: agency_tasks
// params: for_agency
// returns: agency, canonical, agency_id, role, task_id, task_title, doc_id, doc_title, doc_number, source, start, end
// The tasks of the agency FOR_AGENCY, given by its written name, its canonical name or a fragment
// of either (match form), or by one of its authority labels (altLabels / hiddenLabels, whole):
// one row per (mention, task) with the role, lead (牵头) or responsible (责任, shared); agency is
// the name as written in that task. source/start/end locate the task's text in the original.
// The candidate agencies first, each branch one index lookup (TEXT indexes on Agency.matchKey and on
// LEADS.name / SHARES.name; the authority labels are on few agencies), then their tasks.
CALL () {
  MATCH (a:Agency) WHERE a.matchKey CONTAINS $for_agency
  RETURN a
  UNION
  MATCH (a:Agency)-[r0:LEADS]->(:Task) WHERE r0.name CONTAINS $for_agency
  RETURN a
  UNION
  MATCH (a:Agency)-[r0:SHARES]->(:Task) WHERE r0.name CONTAINS $for_agency
  RETURN a
  UNION
  MATCH (a:Agency) WHERE $for_agency IN coalesce(a.altLabels, []) + coalesce(a.hiddenLabels, [])
  RETURN a
}
MATCH (a)-[r:LEADS|SHARES]->(t:Task)
WHERE r.name CONTAINS $for_agency OR coalesce(a.matchKey CONTAINS $for_agency, false)
   OR $for_agency IN coalesce(a.altLabels, []) + coalesce(a.hiddenLabels, [])
MATCH (t)-[:IN_DOCUMENT]->(d:Document)
RETURN DISTINCT
       r.name AS agency,
       a.canonical AS canonical,
       a.id AS agency_id,
       CASE type(r) WHEN 'LEADS' THEN 'lead' ELSE 'responsible' END AS role,
       t.id AS task_id,
       t.title AS task_title,
       d.id AS doc_id,
       d.title AS doc_title,
       d.docNumber AS doc_number,
       t.source AS source,
       t.start AS start,
       t.end AS `end`
ORDER BY task_id, role, agency
