"""Per-district mappings (loaders/<district>.yaml): sheet names, column aliases, defaults.

Districts differ in what they call things, not in what things are, so the difference is
configuration. Headers and sheet names match ignoring case, spacing and punctuation anyway;
a mapping only adds names that differ in words ("Board" for `body`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .. import config
from ..errors import InvalidInput, MappingError, Problem
from ..model import Model

DISTRICT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATASET_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID = 64


@cache
def squash(text: str) -> str:
    """Fold case, spacing and punctuation in any script: ' Meeting-Frequency ' ->
    'meetingfrequency', 'Иван Петров' -> 'иванпетров' (NFKC, Unicode case folding; letters,
    marks and digits kept). Cached: the loader folds the same few thousand names hundreds of
    thousands of times."""
    folded = unicodedata.normalize("NFKC", str(text)).casefold().replace("&", "and")
    return "".join(c for c in folded
                   if c.isalnum() or unicodedata.category(c).startswith("M"))


def check_ids(district: str | None, dataset: str | None = None) -> None:
    """A district id is lowercase letters, digits and hyphens; a dataset id is two of those
    joined by one "/" (district/name). Never a path: both name files and index keys."""
    problems = []
    if district is not None and (len(district) > MAX_ID or not DISTRICT_ID.fullmatch(district)):
        problems.append(Problem("--district", "", None, None, f"{district[:80]!r} is not a "
                                "district id", "Use lowercase letters, digits and hyphens, "
                                "at most 64: cheltenham, south-glos."))
    if dataset is not None and (len(dataset) > 2 * MAX_ID + 1
                                or not DATASET_ID.fullmatch(dataset)):
        problems.append(Problem("--dataset", "", None, None, f"{dataset[:80]!r} is not a "
                                "dataset id", "Write <district>/<name> in lowercase letters, "
                                "digits and hyphens: cheltenham/returns."))
    if problems:
        raise InvalidInput(problems=problems)


@dataclass(frozen=True)
class Mapping:
    """What one district calls our sheets and columns, and the values it leaves implicit."""

    district: str
    sheets: dict[str, str] = field(default_factory=dict)  # squashed their name -> our sheet
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # sheet -> squashed -> ours
    defaults: dict[str, dict[str, Any]] = field(default_factory=dict)  # sheet -> column -> value
    confirmed_new: frozenset[str] = frozenset()  # ids known to differ from look-alike names
    path: Path | None = None

    def sheet_for(self, name: str, model: Model) -> str | None:
        """Our sheet for one of theirs: by mapping, else by name (singular or plural)."""
        key = squash(name)
        if key in self.sheets:
            return self.sheets[key]
        for ours in model.sheets():
            if key in (squash(ours), squash(ours).rstrip("s")):
                return ours
        return None

    def column_for(self, sheet: str, header: str, known: list[str]) -> str | None:
        key = squash(header)
        mapped = self.columns.get(sheet, {}).get(key) or self.columns.get("*", {}).get(key)
        if mapped:
            return mapped
        return next((c for c in known if squash(c) == key), None)


def available() -> list[str]:
    return sorted(p.stem for p in (config.project_home() / "loaders").glob("*.yaml"))


def load(district: str, model: Model) -> Mapping:
    """Read loaders/<district>.yaml, checking every sheet and column it names exists; a
    district without one gets the defaults (the model's own sheet and column names)."""
    check_ids(district)
    path = config.project_home() / "loaders" / f"{district}.yaml"
    if not path.is_file():
        return Mapping(district)
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as err:
        raise MappingError(f"{path}: not valid YAML: {err}", "Fix the file's syntax.") from None
    if not isinstance(raw, dict):
        raise MappingError(f"{path}: a mapping file is a YAML mapping (sheets:, columns:, "
                          f"defaults:), not a {type(raw).__name__}.",
                          "See loaders/example.yaml.")
    for section in ("sheets", "columns", "defaults"):
        if not isinstance(raw.get(section) or {}, dict) or not all(
                isinstance(v or {}, dict) for v in (raw.get(section) or {}).values()
                if section != "sheets"):
            raise MappingError(f"{path}, {section}: not a mapping of names.",
                              "See loaders/example.yaml for its shape.")
    if not isinstance(raw.get("confirmed_new") or [], list):
        raise MappingError(f"{path}, confirmed_new: not a list of ids.",
                          "Write one id per line, each starting with '- '.")
    sheets_by_name = model.sheets()

    def check_sheet(key: str, sheet: str) -> str:
        if sheet != "*" and sheet not in sheets_by_name:
            raise MappingError(f"{path}, {key}: no sheet {sheet!r} in the model.",
                              f"Sheets are: {', '.join(sheets_by_name)}.")
        return sheet

    def check_column(key: str, sheet: str, column: str) -> str:
        spec = sheets_by_name.get(sheet)
        known = list(_columns(spec)) if spec else None
        if known is not None and column not in known:
            raise MappingError(f"{path}, {key}: sheet {sheet!r} has no column {column!r}.",
                              f"Its columns are: {', '.join(known)}.")
        return column

    sheets = {squash(theirs): check_sheet(f"sheets.{theirs}", ours)
              for theirs, ours in (raw.get("sheets") or {}).items()}
    columns = {
        check_sheet(f"columns.{sheet}", sheet): {
            squash(theirs): check_column(f"columns.{sheet}.{theirs}", sheet, ours)
            for theirs, ours in (aliases or {}).items()}
        for sheet, aliases in (raw.get("columns") or {}).items()}
    defaults = {
        check_sheet(f"defaults.{sheet}", sheet): {
            check_column(f"defaults.{sheet}.{col}", sheet, col): value
            for col, value in (values or {}).items()}
        for sheet, values in (raw.get("defaults") or {}).items()}
    confirmed = frozenset(str(i) for i in raw.get("confirmed_new") or ())
    return Mapping(str(raw.get("district") or district), sheets, columns, defaults, confirmed,
                   path)


def _columns(spec: Any) -> dict[str, Any]:
    cols = dict(getattr(spec, "all_columns", None) or spec.columns)
    cols.setdefault("sources", None)
    return cols
