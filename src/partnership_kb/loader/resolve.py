"""Name resolution: a reference may be an id, a name or an alias, in the workbook or the graph.

A near miss ("Cheltenham Strategic Partnerhsip") is an error with a suggestion, never a silent
new node; a new row whose name is a near miss of an existing node is refused unless the loader
is told the name is genuinely new (--allow-new). Names match in any script (NFKC and Unicode
case folding); a lookalike in another script ("Tеstford" with a Cyrillic е) is a near miss.
A row without an id gets one: the id of the graph's node of that name or alias, else a new
one made from its district and name, the same on every return.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from neo4j import Driver
from rapidfuzz import fuzz, process

from ..errors import Problem
from ..model import Model, NodeSpec
from .likeness import only_typos_apart, words
from .mapping import squash
from .validate import MAX_ID_BYTES, Row, Validated, naming_columns

NEAR_MISS = 90  # rapidfuzz score at or above which two names are "probably the same thing"
DEDUPED_LABELS = {"Organisation", "Partnership", "Person", "Programme", "Area", "Strategy"}


@dataclass(frozen=True)
class Known:
    """A node a reference can point at."""

    label: str
    id: str
    name: str
    in_graph: bool
    areas: frozenset[str] = frozenset()  # where it was said: its datasets' districts


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

    def add(self, label: str, id_: str, name: str, aliases: list[str], in_graph: bool,
            datasets: list[str] | None = None) -> None:
        earlier = self.by_id[label].get(id_)
        areas = frozenset(d.split("/")[0] for d in datasets or [])
        self.by_id[label][id_] = Known(label, id_, name or id_,
                                       in_graph or bool(earlier and earlier.in_graph),
                                       areas | (earlier.areas if earlier else frozenset()))
        for text in (name, *aliases):
            key = squash(text) if text else ""
            if key:  # a name of punctuation alone matches nothing
                self.by_name[label][key].add(id_)
        if name:
            self.names[label][id_] = name


def graph_index(driver: Driver, model: Model, database: str | None) -> Index:
    """Every node's id, name and aliases in one round trip (for tools that compare a name with
    the whole graph; a load asks only about its own names: lookup.py)."""
    index = Index()
    records, _, _ = driver.execute_query(
        "MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) "
        "RETURN [l IN labels(n) WHERE l IN $labels][0] AS label, n.id AS id, "
        "coalesce(n.name, n.title) AS name, coalesce(n.aliases, []) AS aliases, "
        "coalesce(n.datasets, []) AS datasets",
        labels=list(model.nodes), database_=database, routing_="r")
    for r in records:
        index.add(r["label"], r["id"], r["name"] or "", r["aliases"], in_graph=True,
                  datasets=r["datasets"])
    return index


def add_workbook(index: Index, rows: dict[str, list[Row]], model: Model) -> None:
    for spec in model.nodes.values():
        for row in rows.get(spec.sheet, []):
            if "id" in row.values:
                name = row.values.get("name") or row.values.get("title") or ""
                index.add(spec.label, row.values["id"], name, row.values.get("aliases", []),
                          in_graph=False)


def node_name(spec: NodeSpec, values: dict[str, object]) -> str:
    """The name a node's row gives it (its name, its title, or its `name_from` pattern)."""
    if spec.name_from:
        return spec.name_from.format(**{c: values.get(c, "") for c in spec.columns})
    return str(values.get("name") or values.get("title") or "")


def new_id(district: str, name: str, taken: dict[str, Known]) -> str:
    """A stable id from the district and the name: newtown-evelyn-jefferson. Letters of any
    script stay; a long or already taken one ends in a short hash of the name."""
    slug = re.sub(r"[^\w]+|_+", "-", unicodedata.normalize("NFKC", name).casefold()).strip("-")
    candidate = f"{district}-{slug}"
    digest = hashlib.sha256(f"{district}|{squash(name)}".encode()).hexdigest()[:8]
    if len(candidate.encode()) > MAX_ID_BYTES:
        candidate = candidate.encode()[:MAX_ID_BYTES - 9].decode(errors="ignore").rstrip("-")
        candidate = f"{candidate}-{digest}"
    elif candidate in taken and squash(taken[candidate].name) != squash(name):
        candidate = f"{candidate[:MAX_ID_BYTES - 9]}-{digest}"
    return candidate


