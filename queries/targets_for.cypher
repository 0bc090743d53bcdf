// name: targets_for
// params: of_metric, in_year
// returns: target_id, metric, comparator, value, unit, year, target_kind, text, task_id, task_title, doc_id, doc_title, doc_number, source, start, end
// Quantitative targets whose metric contains OF_METRIC (match form; null = any metric) and whose
// target year is IN_YEAR (an integer; null = any year, also none), with the task that sets them
// (null for a document-level target) and the document. source/start/end locate the target's text.
// The candidates from the selective end, three exclusive branches: the metric's targets through
// the TEXT index on Target.metric; without a metric, the year's through the index on Target.year;
// without either, every target.
CALL () {
  MATCH (g:Target) WHERE g.metric CONTAINS $of_metric
  RETURN g
  UNION
  MATCH (g:Target) WHERE $of_metric IS NULL AND g.year = $in_year
  RETURN g
  UNION
  MATCH (g:Target) WHERE $of_metric IS NULL AND $in_year IS NULL
  RETURN g
}
WITH g WHERE $in_year IS NULL OR g.year = $in_year
MATCH (owner)-[:HAS_TARGET]->(g)
OPTIONAL MATCH (owner:Task)-[:IN_DOCUMENT]->(td:Document)
WITH owner, g, td, CASE WHEN owner:Document THEN owner ELSE td END AS d
WHERE d IS NOT NULL
RETURN DISTINCT
       g.id AS target_id,
       g.metric AS metric,
       g.comparator AS comparator,
       g.value AS value,
       g.unit AS unit,
       g.year AS year,
       g.kind AS target_kind,
       g.text AS text,
       CASE WHEN owner:Task THEN owner.id END AS task_id,
       CASE WHEN owner:Task THEN owner.title END AS task_title,
       d.id AS doc_id,
       d.title AS doc_title,
       d.docNumber AS doc_number,
       g.source AS source,
       g.start AS start,
       g.end AS `end`
ORDER BY doc_id, target_id
