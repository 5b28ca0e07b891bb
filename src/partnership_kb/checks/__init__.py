"""Rule checks: named queries under queries/checks/ that each find one kind of problem in the
structures (a board larger than the guidance, a body nobody holds to account, ...), turned into
findings that cite both the rule's source and the facts' sources."""

from .findings import Finding, diff
from .rules import Rule, Severity, load_rules
from .run import run_checks, run_checks_async

__all__ = ["Finding", "Rule", "Severity", "diff", "load_rules", "run_checks",
           "run_checks_async"]
