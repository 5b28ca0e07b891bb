"""Name resolution: a reference may be an id, a name or an alias, in the workbook or the graph.

A near miss ("Cheltenham Strategic Partnerhsip") is an error with a suggestion, never a silent
new node; a new row whose name is a near miss of an existing node is refused unless the loader
is told the name is genuinely new (--allow-new).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from neo4j import Driver
from rapidfuzz import fuzz, process

from ..errors import Problem
from ..model import Model
from .mapping import squash
from .validate import Row

NEAR_MISS = 90  # rapidfuzz score at or above which two names are "probably the same thing"
DEDUPED_LABELS = {"Organisation", "Partnership", "Person", "Programme", "Area", "Strategy"}


@dataclass(frozen=True)
class Known:
    """A node a reference can point at."""

    label: str
    id: str
    name: str
    in_graph: bool


@dataclass
class Index:
    """Every node of the graph and the workbook, by id and by squashed name or alias."""

    by_id: dict[str, dict[str, Known]] = field(default_factory=lambda: defaultdict(dict))
    by_name: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    names: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    folded: dict[tuple[str, bool], dict[str, str]] = field(default_factory=dict)

    def folded_names(self, label: str, graph_only: bool) -> dict[str, str]:
        """Names folded for fuzzy matching, computed once per label."""
        key = (label, graph_only)
        if key not in self.folded:
            self.folded[key] = {id_: _fold(name) for id_, name in self.names[label].items()
                                if not graph_only or self.by_id[label][id_].in_graph}
        return self.folded[key]

    def add(self, label: str, id_: str, name: str, aliases: list[str], in_graph: bool) -> None:
        earlier = self.by_id[label].get(id_)
        self.by_id[label][id_] = Known(label, id_, name or id_,
                                       in_graph or bool(earlier and earlier.in_graph))
        for text in (name, *aliases):
            if text:
                self.by_name[label][squash(text)].add(id_)
        if name:
            self.names[label][id_] = name


def graph_index(driver: Driver, model: Model, database: str | None) -> Index:
    """One round trip for every node's id, name and aliases."""
    index = Index()
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) "
        "RETURN [l IN labels(n) WHERE l IN $labels][0] AS label, n.id AS id, "
        "coalesce(n.name, n.title) AS name, coalesce(n.aliases, []) AS aliases",
        labels=list(model.nodes), database_=database, routing_="r")
    for r in records:
        index.add(r["label"], r["id"], r["name"] or "", r["aliases"], in_graph=True)
    return index


def add_workbook(index: Index, rows: dict[str, list[Row]], model: Model) -> None:
    for spec in model.nodes.values():
        for row in rows.get(spec.sheet, []):
            if "id" in row.values:
                name = row.values.get("name") or row.values.get("title") or ""
                index.add(spec.label, row.values["id"], name, row.values.get("aliases", []),
                          in_graph=False)


class Resolver:
    """Turns reference cells into (label, id), collecting problems."""

    def __init__(self, index: Index, problems: list[Problem]) -> None:
        self.index = index
        self.problems = problems

    def resolve(self, row: Row, column: str, value: str, labels: tuple[str, ...]) -> Known | None:
        by_id = [self.index.by_id[label][value] for label in labels
                 if value in self.index.by_id[label]]
        if len(by_id) == 1:
            return by_id[0]
        by_name = [self.index.by_id[label][id_] for label in labels
                   for id_ in sorted(self.index.by_name[label].get(squash(value), ()))]
        if len(by_id) > 1 or len(by_name) > 1:
            options = ", ".join(f"{k.label} {k.id} ({k.name})" for k in by_id or by_name)
            self.problems.append(row.problem(column, f"{value!r} is ambiguous: it could be "
                                             f"{options}", "Write the id of the one you mean."))
            return None
        if by_name:
            return by_name[0]
        self.problems.append(row.problem(column, self._missing(value, labels),
                                         self._suggest(value, labels)))
        return None

    def _missing(self, value: str, labels: tuple[str, ...]) -> str:
        kinds = " or ".join(label.lower() for label in labels)
        return f"no {kinds} with id, name or alias {value!r}"

    def _suggest(self, value: str, labels: tuple[str, ...]) -> str:
        best = self.near_miss(value, labels)
        if best:
            return f'Did you mean "{best.name}" ({best.id})? Or add an alias to it.'
        sheets = " or ".join(label.lower() for label in labels)
        return f"Add a row for it to the {sheets} sheet, or correct the spelling."

    def near_miss(self, name: str, labels: tuple[str, ...], exclude: str = "",
                  graph_only: bool = False) -> Known | None:
        """The closest known name (other than ``exclude``'s) scoring at least NEAR_MISS."""
        best: Known | None = None
        best_score = 0.0
        for label in labels:
            choices = self.index.folded_names(label, graph_only)
            found = process.extractOne(_fold(name), choices, scorer=fuzz.ratio,
                                       score_cutoff=NEAR_MISS)
            if found and found[2] == exclude:  # the row itself: look past it
                others = {k: v for k, v in choices.items() if k != exclude}
                found = process.extractOne(_fold(name), others, scorer=fuzz.ratio,
                                           score_cutoff=NEAR_MISS)
            if found and found[1] > best_score:
                best_score, best = found[1], self.index.by_id[label][found[2]]
        return best

    def check_new(self, row: Row, label: str, allow_new: bool | frozenset[str]) -> None:
        """Refuse a new node whose name is (nearly) an existing node's, unless allowed:
        ``allow_new`` is True for every row, or the set of ids confirmed to be new."""
        id_, name = row.values.get("id"), row.values.get("name")
        confirmed = allow_new is True or (isinstance(allow_new, frozenset) and id_ in allow_new)
        if confirmed or label not in DEDUPED_LABELS or not id_ or not name:
            return
        known = self.index.by_id[label].get(id_)
        if known and known.in_graph:
            return
        same = self.index.by_name[label].get(squash(name), set()) - {id_}
        graph_same = [i for i in sorted(same) if self.index.by_id[label][i].in_graph]
        if graph_same:
            self.problems.append(row.problem(
                "name", f"{name!r} already exists as {label.lower()} {graph_same[0]}",
                f"Use the id {graph_same[0]}, or load with --allow-new if it is a different one."))
            return
        near = self.near_miss(name, (label,), exclude=id_, graph_only=True)
        if near:
            self.problems.append(row.problem(
                "name", f"new {label.lower()} {name!r} is nearly {near.name!r} ({near.id})",
                f"Did you mean {near.id}? Use that id, or load with --allow-new if it is new."))


def similarity(query: str, name: str) -> float:
    """How alike two names are, 0 to 100, judged as the loader judges references: the same
    name up to case, spacing and punctuation scores 100 (what ``resolve`` takes as the same
    node); otherwise rapidfuzz's ratio of the folded names (what ``near_miss`` compares with
    NEAR_MISS). For the reconciliation API, which ranks candidates with it."""
    squashed = squash(query)
    if squashed and squashed == squash(name):
        return 100.0
    return float(fuzz.ratio(_fold(query), _fold(name)))


def _fold(text: str) -> str:
    return " ".join(squash(word) for word in str(text).split())
