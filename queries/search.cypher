// name: search
// purpose: Full-text search over names, aliases, titles and codes, best match first.
// params: $query: String - a Lucene query (the API builds it from the words typed: each word as typed or as a prefix)
// params: $first: Int = 20 - how many hits
// returns: one row per hit {node: node, score: float}
// used by: GraphQL search; the explorer's type-ahead; `pkb query search --param query=outcome*`
CALL db.index.fulltext.queryNodes('nodeNames', $query, {limit: $first}) YIELD node, score
RETURN node, score
ORDER BY score DESC, node.name, node.id
