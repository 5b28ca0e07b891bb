"""graphql/schema.graphql is exactly the schema the code serves."""

from __future__ import annotations

from partnership_kb import config
from partnership_kb.api.schema import schema


def test_exported_schema_matches_the_code() -> None:
    exported = (config.project_home() / "graphql" / "schema.graphql").read_text()
    assert exported == schema.as_str() + "\n", \
        "graphql/schema.graphql is stale: run `pkb schema --out graphql/schema.graphql`"


def test_analyst_contract_names_hold() -> None:
    sdl = schema.as_str()
    for line in ("interface Node implements Dated {",
                 "union Member = Person | Post | Organisation | Partnership",
                 "union Deliverer = Organisation | Partnership | Programme",
                 "node(id: ID!): Node",
                 "search(text: String!, first: Int! = 20, types: [NodeType!] = null): "
                 "[SearchHit!]!",
                 "outcome(code: String!, strategy: ID = null): Outcome",
                 "accountabilityChain(id: ID!, asOf: Date = null): [Accountability!]!"):
        assert line in sdl, line
