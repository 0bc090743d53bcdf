// name: agencies_in_sector
// params: of_sector, within
// returns: agency_id, agency, jurisdiction, level, sector, sector_label, role
// Agencies of a sector or generic role within a jurisdiction. OF_SECTOR (match form) is a sector
// code (fiscal, finance), one of its labels (财政, 财政金融) or a generic role (财政部门): an agency
// is in it when its sector is that sector or a narrower one (IN_SECTOR* between sectors), or, for
// a role, when its sector is the role's sector or a narrower one — the rule the RDF side
// materialises at build as org:classification (loaders/authority.py); Neo4j walks it at query
// time. WITHIN (match form; null = anywhere) keeps agencies whose jurisdiction is it or lies
// within it (IN_JURISDICTION* between jurisdictions: 绵阳市 → 四川省). sector is the agency's own
// sector code, role the generic role's name when OF_SECTOR named one.
CALL () {
  MATCH (r:Agency {generic: true})-[:IN_SECTOR]->(rs:Sector)
  WHERE r.matchKey = $of_sector
  MATCH (a:Agency)-[:IN_SECTOR]->(:Sector)-[:IN_SECTOR*0..]->(rs)
  WHERE NOT coalesce(a.generic, false)
  RETURN a, r.name AS role
  UNION
  MATCH (s:Sector)
  WHERE s.name = $of_sector OR s.canonical = $of_sector OR $of_sector IN coalesce(s.altLabels, [])
  MATCH (a:Agency)-[:IN_SECTOR]->(:Sector)-[:IN_SECTOR*0..]->(s)
  WHERE NOT coalesce(a.generic, false)
  RETURN a, null AS role
}
MATCH (a)-[:IN_SECTOR]->(own:Sector)
OPTIONAL MATCH (a)-[:IN_JURISDICTION]->(j0:Jurisdiction)
WITH a, role, own, j0
WHERE $within IS NULL OR EXISTS {
  MATCH (a)-[:IN_JURISDICTION]->(:Jurisdiction)-[:IN_JURISDICTION*0..]->(j:Jurisdiction)
  WHERE j.name = $within
}
RETURN DISTINCT
       a.id AS agency_id,
       a.name AS agency,
       j0.name AS jurisdiction,
       a.level AS level,
       own.name AS sector,
       own.canonical AS sector_label,
       role
ORDER BY sector, agency
