"""The rule files: named queries (queries/checks/*.cypher) with a severity and the source of
the rule in their header, and optionally a Python step that turns their rows into findings."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from .. import config
from ..errors import ConfigError
from ..queries import NamedQuery, load_folder, parse

# Every rule can be asked on a date, for an area and for one dataset, the same way.
COMMON_PARAMS = ("asOf", "area", "dataset")
COMPUTE_STEPS = ("articulation_points",)


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

    @property
    def name(self) -> str:
        return self.query.name


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
    return Rule(query, severity, extra["source"], compute)


def load_rules(folder: Path | None = None) -> dict[str, Rule]:
    """Every rule under queries/checks/, by name."""
    return load_folder(folder or config.project_home() / "queries" / "checks", parse_rule)


@functools.cache
def project_rules() -> dict[str, Rule]:
    """The project's rules, read once per process (the API's, for every request)."""
    return load_rules()
