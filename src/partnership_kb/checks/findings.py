"""Findings: what a rule found about one subject, with the evidence in words and who says so."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .brokers import articulation_findings
from .rules import Rule, Severity


@dataclass(frozen=True)
class Subject:
    """The node a finding is about, as much of it as a reader needs to find it."""

    id: str
    name: str
    label: str


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    rule_source: str
    subject: Subject
    evidence: str
    sources: tuple[str, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str]:
        """What stays the same while the problem does (the evidence may change its numbers)."""
        return (self.rule, self.subject.id)

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity.value,
                "ruleSource": self.rule_source,
                "subject": {"id": self.subject.id, "name": self.subject.name,
                            "label": self.subject.label},
                "evidence": self.evidence, "sources": list(self.sources)}

    def line(self) -> str:
        """One line for a terminal or a load summary."""
        return f"{self.severity.value}: {self.rule}: {self.evidence}"


def subject_of(value: dict[str, Any]) -> Subject:
    return Subject(str(value["id"]), str(value.get("name") or value["id"]),
                   str(value.get("label") or ""))


def from_rows(rule: Rule, rows: list[dict[str, Any]]) -> list[Finding]:
    """A rule's rows as findings: directly, or through its compute step."""
    if rule.compute == "articulation_points":
        found = articulation_findings(
            [(row["subject"], board, cited or [])
             for row in rows for board, cited in zip(row["boards"], row["sources"], strict=True)])
        return [Finding(rule.name, rule.severity, rule.source, subject_of(subject), evidence,
                        tuple(sources)) for subject, evidence, sources in found]
    return [Finding(rule.name, rule.severity, rule.source, subject_of(row["subject"]),
                    str(row["evidence"]), tuple(unique(row.get("sources") or [])))
            for row in rows]


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def diff(before: list[Finding], after: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """The findings after that were not there before (new), and those before that are gone
    (resolved), matched by rule and subject."""
    before_keys = {f.key for f in before}
    after_keys = {f.key for f in after}
    return ([f for f in after if f.key not in before_keys],
            [f for f in before if f.key not in after_keys])


def at_least(findings: list[Finding], severity: Severity) -> list[Finding]:
    return [f for f in findings if f.severity.rank >= severity.rank]
