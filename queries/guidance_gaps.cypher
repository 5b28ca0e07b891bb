// name: guidance_gaps
// purpose: Partnerships compared with the recommended size and meeting frequency for their kind (the Horsham guidance): larger than advised, or meeting less often.
// params: $kind: String = null - only partnerships of this kind
// params: $all: Boolean = false - list every compared partnership, not only those outside the guidance
// returns: one row per partnership and guidance {partnership: node, guidance: node, seats: int, meetingsPerYear: float, tooLarge: bool, meetsLessOften: bool}
// used by: GraphQL guidanceGaps; `pkb query guidance_gaps --param kind=board`
MATCH (g:Guidance)
UNWIND coalesce(g.appliesTo, []) AS kind
MATCH (p:Partnership {kind: kind})
WHERE $kind IS NULL OR p.kind = $kind
WITH p, g, reduce(total = 0, s IN [(m)-[r:MEMBER_OF]->(p) | coalesce(r.seats, 1)] | total + s)
     AS seats
WITH p, g, seats,
     g.maxMembers IS NOT NULL AND seats > g.maxMembers AS tooLarge,
     g.meetingsPerYear IS NOT NULL AND p.meetingsPerYear IS NOT NULL
       AND p.meetingsPerYear < g.meetingsPerYear AS meetsLessOften
WHERE $all OR tooLarge OR meetsLessOften
RETURN p AS partnership, g AS guidance, seats, p.meetingsPerYear AS meetingsPerYear,
       tooLarge, meetsLessOften
ORDER BY p.name, p.id, g.id
