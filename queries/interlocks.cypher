// name: interlocks
// purpose: Who sits on several boards: members on at least $minBoards distinct partnerships. A person counts the boards of every post they hold; a post held by no one counts itself; level ORGANISATION rolls posts (and their holders) up to their organisation.
// params: $minBoards: Int = 2 - the fewest boards to be listed
// params: $asOf: Date = null - only memberships in force on this date (with their members and boards)
// params: $level: String = MEMBER - MEMBER or ORGANISATION
// returns: one row per member {member: node, boards: [node]}, most boards first
// used by: GraphQL interlocks; the explorer's highlighting; `pkb query interlocks --param minBoards=3`
MATCH (m)-[r:MEMBER_OF]->(b:Partnership)
// In force on $asOf: the membership, the member and the board (see README, "Time").
WHERE $asOf IS NULL OR (r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf)
                        AND m.inForceFrom <= $asOf AND (m.inForceUntil IS NULL OR m.inForceUntil >= $asOf)
                        AND b.inForceFrom <= $asOf AND (b.inForceUntil IS NULL OR b.inForceUntil >= $asOf))
WITH b, m,
     [(p:Person)-[h:HOLDS]->(m)
      WHERE $asOf IS NULL OR (h.inForceFrom <= $asOf AND (h.inForceUntil IS NULL OR h.inForceUntil >= $asOf) AND p.inForceFrom <= $asOf AND (p.inForceUntil IS NULL OR p.inForceUntil >= $asOf)) | p] AS holders,
     [(m)-[:POST_IN]->(o:Organisation) | o]
       + [(m)-[:HOLDS]->(:Post)-[:POST_IN]->(o:Organisation) | o] AS organisations
WITH b, CASE
  WHEN $level = 'ORGANISATION' AND size(organisations) > 0 THEN organisations
  WHEN $level <> 'ORGANISATION' AND size(holders) > 0 THEN holders
  ELSE [m] END AS counted
UNWIND counted AS who
WITH who, collect(DISTINCT b) AS boards
WHERE size(boards) >= $minBoards
RETURN who AS member, boards
ORDER BY size(boards) DESC, who.name, who.id
