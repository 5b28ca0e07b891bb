// name: board_overlaps
// purpose: Pairs of boards that share members (each pair once), a page at a time, with how many there are; people count through the posts they hold.
// params: $minShared: Int = 1 - the fewest shared members for a pair to be listed
// params: $asOf: Date = null - only memberships in force on this date
// params: $area: String = null - only boards covering this area id or a place within it
// params: $dataset: String = null - only memberships this dataset states (cheltenham/returns)
// params: $sort: String = SHARED - SHARED (most shared first, then names) or NAME
// params: $first: Int = 20 - page size
// params: $offset: Int = 0 - how many to skip
// returns: one row {totalCount: int, items: [{a: node, b: node, count: int, shared: [node]}]}, a.id < b.id
// used by: `pkb query board_overlaps --param minShared=2 --param first=50`; the reference that GraphQL boardOverlaps (which ranks in Python: board_seats, api/overlaps.py) is tested and benchmarked against
// The boards in scope: every partnership, or those covering the area or a place within it.
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
// Each pair of a member's boards once, counted, not listed: the shared members are listed
// for the page's pairs only.
UNWIND range(0, size(boards) - 2) AS i
UNWIND range(i + 1, size(boards) - 1) AS j
WITH boards[i] AS x, boards[j] AS y
WITH CASE WHEN elementId(x) < elementId(y) THEN [x, y] ELSE [y, x] END AS pair, count(*) AS shared
WHERE shared >= $minShared
WITH collect({pair: pair, count: shared}) AS matched
CALL (matched) {
  UNWIND matched AS row
  WITH row.count AS count, CASE WHEN row.pair[0].id < row.pair[1].id THEN row.pair
                                ELSE [row.pair[1], row.pair[0]] END AS pair
  WITH count, pair ORDER BY CASE WHEN $sort = 'NAME' THEN 0 ELSE -count END,
                            toLower(pair[0].name), toLower(pair[1].name), pair[0].id, pair[1].id
  SKIP $offset LIMIT $first
  CALL (pair) {
    UNWIND pair AS board
    MATCH (m)-[r:MEMBER_OF]->(board)
    WHERE ($dataset IS NULL OR $dataset IN r.datasets)
      AND ($asOf IS NULL OR (r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf)
                             AND m.inForceFrom <= $asOf AND (m.inForceUntil IS NULL OR m.inForceUntil >= $asOf)))
    WITH board, m, [(p:Person)-[h:HOLDS]->(m)
                    WHERE $asOf IS NULL OR (h.inForceFrom <= $asOf AND (h.inForceUntil IS NULL OR h.inForceUntil >= $asOf) AND p.inForceFrom <= $asOf AND (p.inForceUntil IS NULL OR p.inForceUntil >= $asOf)) | p] AS holders
    UNWIND CASE WHEN size(holders) > 0 THEN holders ELSE [m] END AS who
    WITH who, count(DISTINCT board) AS boards WHERE boards = 2
    WITH who ORDER BY who.name, who.id
    RETURN collect(who) AS shared
  }
  RETURN collect({a: pair[0], b: pair[1], count: count, shared: shared}) AS items
}
RETURN size(matched) AS totalCount, items
