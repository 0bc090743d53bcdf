// name: reform_impact
// params: reform
// returns: change_id, change_date, kind, certainty, agency, canonical, role, successor, task_id, task_title, doc_id, doc_title, doc_number, source, start, end
// Tasks led or shared by an agency that an agency reform (机构改革) REFORM (the id of a loaded
// reform file, e.g. mianyang-2018) changes: one row per (change, written agency, role, task), with
// the successor agency (its canonical name), the change's date, kind (merge / rename: the unit
// ceased; partial: some duties moved) and certainty; source/start/end locate the task's text.
MATCH (c:AgencyChange {reform: $reform})-[:ORIGINAL_ORGANIZATION]->(a:Agency)
MATCH (c)-[:RESULTING_ORGANIZATION]->(s:Agency)
MATCH (a)-[r:LEADS|SHARES]->(t:Task)-[:IN_DOCUMENT]->(d:Document)
RETURN DISTINCT
       c.id AS change_id,
       c.changeDate AS change_date,
       c.kind AS kind,
       c.certainty AS certainty,
       r.name AS agency,
       a.canonical AS canonical,
       CASE type(r) WHEN 'LEADS' THEN 'lead' ELSE 'responsible' END AS role,
       s.name AS successor,
       t.id AS task_id,
       t.title AS task_title,
       d.id AS doc_id,
       d.title AS doc_title,
       d.docNumber AS doc_number,
       t.source AS source,
       t.start AS start,
       t.end AS `end`
ORDER BY change_id, task_id, role, agency