def assign_ids(index: Index, validated: Validated, model: Model, district: str,
               problems: list[Problem]) -> None:
    """Give each node row without an id the id of the graph's node of the same name or alias
    (the same thing), else a new stable one."""
    for spec in model.nodes.values():
        naming = naming_columns(spec)
        for row in validated.rows.get(spec.sheet, []):
            if "id" in row.values or not naming or not all(c in row.values for c in naming):
                continue
            name = node_name(spec, row.values)
            held = sorted(i for i in index.by_name[spec.label].get(squash(name), ())
                          if index.by_id[spec.label][i].in_graph)
            if len(held) > 1:
                problems.append(row.problem(
                    naming[0], f"{name!r} is the name of several {spec.label.lower()} nodes: "
                    f"{', '.join(held[:5])}", "Write the id of the one you mean in an id "
                    "column."))
                continue
            row.values["id"] = held[0] if held else new_id(district, name,
                                                           index.by_id[spec.label])
            row.id_from_name = True
            if not held:  # taken now: another name making the same id gets its own
                index.add(spec.label, row.values["id"], name, [], in_graph=False)
            known = index.by_id[spec.label].get(held[0]) if held else None
            if known and not spec.name_from and squash(known.name) != squash(name):
                # Found by an alias: the node keeps its name; the row's name is an alias.
                if "aliases" in spec.columns:
                    row.values["aliases"] = sorted({*row.values.get("aliases", []), name})
                row.values[naming[0]] = known.name


def check_same_names(validated: Validated, model: Model, index: Index,
                     allow_new: bool | frozenset[str], problems: list[Problem]) -> None:
    """The same name on two rows of one workbook is one thing said twice (or two things that
    a name lookup could never tell apart): refused, unless both rows have ids confirmed new."""
    if allow_new is True:
        return
    for spec in model.nodes.values():
        if spec.label not in DEDUPED_LABELS:
            continue
        first: dict[str, Row] = {}
        for row in validated.rows.get(spec.sheet, []):
            id_ = row.values.get("id")
            key = squash(node_name(spec, row.values)) if id_ else ""
            if not key:
                continue
            earlier = first.setdefault(key, row)
            if earlier is row or (earlier.values["id"] == id_ and not row.id_from_name
                                  and not earlier.id_from_name):
                continue  # the first, or a duplicate id (reported as that)
            if isinstance(allow_new, frozenset) and {id_, earlier.values["id"]} <= allow_new:
                continue
            problems.append(row.problem(
                naming_columns(spec)[0], f"{node_name(spec, row.values)!r} is also the name "
                f"of row {earlier.number} ({earlier.values['id']})", "One thing, one row: merge "
                "the two rows, or give them different names (keep the other as an alias)."))


