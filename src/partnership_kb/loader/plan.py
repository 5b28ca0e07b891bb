"""From validated rows to a write plan: node rows per label, relationship rows per pattern.

Every written row carries its provenance: "dataset|doc#section" strings, so that reloading or
unloading one dataset can take back exactly its own citations and leave other datasets' alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from ..model import Column, Model, NodeSpec, RelSpec
from .resolve import Resolver
from .validate import Row, Validated


@dataclass(frozen=True)
class RelPattern:
    """Relationships written by one statement: same type, end labels and key properties."""

    type: str
    start: str
    end: str
    key: tuple[str, ...]


@dataclass
class Plan:
    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    rels: dict[RelPattern, dict[tuple[Any, ...], dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(dict))

    def node_count(self) -> int:
        return sum(len(rows) for rows in self.nodes.values())

    def rel_count(self) -> int:
        return sum(len(rows) for rows in self.rels.values())


def provenance(dataset: str, sources: list[str]) -> list[str]:
    return sorted({f"{dataset}|{source}" for source in sources})


class Planner:
    """Builds a Plan, resolving references and checking sources as it goes."""

    def __init__(self, model: Model, resolver: Resolver, dataset: str, default_source: str,
                 source_ids: set[str], problems: list[Problem]) -> None:
        self.model = model
        self.resolver = resolver
        self.dataset = dataset
        self.default_source = default_source
        self.source_ids = source_ids
        self.problems = problems
        self.plan = Plan()
        self.uses_default_source = False
        # Rows cite the same few sections over and over: each is checked, and each set of
        # them made provenance, once.
        self._known_sources: set[str] = set()
        self._provenance: dict[tuple[str, ...], list[str]] = {}
        self._rel_columns: dict[str, list[tuple[str, str, tuple[str, ...] | None]]] = {}
        self._patterns: dict[tuple[str, str, str], RelPattern] = {}

    def build(self, validated: Validated, allow_new: bool | frozenset[str]) -> Plan:
        for spec in self.model.nodes.values():
            for row in validated.rows.get(spec.sheet, []):
                self.resolver.check_new(row, spec.label, allow_new)
                self._node(spec, row)
        for rel in self.model.relationships.values():
            for row in validated.rows.get(rel.sheet, []):
                self._relationship(rel, row)
        return self.plan

    def _sources(self, row: Row, label: str | None = None) -> list[str]:
        if not row.sources and label == "Source":
            return [row.values["id"]]  # a document is its own source
        if not row.sources:
            self.uses_default_source = True
            return [f"{self.default_source}#{row.sheet}!{row.number}"]
        for source in row.sources:
            if source in self._known_sources:
                continue
            document, _, section = source.partition("#")
            if document in self.source_ids:
                self._known_sources.add(source)
            else:
                self.problems.append(row.problem(
                    "sources", f"{source!r} cites no known document ({document!r})",
                    "Cite it as <source id>#<section>, adding the document to the sources sheet."))
        return row.sources

    def _provenance_of(self, sources: list[str]) -> list[str]:
        """provenance(), made once per set of sources (rows share the list: none changes it)."""
        key = tuple(sources)
        found = self._provenance.get(key)
        if found is None:
            found = self._provenance[key] = provenance(self.dataset, sources)
        return found

    def _node(self, spec: NodeSpec, row: Row) -> None:
        if "id" not in row.values:
            return
        sources = self._sources(row, spec.label)
        props: dict[str, Any] = {"id": row.values["id"]}
        for column in spec.properties:
            if column.name in row.values:
                props[column.prop] = row.values[column.name]
        if spec.name_from:
            cells = {name: row.values.get(name, "") for name in spec.columns}
            props["name"] = spec.name_from.format(**cells)
        for column in spec.references:
            self._reference(spec, column, row, props, sources)
        self.plan.nodes[spec.label].append(
            {"id": props["id"], "props": props, "provenance": self._provenance_of(sources),
             "new": not self._in_graph(spec.label, props["id"])})

    def _in_graph(self, label: str, id_: str) -> bool:
        known = self.resolver.index.by_id[label].get(id_)
        return bool(known and known.in_graph)

    def _reference(self, spec: NodeSpec, column: Column, row: Row, props: dict[str, Any],
                   sources: list[str]) -> None:
        for value in row.values.get(column.name, []):
            target = self.resolver.resolve(row, column.name, value, column.to)
            if target is None:
                continue
            if column.rel is None:
                props[column.prop] = target.id
                continue
            if target.id == row.values["id"] and target.label == spec.label:
                self.problems.append(row.problem(column.name, "refers to the row itself",
                                                 "A body cannot be part of itself."))
                continue
            this = (spec.label, row.values["id"])
            start, end = (this, (target.label, target.id)) if column.direction == "out" \
                else ((target.label, target.id), this)
            new = not (self._in_graph(*this) and target.in_graph)
            self._add_rel(RelPattern(column.rel, start[0], end[0], ()), start[1], end[1],
                          {}, {}, sources, row, new)

    def _relationship(self, rel: RelSpec, row: Row) -> None:
        sources = self._sources(row)
        values = row.values
        ends = []
        for column in (rel.start, rel.end):
            refs = values.get(column.name)
            ends.append(self.resolver.resolve(row, column.name, refs[0], column.to)
                        if refs else None)
        props: dict[str, Any] = {}
        for name, prop, to in self._columns_of(rel):
            if name not in values:
                continue
            if to is None:
                props[prop] = values[name]
                continue
            target = self.resolver.resolve(row, name, values[name][0], to)
            if target is not None:
                props[prop] = target.id
        start, end = ends
        if start is None or end is None:
            return
        key = {name: props.get(name) for name in rel.key}
        pattern = self._pattern(rel, start.label, end.label)
        new = not (start.in_graph and end.in_graph)
        self._add_rel(pattern, start.id, end.id, key, props, sources, row, new)

    def _columns_of(self, rel: RelSpec) -> list[tuple[str, str, tuple[str, ...] | None]]:
        """A relationship's own columns: name, property, and the labels a reference names
        (None for a value), worked out once per type rather than once per row."""
        found = self._rel_columns.get(rel.type)
        if found is None:
            found = self._rel_columns[rel.type] = [
                (c.name, c.prop, c.to if c.type == "ref" else None) for c in rel.columns.values()]
        return found

    def _pattern(self, rel: RelSpec, start: str, end: str) -> RelPattern:
        """One pattern object per type and end labels (rows share it)."""
        found = self._patterns.get((rel.type, start, end))
        if found is None:
            found = self._patterns[(rel.type, start, end)] = RelPattern(rel.type, start, end,
                                                                         tuple(rel.key))
        return found

    def _add_rel(self, pattern: RelPattern, start: str, end: str, key: dict[str, Any],
                 props: dict[str, Any], sources: list[str], row: Row, new: bool) -> None:
        """Add one relationship; ``new`` when an end is not in the graph yet (so neither is
        the relationship)."""
        identity = (start, end, *key.values())
        rows = self.plan.rels[pattern]
        earlier = rows.get(identity)
        if earlier is None:
            rows[identity] = {"start": start, "end": end, "key": key, "props": props,
                              "provenance": self._provenance_of(sources),
                              "row": (row.their_sheet or row.sheet, row.number), "new": new}
            return
        if earlier["props"] != props:
            sheet, number = earlier["row"]
            self.problems.append(row.problem(
                None, f"says {pattern.type} {start} → {end} differently from {sheet} row {number}",
                "Make the two rows agree, or remove one."))
            return
        earlier["provenance"] = sorted(set(earlier["provenance"]) |
                                       set(provenance(self.dataset, sources)))
