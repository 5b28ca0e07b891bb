// name: changes
// purpose: What loads added, ended, removed and changed, for returns stated on or after a date: a page, oldest first, with the total count.
// params: $since: Date - the earliest statedOn of the loads to list
// params: $district: String = null - only this district's loads
// params: $first: Int = 100 - page size
// params: $offset: Int = 0 - how many to skip
// returns: one row {totalCount: int, items: [Change node]}
// used by: GraphQL changes; `pkb changes --since 2025-01-01 --district cheltenham`
MATCH (c:Change)-[:IN]->(l:Load)
WHERE l.statedOn >= $since AND ($district IS NULL OR l.district = $district)
WITH c ORDER BY l.statedOn, l.recordedAt, c.subject
WITH collect(c) AS matched
RETURN size(matched) AS totalCount, matched[$offset..$offset + $first] AS items
