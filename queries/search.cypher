// name: search
// purpose: Search over names, aliases and codes, and the strategy, body or post around each node; exact names first, then names that start with the text, then all words in the node's own names, then words found with the help of its context; each group by full-text score.
// params: $query: String - a Lucene query matching any of the words, as typed or as a prefix (the API makes it)
// params: $words: [String] - the words typed, lower case; every one must start a word of the node's names, code or context
// params: $text: String - the whole text typed, lower case, for exact and prefix matches
// params: $delimiters: [String] = null - the characters that separate words (none given: spaces)
// params: $types: [String] = null - only nodes of these labels
// params: $window: Int = 500 - how many full-text candidates are ranked
// params: $first: Int = 20 - how many hits
// returns: one row per hit {node: node, score: float, matched: string, alias: string, context: list of strings}, best first
// used by: GraphQL search; the explorer's type-ahead; `pkb query search --param "query=outcome OR outcome*" --param words=outcome --param text=outcome`
CALL db.index.fulltext.queryNodes('nodeNames', $query, {limit: $window}) YIELD node, score
WHERE $types IS NULL OR any(label IN labels(node) WHERE label IN $types)
// Context: the strategy above an aim, outcome or action; the body a post is in or a body is
// part of; the posts a person holds; who owns a strategy or runs a programme.
WITH node, score, COLLECT {
  MATCH (node)<-[:HAS_AIM|HAS_OUTCOME|HAS_ACTION]-{1,3}(up:Strategy) RETURN up.name AS name
  UNION MATCH (node)-[:POST_IN|PART_OF]->(up) RETURN up.name AS name
  UNION MATCH (node)-[:HOLDS]->(up:Post) RETURN up.name AS name
  UNION MATCH (node)<-[:OWNS|RUNS]-(up) RETURN up.name AS name
} AS context
WITH node, score, context[..3] AS context, toLower(node.name) AS name,
     [alias IN coalesce(node.aliases, []) | toLower(alias)] AS aliases
WITH node, score, context, name, aliases,
     [word IN split(name + ' ' + toLower(coalesce(node.code, '')), coalesce($delimiters, [' ']))
      WHERE word <> ''] AS nameWords,
     [alias IN aliases | [word IN split(alias, coalesce($delimiters, [' '])) WHERE word <> '']] AS aliasWords,
     [word IN split(toLower(reduce(all = '', c IN context | all + ' ' + c)), coalesce($delimiters, [' ']))
      WHERE word <> ''] AS contextWords
WITH node, score, context, name, aliases, nameWords, aliasWords, contextWords,
     [i IN range(0, size(aliases) - 1)
      WHERE aliases[i] = $text OR aliases[i] STARTS WITH $text
         OR all(w IN $words WHERE any(word IN aliasWords[i] WHERE word STARTS WITH w))
      | coalesce(node.aliases, [])[i]][0] AS alias
WITH node, score, context, alias, CASE
  WHEN name = $text THEN 'EXACT_NAME'
  WHEN $text IN aliases THEN 'EXACT_ALIAS'
  WHEN name STARTS WITH $text THEN 'NAME_PREFIX'
  WHEN any(a IN aliases WHERE a STARTS WITH $text) THEN 'ALIAS_PREFIX'
  WHEN all(w IN $words WHERE any(word IN nameWords WHERE word STARTS WITH w)) THEN 'NAME_WORDS'
  WHEN alias IS NOT NULL THEN 'ALIAS_WORDS'
  WHEN all(w IN $words WHERE any(word IN nameWords + contextWords + reduce(all = [], a IN aliasWords | all + a)
                                 WHERE word STARTS WITH w)) THEN 'CONTEXT_WORDS'
END AS matched
WHERE matched IS NOT NULL
RETURN node, score, matched, CASE WHEN matched CONTAINS 'ALIAS' THEN alias END AS alias, context
ORDER BY CASE matched WHEN 'EXACT_NAME' THEN 0 WHEN 'EXACT_ALIAS' THEN 1 WHEN 'NAME_PREFIX' THEN 2
                      WHEN 'ALIAS_PREFIX' THEN 3 WHEN 'NAME_WORDS' THEN 4 WHEN 'ALIAS_WORDS' THEN 5
                      ELSE 6 END,
         score DESC, node.name, node.id
LIMIT $first
