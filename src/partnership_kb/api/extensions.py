"""Schema extensions: masked errors with an id, and Cypher round trips in debug mode."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import MaskErrors, SchemaExtension

log = logging.getLogger("partnership_kb.api")


class UserError(Exception):
    """A problem with the request that the caller can fix; shown as it is, never masked."""


def _is_internal(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, UserError)


class MaskInternalErrors(MaskErrors):
    """Internal errors become 'Internal error <id>' for the caller and a logged traceback
    with the same id for the operator; the caller's own mistakes pass through."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_internal)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        error_id = secrets.token_hex(4)
        log.error("GraphQL error %s at %s", error_id, error.path, exc_info=error.original_error)
        return GraphQLError(message=f"Internal error {error_id}; it has been logged.",
                            nodes=error.nodes, source=error.source, positions=error.positions,
                            path=error.path, extensions={"errorId": error_id})


class RoundTrips(SchemaExtension):
    """Reports how many Cypher round trips the request made (debug mode only)."""

    def get_results(self) -> dict[str, Any]:
        return {"cypherRoundTrips": self.execution_context.context.runner.round_trips}

    def on_operation(self) -> Iterator[None]:
        yield
