// name: interlocks
// purpose: Who sits on several boards: members on at least $minBoards distinct partnerships, a page at a time, with how many there are. A person counts the boards of every post they hold; a post held by no one counts itself; level ORGANISATION rolls posts (and their holders) up to their organisation.
// params: $minBoards: Int = 2 - the fewest boards to be listed
// params: $asOf: Date = null - only memberships in force on this date (with their members and boards)
// params: $level: String = MEMBER - MEMBER or ORGANISATION
// params: $area: String = null - only boards covering this area id or a place within it
// params: $dataset: String = null - only memberships this dataset states (cheltenham/returns)
// params: $sort: String = BOARDS - BOARDS (most boards first, then name) or NAME
// params: $first: Int = 20 - page size
// params: $offset: Int = 0 - how many to skip
// returns: one row {totalCount: int, items: [{member: node, count: int, boards: [node]}]}
// used by: `pkb query interlocks --param minBoards=3 --param first=50`; the reference that GraphQL interlocks (which ranks in Python: board_seats, api/interlocks.py) is tested against
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
// Each member's boards first, so who a seat counts for is worked out once a member, not a seat.
WITH m, collect(DISTINCT b) AS boards
WITH m, boards, CASE WHEN $level = 'ORGANISATION'
  THEN [(m)-[:POST_IN]->(o:Organisation) | o] + [(m)-[:HOLDS]->(:Post)-[:POST_IN]->(o:Organisation) | o]
  ELSE [(p:Person)-[h:HOLDS]->(m)
        WHERE $asOf IS NULL OR (h.inForceFrom <= $asOf AND (h.inForceUntil IS NULL OR h.inForceUntil >= $asOf) AND p.inForceFrom <= $asOf AND (p.inForceUntil IS NULL OR p.inForceUntil >= $asOf)) | p]
  END AS through
UNWIND CASE WHEN size(through) > 0 THEN through ELSE [m] END AS who
UNWIND boards AS b
WITH who, collect(DISTINCT b) AS boards
WHERE size(boards) >= $minBoards
WITH collect({member: who, boards: boards}) AS matched
// The page by a top-k sort (ORDER BY with LIMIT); only its rows' boards are sorted and returned.
CALL (matched) {
  UNWIND matched AS row
  WITH row ORDER BY CASE WHEN $sort = 'NAME' THEN 0 ELSE -size(row.boards) END,
                    toLower(coalesce(row.member.name, row.member.id)), row.member.id
  SKIP $offset LIMIT $first
  RETURN collect({member: row.member, count: size(row.boards), boards: COLLECT {
    UNWIND row.boards AS board RETURN board ORDER BY board.name, board.id }}) AS items
}
RETURN size(matched) AS totalCount, items
