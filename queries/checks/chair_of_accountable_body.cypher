// name: chair_of_accountable_body
// purpose: The same person or post chairing a body and the body it is accountable to: the body that should check and challenge is led by the one it checks.
// severity: warning
// source: horsham-talking-2009#key-learning-points-national
// anchor: ()-[l:ACCOUNTABLE_TO]->() - what $dataset filters; a load judges only those it names
// params: $asOf: Date = null - judge what is in force on this date; without it, what is current or proposed
// params: $area: String = null - only lines from a body covering this area or a place within it
// params: $dataset: String = null - only lines this dataset states
// returns: one row per chair and line {subject: node, evidence: string, sources: [string]}
// used by: GraphQL checks; `pkb check`; each load's summary; the structure review
MATCH (a:Partnership)-[l:ACCOUNTABLE_TO]->(top:Partnership)
// In scope (see README, "Checks"): on $asOf, in force then; without it, not ended and not an option or example.
WHERE CASE WHEN $asOf IS NULL THEN l.inForceUntil IS NULL AND NOT coalesce(l.status, '') IN ['option', 'example', 'uncertain']
           ELSE l.inForceFrom <= $asOf AND (l.inForceUntil IS NULL OR l.inForceUntil >= $asOf)
                AND a.inForceFrom <= $asOf AND (a.inForceUntil IS NULL OR a.inForceUntil >= $asOf)
                AND top.inForceFrom <= $asOf AND (top.inForceUntil IS NULL OR top.inForceUntil >= $asOf) END
  AND ($area IS NULL OR EXISTS { (a)-[:COVERS]->(:Area)-[:WITHIN*0..6]->(:Area {id: $area}) })
  AND ($dataset IS NULL OR $dataset IN l.datasets)
// A body's chairs: the members chairing it, and the people holding a post that chairs it.
CALL (a, top) {
  UNWIND [a, top] AS body
  MATCH (c)-[r:MEMBER_OF {role: 'chair'}]->(body)
  WHERE CASE WHEN $asOf IS NULL THEN r.inForceUntil IS NULL AND NOT coalesce(r.status, '') IN ['option', 'example', 'uncertain']
             ELSE r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf) END
  OPTIONAL MATCH (person:Person)-[h:HOLDS]->(c)
  WHERE CASE WHEN $asOf IS NULL THEN h.inForceUntil IS NULL AND NOT coalesce(h.status, '') IN ['option', 'example', 'uncertain']
             ELSE h.inForceFrom <= $asOf AND (h.inForceUntil IS NULL OR h.inForceUntil >= $asOf) END
  UNWIND [c] + CASE WHEN person IS NULL THEN [] ELSE [person] END AS chair
  WITH chair, collect(DISTINCT body) AS chaired, collect(r.sources) AS cited
  WHERE size(chaired) = 2
  RETURN chair, reduce(all = [], s IN cited | all + s) AS cited
}
RETURN chair AS subject,
       chair.name + ' chairs ' + a.name + ' and ' + top.name + ', the body ' + a.name + ' is accountable to.' AS evidence,
       l.sources + cited AS sources
ORDER BY chair.name, a.name
