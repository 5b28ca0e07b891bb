// name: health
// purpose: Which Neo4j answers, and how many nodes and relationships the knowledge base holds.
// params: none
// returns: one row {neo4jVersion: string, nodes: int, relationships: int}
// used by: GraphQL `health`; `pkb query health`; GET /health
CALL dbms.components() YIELD versions
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN versions[0] AS neo4jVersion, nodes, relationships
