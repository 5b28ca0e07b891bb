// name: meets_less_often
// purpose: Bodies meeting less often than the Horsham guidance for their kind (or tier) advises; a range such as "two or three times a year" is stored as its midpoint, so a body meeting as often as its lower end is not listed.
// severity: warning
// source: horsham-talking-2009#summary-of-research/principle-2
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
  AND b.meetingsPerYear IS NOT NULL
  AND ($area IS NULL OR EXISTS { (b)-[:COVERS]->(:Area)-[:WITHIN*0..6]->(:Area {id: $area}) })
  AND ($dataset IS NULL OR $dataset IN b.datasets)
// The guidance read once, not once per body.
WITH collect(b) AS bodies
CALL () { MATCH (g:Guidance) RETURN collect(g) AS guidance }
UNWIND bodies AS b
WITH b, [g IN guidance WHERE b.kind IN coalesce(g.appliesTo, [])] AS byKind,
        [g IN guidance WHERE g.tier = b.tier] AS byTier
UNWIND CASE WHEN size(byKind) > 0 THEN byKind ELSE byTier END AS g
WITH b, g WHERE g.meetingsPerYear IS NOT NULL AND b.meetingsPerYear < floor(g.meetingsPerYear)
RETURN b AS subject,
       b.name + ' meets ' + coalesce(b.meetingFrequency, toString(b.meetingsPerYear) + ' times a year')
         + '; the Horsham guidance (' + g.name + ') is '
         + coalesce(g.meetingFrequency, toString(g.meetingsPerYear) + ' times a year') + '.' AS evidence,
       b.sources + g.sources AS sources
ORDER BY b.name, b.id
