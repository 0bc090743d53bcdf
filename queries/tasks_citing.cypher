// name: tasks_citing
// params: reg
// returns: task_id, task_title, doc_id, doc_title, doc_number, cited, relation, lead, source, start, end
// Tasks that cite a regulation given by document number or title fragment REG (match form),
// with their document, the relation of the citation and each lead unit (null when none).
MATCH (t:Task)-[c:CITES]->(cd:CitedDocument)
WHERE cd.matchKey CONTAINS $reg OR coalesce(cd.matchTitle CONTAINS $reg, false)
MATCH (t)-[:IN_DOCUMENT]->(d:Document)
OPTIONAL MATCH (:Agency)-[l:LEADS]->(t)
RETURN DISTINCT
       t.id AS task_id,
       t.title AS task_title,
       d.id AS doc_id,
       d.title AS doc_title,
       d.docNumber AS doc_number,
       cd.key AS cited,
       c.relation AS relation,
       l.name AS lead,
       t.source AS source,
       t.start AS start,
       t.end AS `end`
ORDER BY task_id, lead
