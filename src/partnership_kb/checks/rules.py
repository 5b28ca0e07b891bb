"""The rule files: named queries (queries/checks/*.cypher) with a severity and the source of
the rule in their header, and optionally a Python step that turns their rows into findings."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from .. import config
from ..errors import ConfigError
from ..queries import NamedQuery, load_folder, parse

# Every rule can be asked on a date, for an area and for one dataset, the same way.
COMMON_PARAMS = ("asOf", "area", "dataset")
COMPUTE_STEPS = ("articulation_points",)
# A rule's anchor: the node or relationship its `$dataset` filter judges, written as the
# pattern it is first matched by: `(b:Partnership)` or `()-[r:MEMBER_OF]->()`.
NODE_ANCHOR = re.compile(r"^\((\w+):(\w+)\)$")
REL_ANCHOR = re.compile(r"^\(\)-\[(\w+):(\w+)\]->\(\)$")


class Severity(Enum):
    """How much a finding matters, in order: a note, something to look at, something wrong."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

    @classmethod
    def named(cls, text: str) -> Severity:
        """A severity by its name in any case; another word fails listing the names."""
        for severity in cls:
            if severity.value == text.strip().lower():
                return severity
        raise ValueError(f"{text!r} is not a severity; use one of "
                         f"{', '.join(s.value for s in cls)}.")


@dataclass(frozen=True)
class Rule:
    query: NamedQuery
    severity: Severity
    source: str  # document#section of the guidance or finding the rule applies
    compute: str | None  # a Python step over the rows (COMPUTE_STEPS), or None: rows are findings
    anchor: str  # the pattern of what `$dataset` filters (NODE_ANCHOR or REL_ANCHOR)

    @property
    def name(self) -> str:
        return self.query.name

    @property
    def anchored(self) -> tuple[str, str, bool]:
        """The anchor's variable, its label or type, and whether it is a relationship."""
        node = NODE_ANCHOR.match(self.anchor)
        if node:
            return node.group(1), node.group(2), False
        rel = REL_ANCHOR.match(self.anchor)
        assert rel is not None  # parse_rule checked it
        return rel.group(1), rel.group(2), True

    @property
    def scoped_text(self) -> str:
        """The rule, judging only the anchors a load names: nodes by id (`$ids`, a seek on
        the label's id constraint), relationships by element id (`$rels`). The rule itself
        is unchanged after the first clause, which binds its anchor; so over a scope that
        holds every anchor its `$dataset` keeps, it finds what it finds over the graph.
        Relationships are sought in a subquery, one element id at a time: written as
        `elementId(r) IN $rels`, the planner folded the test into the rule's own pattern and
        scanned every board's memberships (75 ms a rule at 300 districts, against 10)."""
        name, kind, rel = self.anchored
        first = ("CALL () { UNWIND $rels AS element WITH DISTINCT element "
                 f"MATCH ()-[{name}:`{kind}`]->() WHERE elementId({name}) = element "
                 f"RETURN {name} }}"
                 if rel else f"MATCH ({name}:`{kind}`) WHERE {name}.id IN $ids WITH {name}")
        return f"{first}\n{self.query.text}"

    @property
    def count_text(self) -> str:
        """How many anchors of its kind the graph holds (from Neo4j's count store)."""
        _, kind, rel = self.anchored
        return (f"MATCH ()-[x:`{kind}`]->() RETURN count(x) AS n" if rel
                else f"MATCH (x:`{kind}`) RETURN count(x) AS n")


def parse_rule(path: Path) -> Rule:
    """One rule file; a missing severity, source or common parameter fails naming the file."""
    query = parse(path)
    extra = query.extra
    for key in ("severity", "source"):
        if not extra.get(key):
            raise ConfigError(f"{path}: the header has no `// {key}:` line.",
                              "Every rule says its severity (info, warning, error) and the "
                              "document#section its rule comes from.")
    try:
        severity = Severity.named(extra["severity"])
    except ValueError as err:
        raise ConfigError(f"{path}: severity: {err}", "Write `// severity: warning`.") from None
    missing = [p for p in COMMON_PARAMS if p not in query.params]
    if missing:
        raise ConfigError(f"{path}: no parameter {', '.join('$' + p for p in missing)}.",
                          "Every rule takes $asOf, $area and $dataset (default null).")
    compute = extra.get("compute")
    if compute is not None and compute not in COMPUTE_STEPS:
        raise ConfigError(f"{path}: compute: no step {compute!r}.",
                          f"Known steps: {', '.join(COMPUTE_STEPS)}.")
    anchor = extra.get("anchor", "").partition(" - ")[0].strip()
    if not (NODE_ANCHOR.match(anchor) or REL_ANCHOR.match(anchor)):
        raise ConfigError(f"{path}: anchor: {anchor or 'none'} is not `(x:Label)` or "
                          "`()-[x:TYPE]->()`.",
                          "Name the node or relationship the rule's $dataset filter judges, "
                          "as its query first matches it: `// anchor: (b:Partnership)`.")
    return Rule(query, severity, extra["source"], compute, anchor)


def load_rules(folder: Path | None = None) -> dict[str, Rule]:
    """Every rule under queries/checks/, by name."""
    return load_folder(folder or config.project_home() / "queries" / "checks", parse_rule)


@functools.cache
def project_rules() -> dict[str, Rule]:
    """The project's rules, read once per process (the API's, for every request)."""
    return load_rules()
