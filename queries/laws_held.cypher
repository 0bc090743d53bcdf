// name: laws_held
// params:
// returns: id, title, part, version_date, promulgated
// Every law the store holds, with what resolving a citation to its version needs (the laws
// loader resolves the citations of newly loaded laws to these as well).
MATCH (l:Law)
RETURN l.id AS id, l.title AS title, l.part AS part, l.versionDate AS version_date, l.promulgated AS promulgated
