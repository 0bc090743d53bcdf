// name: deadlines_between
// params: date_from, date_to, for_agency
// returns: task_id, task_title, doc_id, doc_title, doc_number, deadline, deadline_date, deadline_kind, agency, canonical, role, source, start, end
// Tasks with a dated deadline in the window DATE_FROM..DATE_TO (dates, bound as date($x); both
// inclusive), with each lead and responsible agency (null when the task names none). FOR_AGENCY
// (match form; null = any) keeps the rows of agencies whose written name or canonical name
// contains it. source/start/end locate the task's text in the original.
// The window is a range seek on the RANGE index of Deadline.date (ISO strings compare as dates):
// date(dl.date) in the WHERE read every deadline.
MATCH (t:Task)-[:DUE]->(dl:Deadline)
WHERE toString(date($date_from)) <= dl.date <= toString(date($date_to))
MATCH (t)-[:IN_DOCUMENT]->(d:Document)
OPTIONAL MATCH (a:Agency)-[r:LEADS|SHARES]->(t)
WITH t, dl, d, a, r
WHERE $for_agency IS NULL OR r.name CONTAINS $for_agency OR coalesce(a.matchKey CONTAINS $for_agency, false)
RETURN DISTINCT
       t.id AS task_id,
       t.title AS task_title,
       d.id AS doc_id,
       d.title AS doc_title,
       d.docNumber AS doc_number,
       dl.text AS deadline,
       dl.date AS deadline_date,
       dl.kind AS deadline_kind,
       r.name AS agency,
       a.canonical AS canonical,
       CASE type(r) WHEN 'LEADS' THEN 'lead' WHEN 'SHARES' THEN 'responsible' END AS role,
       t.source AS source,
       t.start AS start,
       t.end AS `end`
ORDER BY deadline_date, task_id, role, agency
