// name: board_seats
// purpose: Which boards each member sits on, compactly (one entry a member, boards as numbers): what interlocks and boardOverlaps count and rank in Python, once per data version and scope; with each member, who its seats count for (the post's holders in force, the organisations it belongs to).
// params: $asOf: Date = null - only memberships in force on this date (with their members, boards and holders)
// params: $area: String = null - only boards covering this area id or a place within it
// params: $dataset: String = null - only memberships this dataset states (cheltenham/returns)
// returns: one row {boards: [[id, name]], members: [[label, id, name, [board], [[holder id, name]], [[organisation id, name]]]]}: label 0 Person, 1 Post, 2 Organisation, 3 Partnership; a board is its place in boards
// used by: GraphQL interlocks and boardOverlaps (api/seats.py); `pkb query board_seats --param area=gloucestershire`
// The same scope, seats and people as interlocks and board_overlaps, which count in Cypher.
CALL () {
  WITH 1 AS one WHERE $area IS NULL
  MATCH (b:Partnership) RETURN b
  UNION
  WITH 1 AS one WHERE $area IS NOT NULL
  MATCH (:Area {id: $area})<-[:WITHIN*0..]-(:Area)<-[:COVERS]-(b:Partnership) RETURN b
}
WITH b WHERE $asOf IS NULL OR (b.inForceFrom <= $asOf AND (b.inForceUntil IS NULL OR b.inForceUntil >= $asOf))
WITH collect(b) AS scoped
CALL (scoped) {
  // A board is a number (its place in scoped): a seat costs a byte or two to send, not an id.
  UNWIND range(0, size(scoped) - 1) AS board
  WITH board, scoped[board] AS b
  // In force on $asOf: the membership, the member and the board (see README, "Time").
  MATCH (m)-[r:MEMBER_OF]->(b)
  WHERE ($dataset IS NULL OR $dataset IN r.datasets)
    AND ($asOf IS NULL OR (r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf)
                           AND m.inForceFrom <= $asOf AND (m.inForceUntil IS NULL OR m.inForceUntil >= $asOf)))
  WITH m, collect(board) AS boards
  RETURN collect([
    CASE WHEN m:Person THEN 0 WHEN m:Post THEN 1 WHEN m:Organisation THEN 2 ELSE 3 END,
    m.id, m.name, boards,
    [(p:Person)-[h:HOLDS]->(m)
     WHERE $asOf IS NULL OR (h.inForceFrom <= $asOf AND (h.inForceUntil IS NULL OR h.inForceUntil >= $asOf) AND p.inForceFrom <= $asOf AND (p.inForceUntil IS NULL OR p.inForceUntil >= $asOf)) | [p.id, p.name]],
    [(m)-[:POST_IN]->(o:Organisation) | [o.id, o.name]]
      + [(m)-[:HOLDS]->(:Post)-[:POST_IN]->(o:Organisation) | [o.id, o.name]]]) AS members
}
RETURN [b IN scoped | [b.id, b.name]] AS boards, members
