"""A GraphQL selection compiled into one Cypher map projection (the recipes are in fields.py).

The named query of a root field chooses the root rows; below them, every field asked for becomes
an entry of a Cypher map, and every nested list a pattern comprehension with its arguments as
parameters, so one round trip returns the response's own shape: keys are the response keys
(aliases included), `__typename` is filled, dates are ISO text. Nothing asked for is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import count
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionNode,
    get_named_type,
    is_abstract_type,
)
from graphql.execution.values import (
    VariableValues,
    get_argument_values,
    get_directive_values,
)

from .fields import Bound, Each, Expr, Filter, Follow, Recipe, recipes_of
from .kept import Kept

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
TEMPLATE_NAME = re.compile(r"\{(\w+)\}")
# Compiled selections kept: analysts and the explorer repeat their queries (the parsed
# documents are kept too, by operation.py), and compiling a selection costs about
# as much CPU as the driver spends on a small query.
COMPILED: Kept[tuple[list[FieldNode], str, dict[str, Any]]] = Kept(512)


def compiled(schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode],
             variables: VariableValues, type_: GraphQLOutputType, env: dict[str, str],
             nodes: list[FieldNode]) -> tuple[str, dict[str, Any]]:
    """`Projection(...).value(type_, env, nodes)` and its parameters, compiled once per field
    of a document, env and variable values. The field nodes are keyed by identity: an entry
    holds them, so no other node can take their ids while it is kept; the fragments are those
    of the nodes' own document."""
    def compile_() -> tuple[list[FieldNode], str, dict[str, Any]]:
        projection = Projection(schema, fragments, variables)
        return nodes, projection.value(type_, env, nodes), projection.params
    key = (id(schema), tuple(map(id, nodes)), str(type_), tuple(env.items()),
           repr(variables))  # coerced values, in the document's order of definitions
    _, value, params = COMPILED.get(key, compile_)
    return value, params


class Names(dict[str, str]):
    """A template's names: the env's values, and a fresh Cypher variable for any other name."""

    def __init__(self, env: dict[str, str], fresh: Iterable[str]) -> None:
        super().__init__(env)
        self._fresh = iter(fresh)

    def __missing__(self, key: str) -> str:
        self[key] = value = next(self._fresh)
        return value

    def fill(self, template: str) -> str:
        return TEMPLATE_NAME.sub(lambda m: self[m.group(1)], template)


