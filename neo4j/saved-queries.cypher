// name: policykg - the graph's shape
// The labels and relationship types of the policykg graph (every node also has the label Entity).
CALL db.schema.visualization();

// name: policykg - a plan and its tasks
// A plan (工作方案) with its tasks and their lead units; change '降成本' to another plan's title.
MATCH (d:Document) WHERE d.title CONTAINS '降成本'
MATCH (t:Task)-[i:IN_DOCUMENT]->(d)
OPTIONAL MATCH (a:Agency)-[r:LEADS]->(t)
RETURN d, i, t, r, a;

// name: policykg - a plan's tasks as a table
// The same plan as a table: each task with its lead and responsible units, deadlines and targets.
MATCH (d:Document) WHERE d.title CONTAINS '降成本'
MATCH (t:Task)-[:IN_DOCUMENT]->(d)
RETURN t.path AS path, t.title AS task,
       COLLECT { MATCH (a:Agency)-[:LEADS]->(t) RETURN a.name } AS leads,
       COLLECT { MATCH (a:Agency)-[:SHARES]->(t) RETURN a.name } AS responsible,
       COLLECT { MATCH (t)-[:DUE]->(dl:Deadline) RETURN dl.text } AS deadlines,
       COLLECT { MATCH (t)-[:HAS_TARGET]->(g:Target) RETURN g.text } AS targets
ORDER BY t.start;

// name: policykg - one agency's workload
// Every task 绵阳市财政局 leads or shares, with the document it comes from; change the name.
MATCH (a:Agency {name: '绵阳市财政局'})-[r:LEADS|SHARES]->(t:Task)-[i:IN_DOCUMENT]->(d:Document)
RETURN a, r, t, i, d;

// name: policykg - one agency's workload by document
// How many tasks 绵阳市财政局 leads and shares in each document.
MATCH (a:Agency {name: '绵阳市财政局'})-[r:LEADS|SHARES]->(t:Task)-[:IN_DOCUMENT]->(d:Document)
RETURN d.title AS document,
       count(DISTINCT CASE type(r) WHEN 'LEADS' THEN t END) AS leads,
       count(DISTINCT CASE type(r) WHEN 'SHARES' THEN t END) AS shares
ORDER BY leads + shares DESC, document;

// name: policykg - the busiest agencies
// Agencies by the number of tasks they lead or share.
MATCH (a:Agency)-[r:LEADS|SHARES]->(t:Task)
RETURN a.name AS agency,
       count(DISTINCT CASE type(r) WHEN 'LEADS' THEN t END) AS leads,
       count(DISTINCT CASE type(r) WHEN 'SHARES' THEN t END) AS shares,
       count(DISTINCT t) AS tasks
ORDER BY tasks DESC, agency
LIMIT 25;

// name: policykg - what cites 财税〔2015〕119号
// Tasks and documents that cite the regulation, the kind of citation, the task's document and lead unit.
MATCH (cd:CitedDocument) WHERE cd.matchKey CONTAINS '财税〔2015〕119号'
MATCH (x)-[c:CITES]->(cd)
OPTIONAL MATCH (x)-[i:IN_DOCUMENT]->(d:Document)
OPTIONAL MATCH (a:Agency)-[l:LEADS]->(x)
RETURN cd, c, x, i, d, l, a;

// name: policykg - the most cited regulations
// Cited laws and documents by the number of tasks and documents citing them.
MATCH (x)-[c:CITES]->(cd:CitedDocument)
RETURN cd.key AS cited, count(DISTINCT x) AS citing, collect(DISTINCT c.relation) AS relations
ORDER BY citing DESC, cited
LIMIT 25;

// name: policykg - deadlines timeline
// Tasks with a deadline, dated ones first in date order, with their lead units.
MATCH (t:Task)-[:DUE]->(dl:Deadline)
RETURN dl.date AS date, dl.text AS deadline, dl.kind AS kind, t.title AS task,
       COLLECT { MATCH (a:Agency)-[:LEADS]->(t) RETURN a.name } AS leads
ORDER BY dl.date IS NULL, dl.date, t.start;

// name: policykg - targets of a plan
// Quantified targets (到2017年…) of a plan and of its tasks.
MATCH (d:Document) WHERE d.title CONTAINS '去库存'
MATCH (x)-[h:HAS_TARGET]->(g:Target)
WHERE x = d OR (x)-[:IN_DOCUMENT]->(d)
RETURN x, h, g;

// name: policykg - full-text search of tasks
// Tasks whose title or text matches 住房公积金 (full-text index with the CJK analyzer).
CALL db.index.fulltext.queryNodes('task_fulltext', '住房公积金') YIELD node, score
RETURN node.title AS task, node.path AS path, score
ORDER BY score DESC
LIMIT 20;

// name: policykg - a document and its attachments
// Documents published as attachments (附件) of a notice (PART_OF the notice).
MATCH (a:Document)-[p:PART_OF]->(d:Document)
RETURN a, p, d;
