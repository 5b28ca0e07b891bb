// name: accountability_chain
// purpose: Every accountability line from a body up to the top, nearest first; safe on cycles (a path never repeats a line).
// params: $id: String - the body to start from
// params: $maxSteps: Int = 25 - how far up to follow
// returns: one row per line {step: int, from: map, to: map, frequency, how, status, sources}
// used by: GraphQL accountabilityChain; `pkb query accountability_chain --param id=positive-participation-partnership`
MATCH path = (:Partnership {id: $id})-[:ACCOUNTABLE_TO*1..25]->()
WHERE length(path) <= $maxSteps
WITH relationships(path) AS lines
UNWIND range(0, size(lines) - 1) AS i
WITH lines[i] AS line, min(i) + 1 AS step
WITH line, step, startNode(line) AS s, endNode(line) AS t
RETURN step,
       s {.id, .name, .kind, .tier, .status, .sources, label: labels(s)[0]} AS from,
       t {.id, .name, .kind, .tier, .status, .sources, label: labels(t)[0]} AS to,
       line.frequency AS frequency, line.how AS how, line.status AS status,
       line.sources AS sources
ORDER BY step, from.name, to.name
