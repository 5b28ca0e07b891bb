// name: stats
// purpose: How much the knowledge base holds: nodes per label, relationships per type, and what each source document contributes.
// params: none
// returns: one row {labels: [{label, count}], relationships: [{type, count}], documents: [{document, nodes, relationships}]}
// used by: `pkb stats`; `pkb query stats`
CALL () {
  MATCH (n) UNWIND labels(n) AS label
  WITH label, count(*) AS count ORDER BY label
  RETURN collect({label: label, count: count}) AS labels
}
CALL () {
  MATCH ()-[r]->()
  WITH type(r) AS type, count(*) AS count ORDER BY type
  RETURN collect({type: type, count: count}) AS relationships
}
CALL () {
  CALL () {
    MATCH (n) UNWIND coalesce(n.sources, []) AS source
    WITH DISTINCT split(source, '#')[0] AS document, elementId(n) AS node
    RETURN document, count(node) AS nodes, 0 AS rels
    UNION ALL
    MATCH ()-[r]->() UNWIND coalesce(r.sources, []) AS source
    WITH DISTINCT split(source, '#')[0] AS document, elementId(r) AS rel
    RETURN document, 0 AS nodes, count(rel) AS rels
  }
  WITH document, sum(nodes) AS nodes, sum(rels) AS rels ORDER BY document
  RETURN collect({document: document, nodes: nodes, relationships: rels}) AS documents
}
RETURN labels, relationships, documents
