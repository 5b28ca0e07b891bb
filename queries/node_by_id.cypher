// name: node_by_id
// purpose: A node by its id (an index seek per label), optionally only of one label.
// params: $id: String - the node's id
// params: $label: String = null - only a node with this label (Partnership, Organisation...)
// returns: at most one row {n: node}
// used by: GraphQL node, partnership(id:), organisation(id:); `pkb query node_by_id --param id=gloucestershire-conference`
MATCH (n:Organisation|Partnership|Post|Person|Strategy|Aim|Outcome|Action|Programme|Area|Source|Guidance)
WHERE n.id = $id AND ($label IS NULL OR $label IN labels(n))
RETURN n
