// name: cited_titles
// params:
// returns: id, key
// Every cited document the store holds that is named by a title (《…》), cited by a policy
// document or a law: the laws loader links the ones that name a law to it (SAME_AS).
MATCH (c:CitedDocument)
WHERE c.key STARTS WITH '《'
RETURN DISTINCT c.id AS id, c.key AS key
