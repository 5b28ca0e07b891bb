// name: undelivered_outcome
// purpose: Outcomes of a strategy that nothing delivers: no body or programme delivers them, directly or through one of their actions.
// severity: warning
// source: gloucester-recommendations-2010#7
// anchor: (o:Outcome) - what $dataset filters; a load judges only those it names
// params: $asOf: Date = null - judge what is in force on this date; without it, what is current or proposed
// params: $area: String = null - only strategies covering this area or a place within it, or owned by a body that does
// params: $dataset: String = null - only outcomes this dataset states
// returns: one row per outcome {subject: node, evidence: string, sources: [string]}
// used by: GraphQL checks; `pkb check`; each load's summary; the structure review
MATCH (s:Strategy)-[:HAS_AIM]->(:Aim)-[:HAS_OUTCOME]->(o:Outcome)
// In scope (see README, "Checks"): on $asOf, in force then; without it, not ended and not an option or example.
WHERE CASE WHEN $asOf IS NULL THEN o.inForceUntil IS NULL AND NOT coalesce(o.status, '') IN ['option', 'example', 'uncertain']
           ELSE o.inForceFrom <= $asOf AND (o.inForceUntil IS NULL OR o.inForceUntil >= $asOf) END
  AND ($area IS NULL OR EXISTS { (s)-[:COVERS]->(:Area)-[:WITHIN*0..6]->(:Area {id: $area}) }
       OR EXISTS { (s)<-[:OWNS]-()-[:COVERS]->(:Area)-[:WITHIN*0..6]->(:Area {id: $area}) })
  AND ($dataset IS NULL OR $dataset IN o.datasets)
  AND NOT EXISTS {
    MATCH (o)-[:HAS_ACTION*0..1]->()<-[d:DELIVERS]-(who)
    WHERE CASE WHEN $asOf IS NULL THEN d.inForceUntil IS NULL AND NOT coalesce(d.status, '') IN ['option', 'example', 'uncertain']
               ELSE d.inForceFrom <= $asOf AND (d.inForceUntil IS NULL OR d.inForceUntil >= $asOf)
                    AND who.inForceFrom <= $asOf AND (who.inForceUntil IS NULL OR who.inForceUntil >= $asOf) END }
RETURN o AS subject,
       'Nothing delivers outcome ' + o.code + ' of ' + s.name + ' ("' + o.title + '"), directly or through an action.' AS evidence,
       o.sources AS sources
ORDER BY s.name, [part IN split(o.code, '.') | coalesce(toInteger(part), 0)], o.id
