// name: unheld_post
// purpose: Posts that lead a body (chair, vice-chair, lead officer) but that nobody is named as holding: documents mostly name posts, so only leading posts are listed.
// severity: info
// source: cheltenham-structures-2011#a-partnership-structure-for-cheltenham
// anchor: (p:Post) - what $dataset filters; a load judges only those it names
// params: $asOf: Date = null - judge what is in force on this date; without it, what is current or proposed
// params: $area: String = null - only posts leading a body covering this area or a place within it
// params: $dataset: String = null - only posts this dataset states
// returns: one row per post {subject: node, evidence: string, sources: [string]}
// used by: GraphQL checks; `pkb check`; each load's summary; the structure review
MATCH (p:Post)-[r:MEMBER_OF]->(b:Partnership)
// In scope (see README, "Checks"): on $asOf, in force then; without it, not ended and not an option or example.
WHERE r.role IN ['chair', 'vice-chair', 'lead officer']
  AND CASE WHEN $asOf IS NULL THEN r.inForceUntil IS NULL AND NOT coalesce(r.status, '') IN ['option', 'example', 'uncertain']
                                   AND b.inForceUntil IS NULL AND NOT coalesce(b.status, '') IN ['option', 'example', 'uncertain']
           ELSE r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf)
                AND b.inForceFrom <= $asOf AND (b.inForceUntil IS NULL OR b.inForceUntil >= $asOf)
                AND p.inForceFrom <= $asOf AND (p.inForceUntil IS NULL OR p.inForceUntil >= $asOf) END
  AND ($area IS NULL OR EXISTS { (b)-[:COVERS]->(:Area)-[:WITHIN*0..6]->(:Area {id: $area}) })
  AND ($dataset IS NULL OR $dataset IN p.datasets)
  AND NOT EXISTS {
    MATCH (:Person)-[h:HOLDS]->(p)
    WHERE CASE WHEN $asOf IS NULL THEN h.inForceUntil IS NULL AND NOT coalesce(h.status, '') IN ['option', 'example', 'uncertain']
               ELSE h.inForceFrom <= $asOf AND (h.inForceUntil IS NULL OR h.inForceUntil >= $asOf) END }
// In order, so that the same facts always give the same evidence (loads compare findings by it).
WITH p, r, b ORDER BY b.name, r.role
WITH p, collect(r.role + ' of ' + b.name) AS roles, collect(r.sources) AS cited
RETURN p AS subject,
       'Nobody is named holding ' + p.name + ' (' + reduce(text = '', role IN roles | text + CASE WHEN text = '' THEN '' ELSE '; ' END + role) + ').' AS evidence,
       reduce(all = p.sources, s IN cited | all + s) AS sources
ORDER BY p.name, p.id
