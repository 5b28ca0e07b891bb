// name: board_overlaps
// purpose: Pairs of boards that share members (each pair once), with the members they share; people count through the posts they hold.
// params: $minShared: Int = 1 - the fewest shared members for a pair to be listed
// params: $asOf: Date = null - only memberships in force on this date
// returns: one row per pair {a: node, b: node, shared: [node]}, most shared first
// used by: GraphQL boardOverlaps; `pkb query board_overlaps --param minShared=2`
MATCH (m)-[r:MEMBER_OF]->(board:Partnership)
WHERE $asOf IS NULL OR ((r.validFrom IS NULL OR r.validFrom <= $asOf)
                        AND (r.validTo IS NULL OR r.validTo >= $asOf))
WITH board, m, [(p:Person)-[:HOLDS]->(m) | p] AS holders
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
