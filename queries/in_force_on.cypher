// name: in_force_on
// params: on_date
// returns: doc_id, doc_title, doc_number, doc_type, issue_date, valid_until, source, start, end
// Documents in force on ON_DATE (a date, bound as date($on_date)): issued on or before it, and
// either without an end of validity (validUntil, from 有效期N年) or valid until it or later, and
// not repealed or declared invalid (CITES with relation repeals or invalidates, through SAME_AS)
// by a document issued on or before it. source/start/end locate the whole document in the original.
MATCH (d:Document)
WHERE d.issueDate IS NOT NULL AND date(d.issueDate) <= date($on_date)
  AND (d.validUntil IS NULL OR date(d.validUntil) >= date($on_date))
  AND NOT EXISTS {
    MATCH (other:Document)-[c:CITES]->(:CitedDocument)-[:SAME_AS]->(d)
    WHERE c.relation IN ['repeals', 'invalidates'] AND other.issueDate IS NOT NULL
      AND date(other.issueDate) <= date($on_date)
  }
RETURN DISTINCT
       d.id AS doc_id,
       d.title AS doc_title,
       d.docNumber AS doc_number,
       d.docType AS doc_type,
       d.issueDate AS issue_date,
       d.validUntil AS valid_until,
       d.source AS source,
       d.start AS start,
       d.end AS `end`
ORDER BY doc_id
