// name: in_force_on
// params: on_date, issued_by
// returns: doc_id, doc_title, doc_number, doc_type, issue_date, valid_until, source, start, end
// Documents in force on ON_DATE (a date, bound as date($on_date)): issued on or before it, and
// either without an end of validity (validUntil, from 有效期N年) or valid until it or later, and
// not repealed or declared invalid by then: endOfForce, the earliest issue date of a document
// repealing or invalidating it (CITES with relation repeals or invalidates, through SAME_AS), is
// set after each load (backends/neo4j.py) and must be after ON_DATE. ISSUED_BY (match form; null
// = any): only documents whose issuer contains it. source/start/end locate the whole document.
// Two branches: the issuer's documents through the TEXT index on Document.issuer, or every
// document (an OR in one WHERE would scan).
CALL () {
  MATCH (d:Document) WHERE d.issuer CONTAINS $issued_by
  RETURN d
  UNION
  MATCH (d:Document) WHERE $issued_by IS NULL
  RETURN d
}
WITH d, toString(date($on_date)) AS on_day
WHERE d.issueDate IS NOT NULL AND d.issueDate <= on_day
  AND (d.validUntil IS NULL OR d.validUntil >= on_day)
  AND (d.endOfForce IS NULL OR d.endOfForce > on_day)
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
