// @neo4j/graphql requires this module only from getSubgraphSchema() (Apollo Federation).
throw new Error(
  "bench/peer does not support Apollo Federation: @apollo/subgraph is replaced by a stub " +
    "(see bench/peer/package.json, overrides) to keep every dependency permissively licensed."
);
