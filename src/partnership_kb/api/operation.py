"""One GraphQL operation, from its text to its response body.

Parse (at most MAX_TOKENS tokens), price (cost.py: refused over the budget), validate (the
schema's rules and our depth and alias limits), each kept per query text, since analysts and
the explorer repeat their queries; then graphql-core executes it with our executor
(executor.py), and internal errors are masked. Strawberry's `Schema.execute` did the same
through four extensions' hooks: about 100 µs a request, as much as the driver spends on a
small query. Its schema still defines the types and resolvers.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    execute,
    parse,
    specified_rules,
)
from strawberry.execution import optimized_is_awaitable
from strawberry.schema.schema import validate_document

from ..errors import PkbError
from .context import Context
from .cost import BUDGET, COSTS, price
from .database import Unavailable
from .executor import ProjectedExecution
from .kept import Kept
from .schema import LIMIT_RULES, MAX_TOKENS

log = logging.getLogger("partnership_kb.api")

# The rules strawberry validates by (graphql-core's and its own), and our depth and alias limits.
RULES = (*specified_rules, *LIMIT_RULES)
PARSED: Kept[DocumentNode | GraphQLError] = Kept(256)
VALIDATED: Kept[list[GraphQLError]] = Kept(256)


@dataclass
class Outcome:
    data: dict[str, Any] | None
    errors: list[GraphQLError] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        """The response body: errors, data unless the operation never ran, extensions."""
        body: dict[str, Any] = {}
        if self.errors:
            body["errors"] = [error.formatted for error in self.errors]
        if self.data is not None or not self.errors:
            body["data"] = self.data
        if self.extensions:
            body["extensions"] = self.extensions
        return body


async def run(schema: GraphQLSchema, query: str, context: Context,
              variables: dict[str, Any] | None = None,
              operation_name: str | None = None) -> Outcome:
    """Answer one operation of `query`; the caller's mistakes come back as errors."""
    document = prepared(schema, query, variables, operation_name)
    if isinstance(document, list):  # refused
        return Outcome(None, document, debug_extensions(context))
    answer = execute(schema, document, context_value=context, variable_values=variables,
                     operation_name=operation_name, executor_class=ProjectedExecution,
                     is_awaitable=optimized_is_awaitable)  # type: ignore[arg-type]
    result = answer if isinstance(answer, ExecutionResult) else await answer
    errors = [masked(error) for error in result.errors or []]
    return Outcome(result.data, errors, debug_extensions(context))


def prepared(schema: GraphQLSchema, query: str, variables: dict[str, Any] | None,
             operation_name: str | None) -> DocumentNode | list[GraphQLError]:
    """The parsed document, or the errors that stop it before execution. Pricing comes before
    validation, which would expand the very fragments a refusal is about."""
    document = PARSED.get(query, lambda: parsed(query))
    if isinstance(document, GraphQLError):
        return [document]
    key = (query, operation_name, repr(variables))
    cost = COSTS.get(key, lambda: price(schema, document, operation_name, variables))
    if cost > BUDGET:
        shown = "unbounded" if cost == float("inf") else f"{cost:,.0f}"
        return [GraphQLError(
            f"This query would cost {shown}; the limit is {BUDGET:,}. Ask for fewer fields or "
            "smaller pages (first:), or split it into several queries.",
            extensions={"code": "COST_LIMIT", "cost": shown, "limit": BUDGET})]
    errors = VALIDATED.get((id(schema), query),
                           lambda: validate_document(schema, document, RULES))
    return list(errors) if errors else document  # a copy: callers may add to it


def parsed(query: str) -> DocumentNode | GraphQLError:
    try:
        return parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError as error:
        return error


def is_internal(error: GraphQLError) -> bool:
    """A bug or an outage, not the caller's mistake. The caller's are PkbErrors, and every
    error before execution (syntax, validation, a variable of the wrong type): those have no
    path, even when a scalar's parser raised them."""
    original = error.original_error
    return (original is not None and not isinstance(original, PkbError)
            and error.path is not None)


def masked(error: GraphQLError) -> GraphQLError:
    """An internal error becomes 'Internal error <id>' for the caller and a logged traceback
    with the same id for the operator; the caller's own mistakes pass through."""
    if not is_internal(error):
        return error
    error_id = secrets.token_hex(4)
    if isinstance(error.original_error, Unavailable):
        log.error("GraphQL error %s at %s: Neo4j unavailable: %s", error_id, error.path,
                  error.original_error)
        message = (f"The knowledge base's database is not answering (error {error_id}); "
                   "try again shortly.")
    else:
        log.error("GraphQL error %s at %s", error_id, error.path,
                  exc_info=error.original_error)
        message = f"Internal error {error_id}; it has been logged."
    return GraphQLError(message=message, nodes=error.nodes, source=error.source,
                        positions=error.positions, path=error.path,
                        extensions={"errorId": error_id})


def debug_extensions(context: Context) -> dict[str, Any]:
    """Debug mode: the Cypher each root field ran, and how many round trips."""
    if not context.debug:
        return {}
    return {"cypherRoundTrips": context.round_trips, "cypher": context.cypher}
