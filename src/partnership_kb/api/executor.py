"""graphql-core's executor, told that root fields answer in response shape already.

A root resolver returns what its compiled Cypher projected (projection.py): maps keyed by the
response keys, with __typename and scalars filled. Walking them again field by field would
cost a resolver call per scalar for nothing, so a root field's value is completed whole.
And root resolvers whose arguments need no conversion are called without strawberry's wrapper.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import strawberry
from graphql import GraphQLOutputType, GraphQLResolveInfo, is_non_null_type
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info
from strawberry.types.base import StrawberryOptional
from strawberry.types.field import StrawberryField

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


# Argument types graphql-core's coercion already gives as the resolver takes them.
PLAIN_ARGUMENTS = (str, int, float, bool, strawberry.ID)


def call_root_resolvers_directly(schema: strawberry.Schema) -> None:
    """Root fields whose arguments are plain scalars get a resolver that calls ours at once.
    Strawberry's own goes through an info object, argument conversion, an extension chain and
    two more coroutines before ours: from the execution's start to our resolver, 85 µs with
    it and 40 without (the outcome question, measured in-process). Fields with enums, input
    types or lists as arguments keep strawberry's, which converts those."""
    query = schema.get_type_by_name("Query")
    assert schema._schema.query_type is not None
    fields = schema._schema.query_type.fields
    for field in getattr(query, "fields", []):
        if _plain(field):
            fields[schema.config.name_converter.get_graphql_name(field)].resolve = \
                _direct(schema, field)


def _plain(field: StrawberryField) -> bool:
    resolver = field.base_resolver
    if resolver is None or field.extensions or resolver.info_parameter is None \
            or resolver.info_parameter.name != "info":
        return False
    for argument in field.arguments:
        type_ = argument.type
        if isinstance(type_, StrawberryOptional):
            type_ = type_.of_type
        if type_ not in PLAIN_ARGUMENTS:
            return False
    return True


def _direct(schema: strawberry.Schema, field: StrawberryField) -> Callable[..., Any]:
    assert field.base_resolver is not None
    function = cast(Callable[..., Any], field.base_resolver.wrapped_func)  # a plain method
    python_names = {schema.config.name_converter.get_graphql_name(argument): argument.python_name
                    for argument in field.arguments}

    def resolve(root: Any, info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        named = {python_names[name]: value for name, value in arguments.items()}
        return function(root, info=Info(_raw_info=info, _field=field), **named)

    return resolve
