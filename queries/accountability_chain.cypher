// name: accountability_chain
// purpose: Every accountability line from a body up to the top, nearest first; safe on cycles (a path never repeats a line).
// params: $id: String - the body to start from
// params: $maxSteps: Int = 25 - how far up to follow
// params: $asOf: Date = null - only lines (and bodies) in force on this date
// returns: one row per line {step: int, source: node, target: node, line: relationship, frequency, how}
// used by: GraphQL accountabilityChain; `pkb query accountability_chain --param id=positive-participation-partnership`
MATCH p = (:Partnership|Programme {id: $id})-[:ACCOUNTABLE_TO*1..25]->()
WHERE length(p) <= $maxSteps
  AND ($asOf IS NULL OR (all(r IN relationships(p) WHERE r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf))
                   AND all(n IN nodes(p) WHERE n.inForceFrom <= $asOf AND (n.inForceUntil IS NULL OR n.inForceUntil >= $asOf))))
WITH relationships(p) AS lines
UNWIND range(0, size(lines) - 1) AS i
WITH lines[i] AS line, min(i) + 1 AS step
WITH line, step, startNode(line) AS s, endNode(line) AS t
RETURN step, s AS source, t AS target, line, line.frequency AS frequency, line.how AS how
ORDER BY step, s.name, t.name
