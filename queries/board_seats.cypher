// name: board_seats
// purpose: Which boards each member sits on, compactly (ids only, no one's name): what boardOverlaps counts its pairs from, in Python, once per data version; people count through the posts they hold.
// params: $asOf: Date = null - only memberships in force on this date
// params: $area: String = null - only boards covering this area id or a place within it
// params: $dataset: String = null - only memberships this dataset states (cheltenham/returns)
// returns: one row {boards: [[id, name]], seats: [[id]]}: the boards in scope that share a member, and for each member on two or more of them, their ids
// used by: GraphQL boardOverlaps (api/overlaps.py); `pkb query board_seats --param area=gloucestershire`
// The same scope and seats as board_overlaps (which counts the pairs in Cypher).
CALL () {
  WITH 1 AS one WHERE $area IS NULL
  MATCH (b:Partnership) RETURN b
  UNION
  WITH 1 AS one WHERE $area IS NOT NULL
  MATCH (:Area {id: $area})<-[:WITHIN*0..]-(:Area)<-[:COVERS]-(b:Partnership) RETURN b
}
WITH b WHERE $asOf IS NULL OR (b.inForceFrom <= $asOf AND (b.inForceUntil IS NULL OR b.inForceUntil >= $asOf))
// In force on $asOf: the membership, the member and the board (see README, "Time").
MATCH (m)-[r:MEMBER_OF]->(b)
WHERE ($dataset IS NULL OR $dataset IN r.datasets)
  AND ($asOf IS NULL OR (r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf)
                         AND m.inForceFrom <= $asOf AND (m.inForceUntil IS NULL OR m.inForceUntil >= $asOf)))
WITH m, collect(DISTINCT b) AS boards
WITH m, boards, [(p:Person)-[h:HOLDS]->(m)
                 WHERE $asOf IS NULL OR (h.inForceFrom <= $asOf AND (h.inForceUntil IS NULL OR h.inForceUntil >= $asOf) AND p.inForceFrom <= $asOf AND (p.inForceUntil IS NULL OR p.inForceUntil >= $asOf)) | p] AS holders
UNWIND CASE WHEN size(holders) > 0 THEN holders ELSE [m] END AS who
UNWIND boards AS b
WITH who, collect(DISTINCT b) AS boards
WHERE size(boards) >= 2
WITH collect(boards) AS seats
// Each board's name once, for the order of the pairs (ties by names).
CALL (seats) {
  UNWIND seats AS boards
  UNWIND boards AS b
  WITH DISTINCT b
  RETURN collect([b.id, b.name]) AS boards
}
RETURN boards, [s IN seats | [b IN s | b.id]] AS seats
