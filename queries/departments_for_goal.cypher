// name: departments_for_goal
// params: goal
// returns: agency, canonical, role, task_id, task_title, doc_id, doc_title, doc_number, source, start, end
// Agencies that lead or share tasks whose title or text, or whose document's title, contains GOAL
// (match form), with the role, the task and its document; source/start/end locate the task's
// text in the original.
// Two branches, each one TEXT-index lookup (an OR over two labels would scan every task):
// tasks whose text contains GOAL, and the tasks of documents whose title does.
CALL () {
  MATCH (t:Task) WHERE t.matchText CONTAINS $goal
  RETURN t
  UNION
  MATCH (d0:Document) WHERE d0.matchTitle CONTAINS $goal
  MATCH (t:Task)-[:IN_DOCUMENT]->(d0)
  RETURN t
}
MATCH (t)-[:IN_DOCUMENT]->(d:Document)
MATCH (a:Agency)-[r:LEADS|SHARES]->(t)
RETURN DISTINCT
       r.name AS agency,
       a.canonical AS canonical,
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
