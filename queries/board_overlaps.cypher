// name: board_overlaps
// purpose: Pairs of boards that share members (each pair once), with the members they share; people count through the posts they hold.
// params: $minShared: Int = 1 - the fewest shared members for a pair to be listed
// params: $asOf: Date = null - only memberships in force on this date
// returns: one row per pair {a: node, b: node, shared: [node]}, most shared first
// used by: GraphQL boardOverlaps; `pkb query board_overlaps --param minShared=2`
MATCH (m)-[r:MEMBER_OF]->(board:Partnership)
// In force on $asOf: the membership, the member and the board (see README, "Time").
WHERE $asOf IS NULL OR (r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf)
                        AND m.inForceFrom <= $asOf AND (m.inForceUntil IS NULL OR m.inForceUntil >= $asOf)
                        AND board.inForceFrom <= $asOf AND (board.inForceUntil IS NULL OR board.inForceUntil >= $asOf))
WITH board, m, [(p:Person)-[h:HOLDS]->(m)
                WHERE $asOf IS NULL OR (h.inForceFrom <= $asOf AND (h.inForceUntil IS NULL OR h.inForceUntil >= $asOf) AND p.inForceFrom <= $asOf AND (p.inForceUntil IS NULL OR p.inForceUntil >= $asOf)) | p] AS holders
UNWIND CASE WHEN size(holders) > 0 THEN holders ELSE [m] END AS who
WITH who, collect(DISTINCT board) AS boards
WHERE size(boards) >= 2
UNWIND boards AS a
UNWIND boards AS b
WITH a, b, who WHERE a.id < b.id
WITH a, b, collect(who) AS shared
WHERE size(shared) >= $minShared
RETURN a, b, shared
ORDER BY size(shared) DESC, a.name, b.name
