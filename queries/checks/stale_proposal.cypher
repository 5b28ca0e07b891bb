// name: stale_proposal
// purpose: Bodies still only proposed $years years or more after a document first proposed them: no later source says they were set up.
// severity: info
// source: south-glos-review-2009#6.7
// anchor: (b:Partnership) - what $dataset filters; a load judges only those it names
// params: $asOf: Date = null - judge on this date; without it, today
// params: $area: String = null - only bodies covering this area or a place within it
// params: $dataset: String = null - only bodies this dataset states
// params: $years: Int = 2 - how long a proposal may wait
// returns: one row per body {subject: node, evidence: string, sources: [string]}
// used by: GraphQL checks; `pkb check`; each load's summary; the structure review
MATCH (b:Partnership {status: 'proposed'})
WHERE b.statedOn <= coalesce($asOf, date()) - duration({years: $years})
  AND ($area IS NULL OR EXISTS { (b)-[:COVERS]->(:Area)-[:WITHIN*0..6]->(:Area {id: $area}) })
  AND ($dataset IS NULL OR $dataset IN b.datasets)
RETURN b AS subject,
       b.name + ' was proposed on ' + toString(b.statedOn) + ' and no source since says it was set up ('
         + $years + ' years or more).' AS evidence,
       b.sources AS sources
ORDER BY b.statedOn, b.name
