// name: board_too_large
// purpose: Bodies with more seats than the Horsham guidance's optimum size for their kind (or, when no guidance names their kind, their tier): larger meetings become "talking shops".
// severity: warning
// source: horsham-talking-2009#summary-of-research/principle-3-table
// anchor: (b:Partnership) - what $dataset filters; a load judges only those it names
// params: $asOf: Date = null - judge what is in force on this date; without it, what is current or proposed
// params: $area: String = null - only bodies covering this area or a place within it
// params: $dataset: String = null - only bodies this dataset states
// returns: one row per body and guidance {subject: node, evidence: string, sources: [string]}
// used by: GraphQL checks; `pkb check`; each load's summary; the structure review
MATCH (b:Partnership)
// In scope (see README, "Checks"): on $asOf, in force then; without it, not ended and not an option or example.
WHERE CASE WHEN $asOf IS NULL THEN b.inForceUntil IS NULL AND NOT coalesce(b.status, '') IN ['option', 'example', 'uncertain']
           ELSE b.inForceFrom <= $asOf AND (b.inForceUntil IS NULL OR b.inForceUntil >= $asOf) END
  AND ($area IS NULL OR EXISTS { (b)-[:COVERS]->(:Area)-[:WITHIN*0..6]->(:Area {id: $area}) })
  AND ($dataset IS NULL OR $dataset IN b.datasets)
// The guidance read once, not once per body.
WITH collect(b) AS bodies
CALL () { MATCH (g:Guidance) RETURN collect(g) AS guidance }
UNWIND bodies AS b
WITH b, [g IN guidance WHERE b.kind IN coalesce(g.appliesTo, [])] AS byKind,
        [g IN guidance WHERE g.tier = b.tier] AS byTier
UNWIND CASE WHEN size(byKind) > 0 THEN byKind ELSE byTier END AS g
WITH b, g, [(m)-[r:MEMBER_OF]->(b)
            WHERE CASE WHEN $asOf IS NULL THEN r.inForceUntil IS NULL AND NOT coalesce(r.status, '') IN ['option', 'example', 'uncertain']
                       ELSE r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf)
                            AND m.inForceFrom <= $asOf AND (m.inForceUntil IS NULL OR m.inForceUntil >= $asOf) END
            | coalesce(r.seats, 1)] AS seats
WITH b, g, reduce(total = 0, s IN seats | total + s) AS size
WHERE g.maxMembers IS NOT NULL AND size > g.maxMembers
RETURN b AS subject,
       b.name + ': ' + size + ' seats; the Horsham guidance (' + g.name + ') is '
         + g.minMembers + '-' + g.maxMembers + '.' AS evidence,
       b.sources + g.sources AS sources
ORDER BY b.name, b.id
