// name: outcomes
// purpose: The outcomes of strategies, and whether anything is delivering each (directly, through an action, or through a programme).
// params: $strategy: String = null - only this strategy's outcomes
// params: $delivered: Boolean = null - true: only delivered ones; false: only those with no deliverer
// returns: one row per outcome {n: node, delivered: bool}, by code (3.10 after 3.9)
// used by: GraphQL outcomes; `pkb query outcomes --param delivered=false`
MATCH (s:Strategy)-[:HAS_AIM]->(:Aim)-[:HAS_OUTCOME]->(o:Outcome)
WHERE $strategy IS NULL OR s.id = $strategy
WITH o, EXISTS { (o)<-[:DELIVERS]-() } OR EXISTS { (o)-[:HAS_ACTION]->()<-[:DELIVERS]-() }
     AS delivered
WHERE $delivered IS NULL OR delivered = $delivered
RETURN o AS n, delivered
ORDER BY [part IN split(o.code, '.') | coalesce(toInteger(part), 0)], o.id
