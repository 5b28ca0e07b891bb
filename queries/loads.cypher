// name: loads
// purpose: The loads of datasets (district returns and source documents), latest stated first.
// params: $district: String = null - only this district's
// params: $dataset: String = null - only this dataset's
// returns: one row per load {n: Load node}
// used by: GraphQL loads; `pkb query loads --param district=cheltenham`
MATCH (n:Load)
WHERE ($district IS NULL OR n.district = $district) AND ($dataset IS NULL OR n.dataset = $dataset)
RETURN n
ORDER BY n.statedOn DESC, n.recordedAt DESC
