// name: documents_citing
// params: reg
// returns: doc_id, doc_title, doc_number, cited, relation, matched, source, start, end
// Documents that cite a regulation given by document number or title fragment REG (match form),
// directly or through documents citing it: a document cites X, X is (SAME_AS) a corpus document
// that cites REG, and so on (variable-length path; CitedDocument -SAME_AS-> Document -CITES->
// CitedDocument alternate, so [:SAME_AS|CITES*0..] walks exactly that chain). One row per citation
// on the way: cited is the key this document's citation is written as, matched the key of the
// cited document matching REG (cited = matched for a direct citation); source/start/end locate
// the citation in the original.
MATCH (cd:CitedDocument)
WHERE cd.matchKey CONTAINS $reg OR coalesce(cd.matchTitle CONTAINS $reg, false)
MATCH (via:CitedDocument)-[:SAME_AS|CITES*0..]->(cd)
MATCH (d:Document)-[c:CITES]->(via)
RETURN DISTINCT
       d.id AS doc_id,
       d.title AS doc_title,
       d.docNumber AS doc_number,
       via.key AS cited,
       c.relation AS relation,
       cd.key AS matched,
       c.source AS source,
       c.start AS start,
       c.end AS `end`
ORDER BY doc_id, cited