class Resolver:
    """Turns reference cells into (label, id), collecting problems. An unknown name is
    reported once, with every row that uses it; one whose sheet lacks a required column is
    not reported at all (the missing column is the cause)."""

    def __init__(self, index: Index, problems: list[Problem],
                 sheet_names: dict[str, str] | None = None,
                 incomplete: set[str] | None = None,
                 area: frozenset[str] = frozenset()) -> None:
        self.index = index
        self.area = area  # the load's district and dataset prefix: its own names are near
        self.problems = problems
        self.sheet_names = sheet_names or {}  # label -> the sheet the file has for it
        self.incomplete = incomplete or set()  # labels whose sheet lacks a required column
        self.missing: dict[tuple[str, tuple[str, ...]], list[tuple[Row, str, str]]] = {}

    def resolve(self, row: Row, column: str, value: str, labels: tuple[str, ...]) -> Known | None:
        if len(labels) == 1:  # most references: one label, and an id it holds
            known = self.index.by_id[labels[0]].get(value)
            if known is not None:
                return known
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
        if not self.incomplete.intersection(labels):
            self.missing.setdefault((squash(value) or value, labels), []).append(
                (row, column, value))
        return None

    def finish(self) -> None:
        """Report each unknown name once, at its first use, listing the rows using it."""
        for (_, labels), uses in self.missing.items():
            row, column, value = uses[0]
            message = self._missing(value, labels)
            if len(uses) > 1:
                by_sheet: dict[str, list[str]] = {}
                for other, _, _ in uses:
                    by_sheet.setdefault(other.their_sheet or other.sheet, []).append(
                        str(other.number))
                listed = "; ".join(f"{sheet} rows {_listing(numbers)}"
                                   for sheet, numbers in by_sheet.items())
                message += f", used {len(uses)} times: {listed}"
            self.problems.append(row.problem(column, message, self._suggest(value, labels)))
        self.missing.clear()

    def _missing(self, value: str, labels: tuple[str, ...]) -> str:
        kinds = " or ".join(label.lower() for label in labels)
        return f"no {kinds} with id, name or alias {value!r}"

    def _suggest(self, value: str, labels: tuple[str, ...]) -> str:
        best = self.near_miss(value, labels)
        if best:
            return f'Did you mean "{best.name}" ({best.id})? Or add an alias to it.'
        sheets = " or ".join(dict.fromkeys(self.sheet_names.get(label, label.lower())
                                           for label in labels))
        return f"Add a row for it to the {sheets} sheet, or correct the spelling."

    def near_miss(self, name: str, labels: tuple[str, ...], exclude: str = "",
                  graph_only: bool = False) -> Known | None:
        """The closest known name (other than ``exclude``'s) scoring at least NEAR_MISS that
        a person would call a near miss (``likely_same``)."""
        best: Known | None = None
        best_score = 0.0
        for label in labels:
            choices = self.index.folded_names(label, graph_only)
            for _, score, id_ in process.extract(_fold(name), choices, scorer=fuzz.ratio,
                                                 score_cutoff=NEAR_MISS, limit=None):
                known = self.index.by_id[label][id_]
                if id_ != exclude and score > best_score and self.likely_same(name, known):
                    best_score, best = score, known
                    break  # the best of this label (extract answers best first)
        return best

    def likely_same(self, name: str, known: Known) -> bool:
        """Whether a close name is a near miss: any close name of the load's own area; in
        another area, only a typo of the same words (a place name that differs makes another
        body), and never a person (namesakes are common)."""
        if not known.in_graph or known.areas & self.area:
            return True
        if known.label == "Person":
            return False
        return only_typos_apart(words(name, LOOKALIKES), words(known.name, LOOKALIKES))

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
        graph_same = [i for i in sorted(same) if self.index.by_id[label][i].in_graph
                      and (label != "Person" or self.index.by_id[label][i].areas & self.area)]
        if graph_same:
            self.problems.append(row.problem(
                "name", f"{name!r} already exists as {label.lower()} {graph_same[0]}",
                f"Use the id {graph_same[0]}, or load with --allow-new if it is a different one."))
            return
        near = self.near_miss(name, (label,), exclude=id_, graph_only=True)
        if near:
            use = "Write that name" if row.id_from_name else "Use that id"
            self.problems.append(row.problem(
                "name", f"new {label.lower()} {name!r} is nearly {near.name!r} ({near.id})",
                f"Did you mean {near.id}? {use}, or load with --allow-new if it is new."))


def _listing(numbers: list[str], shown: int = 10) -> str:
    if len(numbers) <= shown:
        return ", ".join(numbers)
    return f"{', '.join(numbers[:shown])} and {len(numbers) - shown} more"


# Letters of other scripts that look like Latin ones (after case folding), from Unicode's
# confusables for Cyrillic and Greek: a name written with them is a lookalike, not a new name.
LOOKALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s",
    "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ь": "b", "α": "a", "β": "b", "ε": "e",
    "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "y", "χ": "x", "ϲ": "c", "ϳ": "j",
})


def skeleton(folded: str) -> str:
    """A folded name with lookalike letters of other scripts as the Latin they look like."""
    return folded.translate(LOOKALIKES)


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
    return " ".join(skeleton(squash(word)) for word in str(text).split())
