"""The loader: read → validate → resolve names → write, the same path for seed and district data.

Everything is checked before anything is written; a load with any problem raises
``InvalidInput`` carrying every problem and leaves the graph as it was.
"""

from __future__ import annotations

import datetime as dt
import gc
import getpass
import hashlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver

from ..checks.findings import Finding
from ..errors import InvalidInput
from ..model import Model
from . import lookup, mapping, read, resolve, validate
from .history import Change, LoadInfo, plan_from_json, plan_of, previous_loads
from .plan import Plan, Planner
from .write import Progress, WriteCounts, changes, write


@dataclass
class LoadReport:
    """What a load did (or, on a dry run, would do)."""

    dataset: str
    rows: int
    plan: Plan
    warnings: list[str] = field(default_factory=list)
    counts: WriteCounts | None = None
    changes: list[Change] = field(default_factory=list)
    stated_on: dt.date | None = None
    preview: dict[str, dict[str, int]] | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # per phase: check, write
    # Within those phases: reading the file (check), the rule checks and the commit (write).
    parts: dict[str, float] = field(default_factory=dict)
    new_findings: list[Finding] = field(default_factory=list)  # the rule checks', by this load
    resolved_findings: list[Finding] = field(default_factory=list)


def dataset_id(path: Path, district: str) -> str:
    """The default dataset of a file: its district and its name, so a re-sent file replaces it."""
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:64].strip("-")
    return f"{district}/{stem or 'return'}"


def prepare(path: Path, district: str, dataset: str, model: Model, driver: Driver,
            database: str | None = None, allow_new: bool = False) -> LoadReport:
    """Read and check a file completely; raise InvalidInput listing every problem."""
    mapping.check_ids(district, dataset)
    district_mapping = mapping.load(district, model)
    started = time.perf_counter()
    book = read.read(path)
    read_seconds = time.perf_counter() - started
    checked = validate.validate(book, district_mapping, model)
    area = frozenset({district, dataset.split("/")[0]})
    index = lookup.known(driver, model, checked, area, database)
    problems = checked.problems
    resolve.add_workbook(index, checked.rows, model)
    resolve.assign_ids(index, checked, model, district, problems)
    resolve.add_workbook(index, checked.rows, model)
    lookup.add_lookalikes(index, driver, model, checked, area, database)
    allowed = allow_new or district_mapping.confirmed_new
    resolve.check_same_names(checked, model, index, allowed, problems)
    source_ids = set(index.by_id["Source"]) | {dataset}
    sheets = {spec.label: checked.sheet_names.get(spec.sheet, spec.sheet)
              for spec in model.nodes.values()}
    incomplete = {spec.label for spec in model.nodes.values() if spec.sheet in checked.incomplete}
    resolver = resolve.Resolver(index, problems, sheets, incomplete, area)
    planner = Planner(model, resolver, dataset, dataset, source_ids, problems)
    plan = planner.build(checked, allowed)
    resolver.finish()
    if problems:
        raise InvalidInput(problems=sorted(problems, key=_order))
    if planner.uses_default_source:
        plan.nodes["Source"].append(_file_source(path, dataset))
    rows = sum(len(r) for r in checked.rows.values())
    return LoadReport(dataset, rows, plan, checked.warnings, parts={"read": read_seconds})


def _file_source(path: Path, dataset: str) -> dict[str, Any]:
    """The loaded spreadsheet itself, cited by rows that cite nothing else."""
    props = {"id": dataset, "title": path.name, "name": path.name, "kind": "spreadsheet"}
    return {"id": dataset, "props": props, "provenance": [f"{dataset}|{dataset}"]}


def _order(problem: Any) -> tuple[bool, str, str, int, str]:
    """Root causes first (a file's or sheet's: a missing column), then cell by cell."""
    return (problem.row is not None, problem.file, problem.sheet, problem.row or 0,
            problem.column or "")


