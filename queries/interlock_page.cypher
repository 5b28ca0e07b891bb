// name: interlock_page
// purpose: A page of interlocks already counted and ranked (by GraphQL interlocks, from board_seats): each member with the boards counted for them.
// params: $members: [[String]] - the page's members, in order, each [label, id] (label Person, Post, Organisation or Partnership)
// params: $boards: [[String]] - the ids of each member's boards, as counted
// params: $totalCount: Int = 0 - how many members there are in all
// returns: one row {totalCount: int, items: [{member: node, count: int, boards: [node]}]}, as interlocks
// used by: GraphQL interlocks (api/interlocks.py)
UNWIND range(0, size($members) - 1) AS i
// Each member by its label's id index (ids are unique per label, not across labels).
CALL (i) {
  MATCH (n:Person {id: $members[i][1]}) WHERE $members[i][0] = 'Person' RETURN n
  UNION ALL
  MATCH (n:Post {id: $members[i][1]}) WHERE $members[i][0] = 'Post' RETURN n
  UNION ALL
  MATCH (n:Organisation {id: $members[i][1]}) WHERE $members[i][0] = 'Organisation' RETURN n
  UNION ALL
  MATCH (n:Partnership {id: $members[i][1]}) WHERE $members[i][0] = 'Partnership' RETURN n
}
WITH i, n, COLLECT {
  UNWIND $boards[i] AS id
  MATCH (board:Partnership {id: id})
  RETURN board ORDER BY board.name, board.id
} AS boards
WITH i, n, boards ORDER BY i
// Collected alone first, so an empty page is still one row (with its total).
WITH collect({member: n, count: size(boards), boards: boards}) AS items
RETURN $totalCount AS totalCount, items
