// name: board_overlap_page
// purpose: A page of board overlaps already counted and ranked (by boardOverlaps, from board_seats): each pair's boards and the members they share.
// params: $pairs: [[String]] - the page's pairs of board ids, in order, each [a, b] with a < b
// params: $counts: [Int] - how many members each pair shares, as counted
// params: $totalCount: Int = 0 - how many pairs there are in all
// params: $asOf: Date = null - only memberships in force on this date
// params: $dataset: String = null - only memberships this dataset states (cheltenham/returns)
// returns: one row {totalCount: int, items: [{a: node, b: node, count: int, shared: [node]}]}, as board_overlaps
// used by: GraphQL boardOverlaps (api/overlaps.py)
UNWIND range(0, size($pairs) - 1) AS i
MATCH (x:Partnership {id: $pairs[i][0]})
MATCH (y:Partnership {id: $pairs[i][1]})
// Who the two boards share, counted as board_overlaps counts them.
CALL (x, y) {
  UNWIND [x, y] AS board
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
WITH i, x, y, shared ORDER BY i
WITH collect({a: x, b: y, count: $counts[i], shared: shared}) AS items
RETURN $totalCount AS totalCount, items
