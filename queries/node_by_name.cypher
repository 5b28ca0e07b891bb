// name: node_by_name
// purpose: The nodes of one label whose name or an alias is the given one (any case), found through the full-text index, so no label is scanned.
// params: $name: String - the name or alias as typed
// params: $phrase: String - the same name as a quoted Lucene phrase (the API makes it)
// params: $label: String - Partnership or Organisation
// returns: one row per match {n: node}, by name (more than one: the name is ambiguous)
// used by: GraphQL partnership(name:), organisation(name:); `pkb query node_by_name --param name=GSP --param 'phrase="gsp"' --param label=Partnership`
CALL db.index.fulltext.queryNodes('nodeNames', $phrase) YIELD node AS n
WHERE $label IN labels(n)
  AND (toLower(n.name) = toLower($name)
       OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($name)))
RETURN n
ORDER BY n.name, n.id
