// name: network
// purpose: The membership network as one list of who sits on which board, for network metrics: a person counts through every post they hold, a post held by no one counts itself, and seats add up.
// params: $asOf: Date = null - only memberships in force on this date (with their members, boards and holders)
// params: $area: String = null - only boards covering this area id or an area within it
// params: $dataset: String = null - only memberships this dataset says (such as cheltenham/returns)
// returns: one row per member and board {member: {id, label, name}, board: {id, label, name}, seats: int}
// used by: GraphQL networkMetrics; `pkb metrics`; `pkb query network --param area=cheltenham`
MATCH (m)-[r:MEMBER_OF]->(board:Partnership)
// In force on $asOf: the membership, the member and the board (see README, "Time").
WHERE ($asOf IS NULL OR (r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf)
                         AND m.inForceFrom <= $asOf AND (m.inForceUntil IS NULL OR m.inForceUntil >= $asOf)
                         AND board.inForceFrom <= $asOf AND (board.inForceUntil IS NULL OR board.inForceUntil >= $asOf)))
  AND ($dataset IS NULL OR $dataset IN r.datasets)
  AND ($area IS NULL OR EXISTS { (board)-[:COVERS]->(:Area)-[:WITHIN*0..]->(:Area {id: $area}) })
WITH board, m, coalesce(r.seats, 1) AS seats,
     [(p:Person)-[h:HOLDS]->(m)
      WHERE $asOf IS NULL OR (h.inForceFrom <= $asOf AND (h.inForceUntil IS NULL OR h.inForceUntil >= $asOf) AND p.inForceFrom <= $asOf AND (p.inForceUntil IS NULL OR p.inForceUntil >= $asOf)) | p] AS holders
UNWIND CASE WHEN size(holders) > 0 THEN holders ELSE [m] END AS who
WITH who, board, sum(seats) AS seats
RETURN {id: who.id, label: labels(who)[0], name: coalesce(who.name, who.id)} AS member,
       {id: board.id, label: 'Partnership', name: coalesce(board.name, board.id)} AS board,
       seats
ORDER BY board.id, member.label, member.id
