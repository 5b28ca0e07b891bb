// name: neighbourhood
// purpose: The nodes within $depth steps of one node (at most $limit, nearest first) and every relationship among them, for drawing.
// params: $id: String - the centre node
// params: $depth: Int = 1 - 1, 2 or 3 steps
// params: $limit: Int = 200 - the most nodes to return
// params: $asOf: Date = null - only what is in force on this date
// returns: one row {nodes: [node], edges: [relationship]}
// used by: GraphQL neighbourhood; the explorer's expand; `pkb query neighbourhood --param id=gloucestershire-conference`
MATCH (centre:Organisation|Partnership|Post|Person|Strategy|Aim|Outcome|Action|Programme|Area|Source|Guidance) WHERE centre.id = $id
CALL (centre) {
  MATCH p = (centre)-[*0..1]-(x) WHERE $depth <= 1 AND ($asOf IS NULL OR (all(r IN relationships(p) WHERE r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf))
      AND all(n IN nodes(p) WHERE n.inForceFrom <= $asOf AND (n.inForceUntil IS NULL OR n.inForceUntil >= $asOf)))) RETURN x, 1 AS far
  UNION
  MATCH p = (centre)-[*0..2]-(x) WHERE $depth = 2 AND ($asOf IS NULL OR (all(r IN relationships(p) WHERE r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf))
      AND all(n IN nodes(p) WHERE n.inForceFrom <= $asOf AND (n.inForceUntil IS NULL OR n.inForceUntil >= $asOf)))) RETURN x, 2 AS far
  UNION
  MATCH p = (centre)-[*0..3]-(x) WHERE $depth >= 3 AND ($asOf IS NULL OR (all(r IN relationships(p) WHERE r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf))
      AND all(n IN nodes(p) WHERE n.inForceFrom <= $asOf AND (n.inForceUntil IS NULL OR n.inForceUntil >= $asOf)))) RETURN x, 3 AS far
}
WITH centre, x, CASE WHEN x = centre THEN 0 ELSE 1 END AS rank
ORDER BY rank, x.name
WITH centre, collect(DISTINCT x)[..$limit] AS found
UNWIND found AS a
OPTIONAL MATCH (a)-[r]->(b) WHERE b IN found AND ($asOf IS NULL OR r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf))
WITH found, collect(DISTINCT r) AS rels
RETURN found AS nodes, rels AS edges
