// name: node_details
// purpose: Everything about some nodes - found by id, by name or alias (any case), or by outcome code - with their members, boards, structure, accountability, posts, strategy tree and deliverers, in one round trip.
// params: $ids: [String] = [] - node ids
// params: $name: String = null - a name or alias to look up (any case)
// params: $code: String = null - an outcome or action code such as 3.4
// params: $strategy: String = null - with $code: the strategy id the code belongs to
// params: $label: String = null - only nodes with this label (Partnership, Organisation...)
// returns: one row per node {node: map of its properties plus members, memberships, parts, partOf, accountableTo, accountableFrom, supportedBy, supports, posts, postIn, holders, holdings, boards, owns, ownedBy, aims, outcomes, actions, parent, strategy, deliveredBy, delivers, runs, runBy, covers, coveredBy, within, contains}
// used by: GraphQL node, partnership, organisation, outcome, and nested fields beyond a root query's shape; `pkb query node_details --param ids=gloucestershire-conference`
MATCH (n)
WHERE (n.id IN $ids
       OR ($name IS NOT NULL AND (toLower(n.name) = toLower($name)
           OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($name))))
       OR ($code IS NOT NULL AND n.code = $code AND (n:Outcome OR n:Action)
           AND ($strategy IS NULL
                OR EXISTS { (:Strategy {id: $strategy})-[:HAS_AIM|HAS_OUTCOME|HAS_ACTION*1..3]->(n) })))
  AND ($label IS NULL OR $label IN labels(n))
RETURN n {
  .*, label: labels(n)[0],
  members: [(m)-[r:MEMBER_OF]->(n) | r {.role, .seats, .status, .validFrom, .validTo, .note,
    .onBehalfOf, .sources, member: m {.id, .name, .title, .kind, .status, .sources, label: labels(m)[0]}}],
  memberships: [(n)-[r:MEMBER_OF]->(b) | r {.role, .seats, .status, .validFrom, .validTo, .note,
    .onBehalfOf, .sources, body: b {.id, .name, .kind, .tier, .status, .sources, label: labels(b)[0]}}],
  boards: [(n)-[:HOLDS]->(:Post)-[r:MEMBER_OF]->(b) | r {.role, .seats, .status, .validFrom,
    .validTo, .sources, body: b {.id, .name, .kind, .tier, .status, .sources, label: labels(b)[0]}}],
  parts: [(p)-[:PART_OF]->(n) | p {.id, .name, .kind, .tier, .status, .sources, label: labels(p)[0]}],
  partOf: [(n)-[:PART_OF]->(p) | p {.id, .name, .kind, .tier, .status, .sources, label: labels(p)[0]}],
  accountableTo: [(n)-[r:ACCOUNTABLE_TO]->(t) | r {.frequency, .how, .status, .sources,
    to: t {.id, .name, .kind, .status, .sources, label: labels(t)[0]}}],
  accountableFrom: [(s)-[r:ACCOUNTABLE_TO]->(n) | r {.frequency, .how, .status, .sources,
    from: s {.id, .name, .kind, .status, .sources, label: labels(s)[0]}}],
  supportedBy: [(n)-[r:SUPPORTED_BY]->(o) | r {.how, .sources,
    supporter: o {.id, .name, .kind, .sources, label: labels(o)[0]}}],
  supports: [(p)-[r:SUPPORTED_BY]->(n) | r {.how, .sources,
    partnership: p {.id, .name, .kind, .sources, label: labels(p)[0]}}],
  posts: [(p:Post)-[:POST_IN]->(n) | p {.id, .name, .title, .sources, label: 'Post'}],
  postIn: [(n)-[:POST_IN]->(o) | o {.id, .name, .kind, .sources, label: labels(o)[0]}],
  holders: [(p:Person)-[r:HOLDS]->(n) | r {.validFrom, .validTo, .sources,
    person: p {.id, .name, .sources, label: 'Person'}}],
  holdings: [(n)-[r:HOLDS]->(p:Post) | r {.validFrom, .validTo, .sources,
    post: p {.id, .name, .title, .sources, label: 'Post'}}],
  owns: [(n)-[:OWNS]->(s) | s {.id, .name, .kind, .period, .status, .sources, label: labels(s)[0]}],
  ownedBy: [(o)-[:OWNS]->(n) | o {.id, .name, .kind, .sources, label: labels(o)[0]}],
  aims: [(n)-[:HAS_AIM]->(a) | a {.id, .name, .code, .title, .sources, label: 'Aim'}],
  outcomes: [(n)-[:HAS_OUTCOME]->(o) | o {.id, .name, .code, .title, .sources, label: 'Outcome'}],
  actions: [(n)-[:HAS_ACTION]->(a) | a {.id, .name, .code, .title, .sources, label: 'Action'}],
  parent: [(p)-[:HAS_AIM|HAS_OUTCOME|HAS_ACTION]->(n) | p {.id, .name, .code, .title, .sources,
    label: labels(p)[0]}],
  strategy: [(s:Strategy)-[:HAS_AIM|HAS_OUTCOME|HAS_ACTION*1..3]->(n) | s {.id, .name, .kind,
    .period, .status, .sources, label: 'Strategy'}],
  deliveredBy:
    [(d)-[r:DELIVERS]->(n) | {via: toLower(labels(n)[0]), role: r.role, status: r.status,
      sources: r.sources, deliverer: d {.id, .name, .kind, .sources, label: labels(d)[0]}}]
    + [(n)-[:HAS_ACTION]->(a)<-[r:DELIVERS]-(d) | {via: 'action ' + a.code, role: r.role,
      status: r.status, sources: r.sources,
      deliverer: d {.id, .name, .kind, .sources, label: labels(d)[0]}}]
    + [(n)<-[r:DELIVERS]-(p:Programme)<-[run:RUNS]-(d) | {via: 'programme ' + p.name,
      role: r.role, status: r.status, sources: r.sources + run.sources,
      deliverer: d {.id, .name, .kind, .sources, label: labels(d)[0]}}]
    + [(n)-[:HAS_ACTION]->(a)<-[r:DELIVERS]-(p:Programme)<-[run:RUNS]-(d) |
      {via: 'programme ' + p.name + ' (action ' + a.code + ')', role: r.role, status: r.status,
      sources: r.sources + run.sources,
      deliverer: d {.id, .name, .kind, .sources, label: labels(d)[0]}}],
  delivers: [(n)-[r:DELIVERS]->(t) | r {.role, .status, .sources,
    target: t {.id, .name, .code, .title, .sources, label: labels(t)[0]}}],
  runs: [(n)-[:RUNS]->(p) | p {.id, .name, .status, .sources, label: 'Programme'}],
  runBy: [(o)-[:RUNS]->(n) | o {.id, .name, .kind, .sources, label: labels(o)[0]}],
  covers: [(n)-[:COVERS]->(a) | a {.id, .name, .kind, .sources, label: 'Area'}],
  coveredBy: [(x)-[:COVERS]->(n) | x {.id, .name, .kind, .sources, label: labels(x)[0]}],
  within: [(n)-[:WITHIN]->(a) | a {.id, .name, .kind, .sources, label: 'Area'}],
  contains: [(a)-[:WITHIN]->(n) | a {.id, .name, .kind, .sources, label: 'Area'}]
} AS node
ORDER BY node.name
