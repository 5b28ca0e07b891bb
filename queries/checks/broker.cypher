// name: broker
// purpose: Members whose absence splits the member-board network (articulation points): the only link between some boards and the rest.
// severity: info
// source: horsham-talking-2009#audit-commission
// anchor: ()-[r:MEMBER_OF]->() - what $dataset filters; a load judges only those it names
// compute: articulation_points
// params: $asOf: Date = null - judge what is in force on this date; without it, what is current or proposed
// params: $area: String = null - only bodies covering this area or a place within it
// params: $dataset: String = null - only memberships this dataset states
// returns: the network's edges, one row per member {subject: {id, name, label}, boards: [{id, name, label}], sources: [[string]], a list of sources per board}; the articulation_points step turns them into findings
// used by: GraphQL checks; `pkb check`; each load's summary; the structure review
MATCH (m)-[r:MEMBER_OF]->(b:Partnership)
// In scope (see README, "Checks"): on $asOf, in force then; without it, not ended and not an option or example.
WHERE CASE WHEN $asOf IS NULL THEN r.inForceUntil IS NULL AND NOT coalesce(r.status, '') IN ['option', 'example', 'uncertain']
                                 AND b.inForceUntil IS NULL AND NOT coalesce(b.status, '') IN ['option', 'example', 'uncertain']
           ELSE r.inForceFrom <= $asOf AND (r.inForceUntil IS NULL OR r.inForceUntil >= $asOf)
                AND m.inForceFrom <= $asOf AND (m.inForceUntil IS NULL OR m.inForceUntil >= $asOf)
                AND b.inForceFrom <= $asOf AND (b.inForceUntil IS NULL OR b.inForceUntil >= $asOf) END
  AND ($area IS NULL OR EXISTS { (b)-[:COVERS]->(:Area)-[:WITHIN*0..6]->(:Area {id: $area}) })
  AND ($dataset IS NULL OR $dataset IN r.datasets)
WITH m, b, r, [(p:Person)-[h:HOLDS]->(m)
               WHERE CASE WHEN $asOf IS NULL THEN h.inForceUntil IS NULL
                          ELSE h.inForceFrom <= $asOf AND (h.inForceUntil IS NULL OR h.inForceUntil >= $asOf) END | p] AS holders
UNWIND CASE WHEN size(holders) > 0 THEN holders ELSE [m] END AS who
WITH who, b, r ORDER BY who.id, b.id
// One row per member (not per seat): a load's check reads every seat of its return.
WITH who, collect(b {.id, .name, label: 'Partnership'}) AS boards, collect(r.sources) AS sources
// Only what a finding names: whole nodes would carry every property across.
RETURN who {.id, name: coalesce(who.name, who.title), label: labels(who)[0]} AS subject,
       boards, sources
ORDER BY subject.id
