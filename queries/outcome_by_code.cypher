// name: outcome_by_code
// purpose: Outcomes with a code such as 3.4 (an index seek), optionally within one strategy.
// params: $code: String - the outcome's code
// params: $strategy: String = null - the strategy id the outcome belongs to
// returns: one row per outcome {n: node} (more than one: say which strategy)
// used by: GraphQL outcome; `pkb query outcome_by_code --param code=3.4`
MATCH (n:Outcome {code: $code})
WHERE $strategy IS NULL
   OR EXISTS { (:Strategy {id: $strategy})-[:HAS_AIM]->(:Aim)-[:HAS_OUTCOME]->(n) }
RETURN n
ORDER BY n.id
