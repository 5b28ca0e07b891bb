"""The `checks` root field: the rule checks' findings, answered by the rules' own queries.

Unlike the other root fields it is not one projected Cypher: each rule is its own named query
(queries/checks/), and one rule (brokers) is computed in Python, so findings are plain objects
completed the usual way (see executor.PLAIN_ROOT_FIELDS).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry

from ..checks import Finding, Severity, run_checks_async
from ..checks.rules import Rule
from .context import Context
from .types import SourceRef


@strawberry.enum(description="How much a finding matters: info, warning, error.")
class FindingSeverity(Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@strawberry.type(description="The node a finding is about.")
class FindingSubject:
    id: strawberry.ID
    name: str
    label: str = strawberry.field(description="Partnership, Post, Person, Outcome, ...")


@strawberry.type(description="What a rule check found about one subject, and who says so.")
class CheckFinding:
    rule: str = strawberry.field(description="The rule: its file under queries/checks/.")
    severity: FindingSeverity
    rule_source: SourceRef = strawberry.field(
        description="The document and section the rule comes from (the guidance it applies).")
    subject: FindingSubject
    evidence: str = strawberry.field(description="What was found, in words.")
    sources: list[SourceRef] = strawberry.field(
        description="The documents and sections that say the facts found.")


def source_ref(text: str) -> SourceRef:
    document, _, section = text.partition("#")
    return SourceRef(document=document, section=section or None)


def as_graphql(finding: Finding) -> CheckFinding:
    return CheckFinding(
        rule=finding.rule, severity=FindingSeverity(finding.severity.value),
        rule_source=source_ref(finding.rule_source),
        subject=FindingSubject(id=strawberry.ID(finding.subject.id), name=finding.subject.name,
                               label=finding.subject.label),
        evidence=finding.evidence, sources=[source_ref(s) for s in finding.sources])


async def findings(context: Context, rules: dict[str, Rule], as_of: dt.date | None,
                   area: str | None, dataset: str | None,
                   severity: FindingSeverity | None) -> list[CheckFinding]:
    """Every rule's findings (one read per rule), with the graph's data version for the ETag."""

    async def read(cypher: str, params: dict[str, Any]) -> Any:
        context.round_trips += 1
        return await context.database.read(cypher, params)

    version = await context.database.data_version()
    # Without a date, a rule may judge by today's (stale proposals): no ETag then.
    context.data_versions.add(version if as_of else None)
    found = await run_checks_async(
        read, as_of=as_of, area=area, dataset=dataset, rules=rules,
        severity=Severity(severity.value) if severity else None)
    return [as_graphql(f) for f in found]
