// name: member_on_many_boards
// purpose: Members sitting on more than $maxBoards bodies (a person counts the bodies of every post they hold): too many seats for one diary.
// severity: info
// source: horsham-talking-2009#summary-of-research/principle-3-table
// anchor: ()-[r:MEMBER_OF]->() - what $dataset filters; a load judges only those it names
// params: $asOf: Date = null - judge what is in force on this date; without it, what is current or proposed
// params: $area: String = null - only bodies covering this area or a place within it are counted
// params: $dataset: String = null - only memberships this dataset states are counted
// params: $maxBoards: Int = 3 - the most bodies one member should sit on
// returns: one row per member {subject: {id, name, label}, evidence: string, sources: [string]}
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
// In order, so that the same facts always give the same evidence (loads compare findings by it).
WITH who, b, r ORDER BY b.name, b.id
WITH who, collect(DISTINCT b) AS boards, collect(r.sources) AS cited
WHERE size(boards) > $maxBoards
// Only what a finding names: whole nodes would carry every property across, for every member.
RETURN who {.id, name: coalesce(who.name, who.title), label: labels(who)[0]} AS subject,
       who.name + ' sits on ' + size(boards) + ' bodies (more than ' + $maxBoards + '): '
         + reduce(text = '', x IN boards | text + CASE WHEN text = '' THEN '' ELSE '; ' END + x.name) + '.' AS evidence,
       reduce(all = [], s IN cited | all + s) AS sources
ORDER BY size(boards) DESC, who.name
