// name: board_seats
// purpose: Which boards each member sits on, compactly (one entry a member, boards as numbers), and who a post's seats count for (its holders in force; at level ORGANISATION its organisations): what interlocks and boardOverlaps count and rank in Python, once per data version and scope.
// params: $asOf: Date = null - only memberships in force on this date (with their members, boards and holders)
// params: $area: String = null - only boards covering this area id or a place within it
// params: $dataset: String = null - only memberships this dataset states (cheltenham/returns)
// params: $level: String = MEMBER - MEMBER, or ORGANISATION to read also which organisations posts are in and which posts people hold
// returns: one row {boards: [[id, name]], labels: [label], ids: [id], names: [name or else id], seats: [[board]], held: [post id], holders: [person id], holderNames: [name or else id], postIn: [[post id, organisation id, name]], posts: [[person id, post id]]}: the members as columns (the k-th member is labels[k], ids[k], names[k], on seats[k]; label 0 Person, 1 Post, 2 Organisation, 3 Partnership; a board is its place in boards) and so the holders (held[k] is held by holders[k], named holderNames[k]); postIn and posts are empty at level MEMBER
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
  // As columns, not a list per member: some 60,000 lists fewer to build, send and decode
  // (measured at 300 districts, alternated with the lists: the driver's decoding 0.25 -> 0.12 s,
  // the whole read 0.64-0.96 of their time as the machine's load varied).
  // collect() drops nulls, so a column holds none: a name is the id when there is none (what
  // interlocks sort by).
  RETURN collect(CASE WHEN m:Person THEN 0 WHEN m:Post THEN 1 WHEN m:Organisation THEN 2 ELSE 3 END)
           AS labels, collect(m.id) AS ids, collect(coalesce(m.name, m.id)) AS names,
         collect(boards) AS seats
}
// Holders in force, read by one pass over HOLDS: measured twice as fast as following HOLDS
// from each member, even for one county.
CALL () {
  MATCH (p:Person)-[h:HOLDS]->(post:Post)
  WHERE $asOf IS NULL OR (h.inForceFrom <= $asOf AND (h.inForceUntil IS NULL OR h.inForceUntil >= $asOf) AND p.inForceFrom <= $asOf AND (p.inForceUntil IS NULL OR p.inForceUntil >= $asOf))
  RETURN collect(post.id) AS held, collect(p.id) AS holders,
         collect(coalesce(p.name, p.id)) AS holderNames
}
// Level ORGANISATION: a post counts for its organisations, a person for those of the posts
// they hold (in force or not, as the named query interlocks says).
CALL () {
  WITH 1 AS one WHERE $level = 'ORGANISATION'
  MATCH (post:Post)-[:POST_IN]->(o:Organisation)
  RETURN collect([post.id, o.id, o.name]) AS postIn
}
CALL () {
  WITH 1 AS one WHERE $level = 'ORGANISATION'
  MATCH (p:Person)-[:HOLDS]->(post:Post)
  RETURN collect([p.id, post.id]) AS posts
}
RETURN [b IN scoped | [b.id, b.name]] AS boards, labels, ids, names, seats, held, holders, holderNames,
       postIn, posts