def load(path: Path, district: str, model: Model, driver: Driver, *, dataset: str | None = None,
         database: str | None = None, allow_new: bool = False, dry_run: bool = False,
         progress: Progress | None = None, stated_on: dt.date | None = None,
         who: str | None = None, check: bool = True) -> LoadReport:
    """Load one workbook or CSV folder as one dataset. A return stated later than the
    dataset's last ends what it no longer says; a return of the same date replaces it.
    ``who`` is recorded on the load (default: the user running it; the API gives its key);
    ``check`` runs the rule checks before and after, to list the findings the load makes and
    resolves."""
    with _cycles_uncollected():
        return _run_load(path, district, model, driver, dataset or dataset_id(path, district),
                         database, allow_new, dry_run, progress, stated_on, who, check)


@contextmanager
def _cycles_uncollected() -> Iterator[None]:
    """Python's cycle collector paused while a load runs. A load holds a large heap of small
    objects (cells, rows, the plan, parameters) and makes few cycles; the collector would
    walk all of it again and again as it grows (over a 30,000-row load, nine full passes of
    up to 0.1 s each). Collection resumes afterwards, the process's other threads included."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _run_load(path: Path, district: str, model: Model, driver: Driver, dataset: str,
              database: str | None, allow_new: bool, dry_run: bool,
              progress: Progress | None, stated_on: dt.date | None, who: str | None,
              check: bool) -> LoadReport:
    started = time.perf_counter()
    report = prepare(path, district, dataset, model, driver, database, allow_new)
    info = LoadInfo(dataset, district, path.name, file_sha256(path),
                    stated_on or stated_date(report.plan) or dt.date.today(),
                    dt.datetime.now(dt.UTC), who or getpass.getuser())
    report.stated_on = info.stated_on
    checked = time.perf_counter()
    if dry_run:
        report.preview = preview(driver, report.plan, dataset, model, database)
        report.changes = changes(driver, report.plan, model, info, database)
    else:
        result = write(driver, report.plan, model, info, database, progress, check)
        report.counts, report.changes = result.counts, result.changes
        report.new_findings = result.new_findings
        report.resolved_findings = result.resolved_findings
        report.parts.update(result.seconds)
    report.seconds = {"check": checked - started, "write": time.perf_counter() - checked}
    return report


def stated_date(plan: Plan) -> dt.date | None:
    """The date a return states things on: the latest date of the documents it cites."""
    dates = [row["props"]["date"] for row in plan.nodes.get("Source", [])
             if isinstance(row["props"].get("date"), dt.date)]
    return max(dates) if dates else None


def file_sha256(path: Path) -> str:
    """The file's sha256 (a folder of CSVs: of its files in name order)."""
    digest = hashlib.sha256()
    for part in sorted(path.glob("*.csv")) if path.is_dir() else [path]:
        digest.update(part.read_bytes())
    return digest.hexdigest()


# Per label: the plan's ids that exist already, and the last load's ids the plan drops that
# only this dataset holds. Both by id (index seeks): a dry run costs what the return holds.
PREVIEW = """
CALL () {{ UNWIND $ids AS id MATCH (n:`{label}` {{id: id}}) RETURN count(n) AS existing }}
CALL () {{ UNWIND $dropped AS id MATCH (n:`{label}` {{id: id}}) WHERE n.datasets = [$dataset]
          RETURN count(n) AS removed }}
RETURN existing, removed"""


def preview(driver: Driver, plan: Plan, dataset: str, model: Model,
            database: str | None) -> dict[str, dict[str, int]]:
    """Per label: how many nodes a load would create, update and remove."""
    before = _last_plan(driver, dataset, model, database)
    found = {}
    for label in sorted(set(plan.nodes) | set(before.nodes)):
        ids = [row["id"] for row in plan.nodes.get(label, [])]
        dropped = sorted({row["id"] for row in before.nodes.get(label, [])} - set(ids))
        records, _, _ = driver.execute_query(
            PREVIEW.format(label=label), ids=ids, dropped=dropped, dataset=dataset,
            database_=database, routing_="r")
        existing, removed = records[0]["existing"], records[0]["removed"]
        found[label] = {"create": len(ids) - existing, "update": existing, "remove": removed}
    return found


def _last_plan(driver: Driver, dataset: str, model: Model, database: str | None) -> Plan:
    """What the dataset's last load said (nothing before its first)."""
    with driver.session(database=database, default_access_mode="READ") as session:
        loads = session.execute_read(previous_loads, dataset)
        if not loads:
            return Plan()
        return plan_from_json(session.execute_read(plan_of, loads[0]["id"]), model)
