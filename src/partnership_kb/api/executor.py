"""graphql-core's executor, told that root fields answer in response shape already.

A root resolver returns what its compiled Cypher projected (projection.py): maps keyed by the
response keys, with __typename and scalars filled. Walking them again field by field would
cost a resolver call per scalar for nothing, so a root field's value is completed whole.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLOutputType, GraphQLResolveInfo, is_non_null_type
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

# Root fields whose answer is computed in Python (checks, metrics): plain objects, completed
# field by field as graphql-core does.
PLAIN_ROOT_FIELDS = frozenset({"checks", "networkMetrics"})


class ProjectedExecution(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The compiler reads nested arguments with graphql-core's own coercion.
        self.context_value.variable_values = self.variable_values

    def complete_value(self, return_type: GraphQLOutputType, field_details_list: Any,
                       info: GraphQLResolveInfo[Any], path: Path, result: Any,
                       position_context: Any) -> Any:
        if path.prev is not None or info.field_name.startswith("__") \
                or info.field_name in PLAIN_ROOT_FIELDS:
            return super().complete_value(return_type, field_details_list, info, path, result,
                                          position_context)
        if isinstance(result, Exception):
            raise result
        if result is None and is_non_null_type(return_type):
            raise TypeError(f"Cannot return null for non-nullable field Query.{info.field_name}.")
        return result
