// name: list_nodes
// purpose: One page of the nodes of a label, filtered and sorted, with the total count.
// params: $label: String - Organisation, Partnership, Person, Post, Strategy, Programme or Area
// params: $first: Int = 20 - page size
// params: $offset: Int = 0 - how many to skip
// params: $sort: String = NAME - NAME or ID
// params: $kind: String = null - only this kind
// params: $status: String = null - only this status
// params: $tier: String = null - only this tier
// params: $sector: String = null - only this sector
// params: $area: String = null - only nodes covering this area id
// params: $text: String = null - name or alias containing this text (any case)
// params: $document: String = null - only nodes cited from this source document id
// params: $accountable: Boolean = null - true: only bodies with an accountability line; false: only those with none
// returns: one row {totalCount: int, items: [node]}
// used by: GraphQL organisations, partnerships, people, posts, strategies, programmes, areas; `pkb query list_nodes --param label=Partnership`
// One branch a label, each guarded before its scan: only the label asked for is read (a
// label given as a parameter, MATCH (n:$($label)), would scan every node).
CALL () {
  WITH 1 AS one WHERE $label = 'Organisation' MATCH (n:Organisation) RETURN n
  UNION ALL WITH 1 AS one WHERE $label = 'Partnership' MATCH (n:Partnership) RETURN n
  UNION ALL WITH 1 AS one WHERE $label = 'Person' MATCH (n:Person) RETURN n
  UNION ALL WITH 1 AS one WHERE $label = 'Post' MATCH (n:Post) RETURN n
  UNION ALL WITH 1 AS one WHERE $label = 'Strategy' MATCH (n:Strategy) RETURN n
  UNION ALL WITH 1 AS one WHERE $label = 'Programme' MATCH (n:Programme) RETURN n
  UNION ALL WITH 1 AS one WHERE $label = 'Area' MATCH (n:Area) RETURN n
}
WITH n
WHERE ($kind IS NULL OR n.kind = $kind)
  AND ($status IS NULL OR n.status = $status)
  AND ($tier IS NULL OR n.tier = $tier)
  AND ($sector IS NULL OR n.sector = $sector)
  AND ($area IS NULL OR EXISTS { (n)-[:COVERS]->(:Area {id: $area}) })
  AND ($text IS NULL OR toLower(n.name) CONTAINS toLower($text)
       OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) CONTAINS toLower($text)))
  AND ($document IS NULL OR any(s IN n.sources WHERE s = $document OR s STARTS WITH $document + '#'))
  AND ($accountable IS NULL OR EXISTS { (n)-[:ACCOUNTABLE_TO]->() } = $accountable)
WITH collect(n) AS matched
// The page by a top-k sort (ORDER BY with LIMIT), not a sort of every match.
CALL (matched) {
  UNWIND matched AS n
  WITH n ORDER BY CASE WHEN $sort = 'ID' THEN n.id ELSE toLower(n.name) END, n.id
  SKIP $offset LIMIT $first
  RETURN collect(n) AS items
}
RETURN size(matched) AS totalCount, items
