"""What an operation would cost, estimated before it runs, and refused over the budget.

Each field costs 1; a list multiplies what is asked of each item by its size: `first` (or
`limit`) when given, else the most the API returns for that list. A connection's `first` (or
its default) is the size of its `nodes` and `edges`, so a page costs what it returns.
Fragments are counted once each and reused, so a query whose fragments spread each other twice
per level is priced in time linear in its text (and refused), never expanded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
)

from .kept import Kept

BUDGET = 100_000
NESTED_LIST = 10  # members of a board, boards of a member: a typical size
ROOT_LIST = 50  # interlocks, overlaps, outcomes without `first`
PAGE_LISTS = ("nodes", "edges")  # a connection's lists, as long as its page
# Root fields that read the whole graph (or a whole area) whatever page is asked: their own cost.
WHOLE_GRAPH = {"boardOverlaps": 5_000, "interlocks": 2_000, "guidanceGaps": 500,
               "outcomes": 200, "checks": 5_000, "neighbourhood": 500, "path": 500,
               "accountabilityChain": 200, "networkMetrics": 5_000}


class Pricing:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode],
                 variables: dict[str, Any]) -> None:
        self.schema, self.fragments, self.variables = schema, fragments, variables
        self._fragment_cost: dict[tuple[str, float | None], float] = {}
        self._pricing: set[str] = set()

    def operation(self, operation: OperationDefinitionNode) -> float:
        root = self.schema.query_type
        assert root is not None
        return self.selections(operation.selection_set, root, depth=0)

    def selections(self, selection_set: SelectionSetNode | None, parent: Any,
                   depth: int, page: float | None = None) -> float:
        """The cost of a selection; `page` is the page size when `parent` is a connection."""
        if selection_set is None:
            return 0
        total = 0.0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, depth, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, inner or parent, depth, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, depth, page)
        return total

    def fragment(self, name: str, depth: int, page: float | None = None) -> float:
        if (name, page) in self._fragment_cost:
            return self._fragment_cost[(name, page)]
        definition = self.fragments.get(name)
        if definition is None or name in self._pricing:  # unknown or a cycle: validation says
            return float("inf") if name in self._pricing else 0
        self._pricing.add(name)
        inner = self.schema.get_type(definition.type_condition.name.value)
        cost = self.selections(definition.selection_set, inner, depth, page)
        self._pricing.discard(name)
        self._fragment_cost[(name, page)] = cost
        return cost

    def field(self, node: FieldNode, parent: Any, depth: int,
              page: float | None = None) -> float:
        fields = getattr(parent, "fields", None)
        definition = fields.get(node.name.value) if fields else None
        if definition is None:
            return 1  # __typename, or a field validation will refuse
        inner = get_named_type(definition.type)
        size = 1.0
        if self._is_list(definition.type):
            size = page if page is not None and node.name.value in PAGE_LISTS \
                else self.list_size(node, definition.type, depth)
        own = WHOLE_GRAPH.get(node.name.value, 1) if depth == 0 else 1
        inner_page = self.page_size(node, definition) if inner.name.endswith("Connection") \
            else None
        return own + size * self.selections(node.selection_set, inner, depth + 1, inner_page)

    def page_size(self, node: FieldNode, definition: Any) -> float:
        """A connection's `first`: as given, else its default."""
        for argument in node.arguments or ():
            if argument.name.value == "first":
                value = self._int(argument.value)
                if value is not None:
                    return max(value, 1)
        default = definition.args["first"].default_value if "first" in definition.args \
            else None
        return default if isinstance(default, int) else ROOT_LIST

    @staticmethod
    def _is_list(type_: Any) -> bool:
        return is_list_type(get_nullable_type(type_))

    def list_size(self, node: FieldNode, _: Any, depth: int) -> float:
        for argument in node.arguments or ():
            if argument.name.value in ("first", "limit"):
                value = self._int(argument.value)
                if value is not None:
                    return max(value, 1)
        return ROOT_LIST if depth == 0 else NESTED_LIST

    def _int(self, value: Any) -> int | None:
        if isinstance(value, IntValueNode):
            return int(value.value)
        if isinstance(value, VariableNode):
            given = self.variables.get(value.name.value)
            return given if isinstance(given, int) else None
        return None


def operations(document: Any, name: str | None) -> Iterator[OperationDefinitionNode]:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and \
                (name is None or (definition.name and definition.name.value == name)):
            yield definition


# Costs kept by request (query text, operation, variables): a repeated query is not priced again.
COSTS: Kept[float] = Kept(256)


def price(schema: GraphQLSchema, document: Any, operation_name: str | None,
          variables: dict[str, Any] | None) -> float:
    """The cost of the dearest operation `operation_name` picks (every one when unnamed)."""
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    pricing = Pricing(schema, fragments, variables or {})
    return max((pricing.operation(op) for op in operations(document, operation_name)),
               default=0.0)