class Projection:
    """Compiles the selections below one root field; collects the parameters they need."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode],
                 variables: VariableValues) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.params: dict[str, Any] = {}
        self._counter = count(1)

    # -- names -----------------------------------------------------------------------------
    def _fresh_vars(self) -> Iterator[str]:
        while True:
            yield f"v_{next(self._counter)}"

    def names(self, env: dict[str, str]) -> Names:
        return Names(env, self._fresh_vars())

    def param(self, value: Any) -> str:
        name = f"arg_{len(self.params) + 1}"
        self.params[name] = value
        return f"${name}"

    # -- selections ------------------------------------------------------------------------
    def value(self, type_: GraphQLOutputType, env: dict[str, str],
              nodes: list[FieldNode]) -> str:
        """The Cypher for an object of `type_` bound to `env`, shaped by `nodes`' selections."""
        named = get_named_type(type_)
        node = env.get("n")
        if node is not None and not IDENTIFIER.match(node):  # bind an expression to a variable
            var = next(self._fresh_vars())
            return f"head([{var} IN [{node}] | {self.value(type_, {**env, 'n': var}, nodes)}])"
        if is_abstract_type(named):
            return self._abstract(named, env, nodes)
        return self._object(named, env, nodes)  # type: ignore[arg-type]

    def _abstract(self, type_: GraphQLAbstractType, env: dict[str, str],
                  nodes: list[FieldNode]) -> str:
        possible = self.schema.get_possible_types(type_)
        fields = {t.name: self.collect(t, nodes) for t in possible}
        if self._same_everywhere(possible, fields):
            first = possible[0]
            names = ", ".join(f"'{t.name}'" for t in possible)
            typename = f"head([l IN labels({env['n']}) WHERE l IN [{names}]])"
            return self._object(first, env, nodes, typename=typename)
        cases = " ".join(f"WHEN {env['n']}:{t.name} THEN {self._object(t, env, nodes)}"
                         for t in possible)
        return f"CASE {cases} END"

    def _same_everywhere(self, possible: list[GraphQLObjectType],
                         fields: dict[str, dict[str, list[FieldNode]]]) -> bool:
        """Whether every possible type asks the same fields with the same recipes."""
        first = fields[possible[0].name]
        for t in possible[1:]:
            other = fields[t.name]
            if list(other) != list(first):
                return False
            for found in other.values():
                name = found[0].name.value
                if name != "__typename" and \
                        recipes_of(t.name).get(name) != recipes_of(possible[0].name).get(name):
                    return False
        return True

    def _object(self, type_: GraphQLObjectType, env: dict[str, str], nodes: list[FieldNode],
                typename: str | None = None) -> str:
        entries = []
        for key, found in self.collect(type_, nodes).items():
            name = found[0].name.value
            if name == "__typename":
                expr = typename or f"'{type_.name}'"
            else:
                expr = self.field(type_, name, env, found)
            entries.append(f"`{key}`: {expr}")
        return "{" + ", ".join(entries) + "}"

    def collect(self, type_: GraphQLObjectType,
                nodes: list[FieldNode]) -> dict[str, list[FieldNode]]:
        """Response key -> the field nodes asking for it, fragments expanded where they apply."""
        found: dict[str, list[FieldNode]] = {}
        for node in nodes:
            if node.selection_set:
                self._collect_into(type_, node.selection_set.selections, found, set())
        return found

    def _collect_into(self, type_: GraphQLObjectType, selections: Iterable[SelectionNode],
                      found: dict[str, list[FieldNode]], seen: set[str]) -> None:
        for selection in selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                found.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, type_):
                    self._collect_into(type_, selection.selection_set.selections, found, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if name in seen or fragment is None:
                    continue
                seen.add(name)
                if self._applies(fragment.type_condition.name.value, type_):
                    self._collect_into(type_, fragment.selection_set.selections, found, seen)

    def _applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        if condition == type_.name:
            return True
        named = self.schema.get_type(condition)
        return is_abstract_type(named) and self.schema.is_sub_type(named, type_)

    def _included(self, selection: SelectionNode) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, selection, self.variables)
        if skip and skip.get("if"):
            return False
        include = get_directive_values(GraphQLIncludeDirective, selection, self.variables)
        return not (include and not include.get("if"))

    # -- fields ----------------------------------------------------------------------------
    def field(self, type_: GraphQLObjectType, name: str, env: dict[str, str],
              nodes: list[FieldNode]) -> str:
        definition = type_.fields[name]
        recipe: Recipe = recipes_of(type_.name)[name]
        names = self.names(env)
        if isinstance(recipe, Expr):
            return names.fill(recipe.template)
        if isinstance(recipe, Bound):
            bound = {k: names.fill(v) for k, v in recipe.bind.items()}
            return self.value(definition.type, bound, nodes)
        if isinstance(recipe, Each):
            item = names["x"]
            bound = {k: names.fill(v) for k, v in recipe.bind.items()}
            return f"[{item} IN {names.fill(recipe.items)} | " \
                   f"{self.value(definition.type, bound, nodes)}]"
        return self._follow(recipe, definition, env, nodes)

    def _follow(self, recipe: Follow, definition: GraphQLField, env: dict[str, str],
                nodes: list[FieldNode]) -> str:
        args = get_argument_values(definition, nodes[0], self.variables)
        if recipe.order or recipe.distinct:
            return self._collect_subquery(recipe, definition, env, nodes, args)
        parts = []
        for branch in (recipe, *recipe.union):
            names = self.names(env)
            where = self._where(branch.filters, args, names)
            bound = {k: names.fill(v) for k, v in branch.bind.items()}
            parts.append(f"[{names.fill(branch.pattern)}{where} | "
                         f"{self.value(definition.type, bound, nodes)}]")
        joined = " + ".join(parts)
        return f"head({joined})" if recipe.single else joined

    def _collect_subquery(self, recipe: Follow, definition: GraphQLField, env: dict[str, str],
                          nodes: list[FieldNode], args: dict[str, Any]) -> str:
        names = self.names(env)
        pattern, where = names.fill(recipe.pattern), self._where(recipe.filters, args, names)
        bound = {k: names.fill(v) for k, v in recipe.bind.items()}
        carried = ", ".join(sorted(set(bound.values())))
        distinct = "DISTINCT " if recipe.distinct else ""
        order = f" ORDER BY {names.fill(recipe.order)}" if recipe.order else ""
        return (f"COLLECT {{ MATCH {pattern}{where} WITH {distinct}{carried}{order} "
                f"RETURN {self.value(definition.type, bound, nodes)} }}")

    def _where(self, filters: tuple[Filter, ...], args: dict[str, Any], names: Names) -> str:
        conditions = []
        for condition in filters:
            if not condition.argument:  # a condition of the recipe itself
                conditions.append(f"({names.fill(condition.template)})")
            elif args.get(condition.argument) is not None:
                names["arg"] = self.param(args[condition.argument])
                conditions.append(f"({names.fill(condition.template)})")
        return " WHERE " + " AND ".join(conditions) if conditions else ""
