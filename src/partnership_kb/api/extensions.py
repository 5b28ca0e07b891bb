"""Schema extensions: masked internal errors with an id, and the Cypher sent, in debug mode."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator, Sequence
from typing import Any

from graphql import ASTValidationRule, DocumentNode, GraphQLError, parse
from strawberry.extensions import MaskErrors, SchemaExtension
from strawberry.schema.schema import validate_document

from ..errors import PkbError
from .database import Unavailable
from .kept import Kept

log = logging.getLogger("partnership_kb.api")


def is_internal(error: GraphQLError) -> bool:
    """A bug or an outage, not the caller's mistake. The caller's are PkbErrors, and every
    error before execution (syntax, validation, a variable of the wrong type): those have no
    path, even when a scalar's parser raised them."""
    original = error.original_error
    return (original is not None and not isinstance(original, PkbError)
            and error.path is not None)


class MaskInternalErrors(MaskErrors):
    """Internal errors become 'Internal error <id>' for the caller and a logged traceback
    with the same id for the operator; the caller's own mistakes pass through."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=is_internal)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
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


class CypherReport(SchemaExtension):
    """Debug mode: the Cypher each root field ran, and how many round trips."""

    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        return {"cypherRoundTrips": context.round_trips, "cypher": context.cypher}

    def on_operation(self) -> Iterator[None]:
        yield


class CachedParse(SchemaExtension):
    """Parsing, at most `max_tokens` tokens (past them a syntax error), kept per query text:
    analysts and the explorer repeat their queries."""

    def __init__(self, max_tokens: int) -> None:
        super().__init__()
        self.max_tokens = max_tokens

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        assert query is not None
        context.graphql_document = PARSED.get(
            (query, self.max_tokens), lambda: parse(query, max_tokens=self.max_tokens))
        yield


class CachedValidation(SchemaExtension):
    """Validation by the schema's rules and `extra_rules`, kept per query text, schema and
    rules (strawberry's ValidationCache keys by the parsed document, whose hash walks its whole
    tree on every request). An operation already refused (by the cost limit) is not validated:
    validation would expand the very fragments the refusal is about."""

    def __init__(self, extra_rules: Sequence[type[ASTValidationRule]]) -> None:
        super().__init__()
        self.extra_rules = tuple(extra_rules)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if not context.pre_execution_errors:
            document = context.graphql_document
            assert document is not None
            rules = (*context.validation_rules, *self.extra_rules)
            key = (id(context.schema), context.query, rules)
            context.pre_execution_errors = list(VALIDATED.get(  # a copy: callers may add
                key, lambda: validate_document(context.schema._schema, document, rules)))
        yield


PARSED: Kept[DocumentNode] = Kept(256)
VALIDATED: Kept[list[GraphQLError]] = Kept(256)
