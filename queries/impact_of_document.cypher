// name: impact_of_document
// params: reg, on_date
// returns: doc_id, doc_title, doc_number, through_doc, relation, cited, task_id, task_title, agency, canonical, role, deadline, deadline_date, deadline_kind, source, start, end, cite_start, cite_end
// What a change to a regulation REG (number or title fragment, match form) touches: the documents
// that implement it, are based on it or continue it (CITES with relation implements, based_on or
// continues), transitively through corpus documents (SAME_AS) and down to their annexes
// (PART_OF*); their tasks; each task's lead and responsible agencies; and its deadlines still open
// on ON_DATE (a date, bound as date($on_date); a deadline is open when it has no date or its date
// >= ON_DATE; null = all). through_doc is the document whose citation links to REG (doc_id itself,
// or the parent an annex belongs to); relation and cited are that citation's. A document without
// tasks gives one row with the task columns null; source/start/end locate the task (else the
// citation) in the original, cite_start/cite_end the citation of through_doc that links it to REG.
// The cited documents naming REG first, each branch one TEXT-index lookup (an OR in one WHERE made
// the planner scan every cited document and expand the citation chains of each).
CALL () {
  MATCH (cd:CitedDocument) WHERE cd.matchKey CONTAINS $reg
  RETURN cd
  UNION
  MATCH (cd:CitedDocument) WHERE cd.matchTitle CONTAINS $reg
  RETURN cd
}
MATCH p = (via:CitedDocument)-[:SAME_AS|CITES*0..]->(cd)
WHERE all(r IN relationships(p) WHERE type(r) = 'SAME_AS' OR r.relation IN ['implements', 'based_on', 'continues'])
MATCH (doc0:Document)-[c:CITES]->(via)
WHERE c.relation IN ['implements', 'based_on', 'continues']
MATCH (doc:Document)-[:PART_OF*0..]->(doc0)
OPTIONAL MATCH (t:Task)-[:IN_DOCUMENT]->(doc)
OPTIONAL MATCH (a:Agency)-[r:LEADS|SHARES]->(t)
OPTIONAL MATCH (t)-[:DUE]->(dl:Deadline)
WHERE $on_date IS NULL OR dl.date IS NULL OR date(dl.date) >= date($on_date)
RETURN DISTINCT
       doc.id AS doc_id,
       doc.title AS doc_title,
       doc.docNumber AS doc_number,
       doc0.id AS through_doc,
       c.relation AS relation,
       via.key AS cited,
       t.id AS task_id,
       t.title AS task_title,
       r.name AS agency,
       a.canonical AS canonical,
       CASE type(r) WHEN 'LEADS' THEN 'lead' WHEN 'SHARES' THEN 'responsible' END AS role,
       dl.text AS deadline,
       dl.date AS deadline_date,
       dl.kind AS deadline_kind,
       coalesce(t.source, c.source) AS source,
       coalesce(t.start, c.start) AS start,
       coalesce(t.end, c.end) AS `end`,
       c.start AS cite_start,
       c.end AS cite_end
ORDER BY doc_id, task_id, role, agency, deadline
