// name: path
// purpose: The shortest chain of relationships (either direction, at most 12) linking two nodes.
// params: $from: String - one node id
// params: $to: String - the other node id
// params: $asOf: Date = null - only through what is in force on this date
// params: $avoidTypes: [String] = [] - relationship types never followed
// params: $avoidLabels: [String] = [] - node labels never passed through (the two ends always allowed)
// params: $avoidStatus: [String] = [] - node statuses never passed through (example, proposed...)
// returns: one row {nodes: [node], edges: [relationship]} (empty lists when no chain exists; a node to itself is a path of length 0)
// used by: GraphQL path; the explorer's path between two nodes; `pkb query path --param from=a --param to=b`
OPTIONAL MATCH (a:Organisation|Partnership|Post|Person|Strategy|Aim|Outcome|Action|Programme|Area|Source|Guidance) WHERE a.id = $from
OPTIONAL MATCH (b:Organisation|Partnership|Post|Person|Strategy|Aim|Outcome|Action|Programme|Area|Source|Guidance) WHERE b.id = $to
// Breadth first, each step checked as it is taken: a date with no path answers at once.
OPTIONAL MATCH p = SHORTEST 1 (a)((x)-[r]-(y)
                    WHERE NOT type(r) IN $avoidTypes
                      AND (y.id = $to OR (NOT any(label IN labels(y) WHERE label IN $avoidLabels)
                                          AND NOT coalesce(y.status, '') IN $avoidStatus))
                      AND ($asOf IS NULL OR (r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf)
                                             AND y.inForceFrom <= $asOf AND (y.inForceUntil IS NULL OR y.inForceUntil >= $asOf)))){0,12}(b)
WHERE $asOf IS NULL OR (a.inForceFrom <= $asOf AND (a.inForceUntil IS NULL OR a.inForceUntil >= $asOf))
RETURN coalesce(nodes(p), []) AS nodes, coalesce(relationships(p), []) AS edges
