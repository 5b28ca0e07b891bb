// name: no_accountability
// purpose: Bodies whose members the sources give but that have no accountability line to anyone, neither their own nor through a body they are part of: nobody checks and challenges them.
// severity: warning
// source: horsham-talking-2009#key-learning-points-national
// anchor: (b:Partnership) - what $dataset filters; a load judges only those it names
// params: $asOf: Date = null - judge what is in force on this date; without it, what is current or proposed
// params: $area: String = null - only bodies covering this area or a place within it
// params: $dataset: String = null - only bodies this dataset states
// returns: one row per body {subject: node, evidence: string, sources: [string]}
// used by: GraphQL checks; `pkb check`; each load's summary; the structure review
MATCH (b:Partnership)
// In scope (see README, "Checks"): on $asOf, in force then; without it, not ended and not an option or example.
WHERE CASE WHEN $asOf IS NULL THEN b.inForceUntil IS NULL AND NOT coalesce(b.status, '') IN ['option', 'example', 'uncertain']
           ELSE b.inForceFrom <= $asOf AND (b.inForceUntil IS NULL OR b.inForceUntil >= $asOf) END
  AND ($area IS NULL OR EXISTS { (b)-[:COVERS]->(:Area)-[:WITHIN*0..6]->(:Area {id: $area}) })
  AND ($dataset IS NULL OR $dataset IN b.datasets)
  // Only bodies the sources describe (members given): a body only named in passing is not judged.
  AND EXISTS {
    MATCH (m)-[r:MEMBER_OF]->(b)
    WHERE CASE WHEN $asOf IS NULL THEN r.inForceUntil IS NULL AND NOT coalesce(r.status, '') IN ['option', 'example', 'uncertain']
               ELSE r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf) END }
  // A line counts when it is in scope itself; one held by a body b is part of counts for b.
  AND NOT EXISTS {
    MATCH (b)-[:PART_OF*0..4]->(:Partnership)-[l:ACCOUNTABLE_TO]->()
    WHERE CASE WHEN $asOf IS NULL THEN l.inForceUntil IS NULL AND NOT coalesce(l.status, '') IN ['option', 'example', 'uncertain']
               ELSE l.inForceFrom <= $asOf AND (l.inForceUntil IS NULL OR l.inForceUntil >= $asOf) END }
RETURN b AS subject,
       b.name + ' is accountable to no body, and is part of none that is.' AS evidence,
       b.sources AS sources
ORDER BY b.name, b.id
