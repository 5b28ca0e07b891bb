// name: review_bodies
// purpose: The bodies of an area on a date, each with its seats and meeting frequency beside the Horsham guidance for its kind (or tier), for the structure review.
// params: $asOf: Date = null - only bodies and memberships in force on this date; without it, what is current or proposed
// params: $area: String = null - only bodies covering this area or a place within it
// returns: one row per body {body: node, seats: int, guidance: node or null}, by tier and name
// used by: `pkb report`; GET /report; `pkb query review_bodies --param area=gloucestershire`
MATCH (b:Partnership)
// In scope (see README, "Checks"): on $asOf, in force then; without it, not ended and not an option or example.
WHERE CASE WHEN $asOf IS NULL THEN b.inForceUntil IS NULL AND NOT coalesce(b.status, '') IN ['option', 'example', 'uncertain']
           ELSE b.inForceFrom <= $asOf AND (b.inForceUntil IS NULL OR b.inForceUntil >= $asOf) END
  AND ($area IS NULL OR EXISTS { (b)-[:COVERS]->(:Area)-[:WITHIN*0..6]->(:Area {id: $area}) })
WITH b, COLLECT { MATCH (g:Guidance) WHERE b.kind IN coalesce(g.appliesTo, []) RETURN g } AS byKind,
        COLLECT { MATCH (g:Guidance) WHERE g.tier = b.tier RETURN g } AS byTier,
        [(m)-[r:MEMBER_OF]->(b)
         WHERE CASE WHEN $asOf IS NULL THEN r.inForceUntil IS NULL AND NOT coalesce(r.status, '') IN ['option', 'example', 'uncertain']
                    ELSE r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf)
                         AND m.inForceFrom <= $asOf AND (m.inForceUntil IS NULL OR m.inForceUntil >= $asOf) END
         | coalesce(r.seats, 1)] AS seats
RETURN b {.id, .name, .kind, .tier, .status, .meetingFrequency, .meetingsPerYear, .sources} AS body,
       reduce(total = 0, s IN seats | total + s) AS seats,
       head([g IN CASE WHEN size(byKind) > 0 THEN byKind ELSE byTier END
             | g {.id, .name, .minMembers, .maxMembers, .meetingFrequency, .meetingsPerYear, .sources}]) AS guidance
ORDER BY CASE b.tier WHEN 'strategic' THEN 0 WHEN 'executive' THEN 1 WHEN 'operational' THEN 2
                     WHEN 'engagement' THEN 3 ELSE 4 END, b.name, b.id
