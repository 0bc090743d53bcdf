// name: expiring_documents
// params: before
// returns: doc_id, doc_title, doc_number, issue_date, valid_until, task_id, task_title, agency, role, source, start, end
// Documents with a validity end (有效期5年 → validUntil), optionally only those whose last valid day
// is before BEFORE (a date, bound as date($before); null = all): one row per (document, task,
// agency and role) with the tasks that lapse with the document (null when it has none) and their
// lead / responsible agencies as written (null when none); source/start/end locate the task (or,
// without tasks, the document) in the original text.
// From the selective end: the documents with a validity end (RANGE index on Document.validUntil;
// ISO dates compare as strings).
MATCH (d:Document)
WHERE d.validUntil IS NOT NULL AND ($before IS NULL OR d.validUntil < toString(date($before)))
OPTIONAL MATCH (t:Task)-[:IN_DOCUMENT]->(d)
OPTIONAL MATCH (a:Agency)-[r:LEADS|SHARES]->(t)
RETURN DISTINCT
       d.id AS doc_id,
       d.title AS doc_title,
       d.docNumber AS doc_number,
       d.issueDate AS issue_date,
       d.validUntil AS valid_until,
       t.id AS task_id,
       t.title AS task_title,
       r.name AS agency,
       CASE type(r) WHEN 'LEADS' THEN 'lead' WHEN 'SHARES' THEN 'responsible' ELSE null END AS role,
       coalesce(t.source, d.source) AS source,
       coalesce(t.start, d.start) AS start,
       coalesce(t.end, d.end) AS `end`
ORDER BY valid_until, doc_id, task_id, role, agency
