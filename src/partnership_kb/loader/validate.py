"""Validation: raw cells to typed values, with every problem located to its cell.

Nothing here touches Neo4j; references are only split into their parts (resolve.py looks
them up). All problems are collected, never just the first.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..errors import Problem
from ..model import Column, Model, NodeSpec, RelSpec
from .mapping import Mapping, squash
from .read import RawSheet, RawWorkbook

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 29 Feb 1900
UK_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
YEAR = re.compile(r"^(\d{4})(?:\.0)?$")


@dataclass
class Row:
    """One typed row: its cells by column name (refs as lists of text), and where it came from."""

    sheet: str
    file: str
    number: int
    values: dict[str, Any]
    sources: list[str]

    def problem(self, column: str | None, message: str, hint: str = "") -> Problem:
        return Problem(self.file, self.sheet, self.number, column, message, hint)


@dataclass
class Validated:
    """The typed rows of each of our sheets, and the problems found on the way."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class BadValue(ValueError):
    """A cell that cannot become its column's type; the message says what it should be."""


def text(value: Any) -> str:
    """A cell as text; whole floats lose their '.0' (Excel stores 2009 as 2009.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def to_date(value: Any, column: str) -> dt.date:
    """Dates as Excel gives them, ISO or UK text, or a year (the year's first day, or its
    last for a `valid_to`, so that a year alone spans the whole year)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1000 <= value <= 9999 and float(value).is_integer():
            return _year(int(value), column)
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    raw = text(value)
    try:
        if match := YEAR.match(raw):
            return _year(int(match.group(1)), column)
        if match := ISO_DATE.match(raw):
            year, month, day = match.groups()
            return dt.date(int(year), int(month), int(day or 1))
        if match := UK_DATE.match(raw):
            day, month, year = match.groups()
            full_year = int(year) + (2000 if len(year) == 2 else 0)
            return dt.date(full_year, int(month), int(day))
        if raw.replace(".", "", 1).isdigit():
            return EXCEL_EPOCH + dt.timedelta(days=int(float(raw)))
    except ValueError:
        pass
    raise BadValue(f"{raw!r} is not a date (write 31/03/2009, 2009-03-31 or 2009)")


def _year(year: int, column: str) -> dt.date:
    return dt.date(year, 12, 31) if column == "valid_to" else dt.date(year, 1, 1)


def to_number(value: Any, whole: bool) -> int | float:
    if isinstance(value, bool):
        raise BadValue(f"{value!r} is not a number")
    if isinstance(value, int | float):
        number: float = value
    else:
        raw = text(value).replace(",", "")
        try:
            number = float(raw)
        except ValueError:
            raise BadValue(f"{raw!r} is not a number") from None
    if whole:
        if not float(number).is_integer():
            raise BadValue(f"{number!r} is not a whole number")
        return int(number)
    return float(number)


def split(value: Any) -> list[str]:
    return [part.strip() for part in text(value).split(";") if part.strip()]


def convert(column: Column, value: Any) -> Any:
    """One non-blank cell to its column's type."""
    kind = column.type
    if kind in ("string", "text"):
        return text(value)
    if kind in ("int", "float"):
        return to_number(value, whole=kind == "int")
    if kind == "date":
        return to_date(value, column.name)
    if kind == "list":
        return split(value)
    if kind == "enum":
        allowed = _enum_lookup(column.values).get(squash(text(value)))
        if allowed is not None:
            return allowed
        raise BadValue(f"{text(value)!r} is not allowed (use one of: {', '.join(column.values)})")
    if kind == "ref":
        return split(value) if column.many else [text(value)]
    raise BadValue(f"unknown column type {kind}")


@cache
def _enum_lookup(values: tuple[str, ...]) -> dict[str, str]:
    """Allowed values by their folded form, so "Vice Chair" finds "vice-chair"."""
    return {squash(v): v for v in values}


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate(book: RawWorkbook, mapping: Mapping, model: Model) -> Validated:
    """Type every cell of every sheet the model knows; warn about sheets it does not."""
    result = Validated(warnings=list(book.warnings))
    specs = model.sheets()
    for sheet in book.sheets:
        ours = mapping.sheet_for(sheet.name, model)
        if ours is None:
            if sheet.rows or sheet.header:
                result.warnings.append(
                    f"{sheet.file} › {sheet.name}: not a sheet of the model, ignored "
                    f"(sheets are: {', '.join(specs)}; or map it in {mapping.path}).")
            continue
        if ours in result.rows:
            result.problems.append(Problem(sheet.file, sheet.name, None, None,
                                           f"a second sheet for {ours}",
                                           "Merge the two sheets into one."))
            continue
        result.rows[ours] = _validate_sheet(sheet, ours, specs[ours], mapping, result.problems)
    _check_duplicates(result, model)
    return result


def _columns(spec: NodeSpec | RelSpec) -> dict[str, Column]:
    return spec.all_columns if isinstance(spec, RelSpec) else spec.columns


def _validate_sheet(sheet: RawSheet, ours: str, spec: NodeSpec | RelSpec, mapping: Mapping,
                    problems: list[Problem]) -> list[Row]:
    columns = _columns(spec)
    known = [*columns, "sources"]
    positions: dict[str, int] = {}
    for index, header in enumerate(sheet.header):
        if not header:
            continue
        found = mapping.column_for(ours, header, known)
        if found is None:
            problems.append(Problem(sheet.file, sheet.name, None, header,
                                    "not a column of this sheet",
                                    f"Columns are: {', '.join(known)}; rename it or map it in "
                                    f"loaders/{mapping.district}.yaml."))
        elif found in positions:
            problems.append(Problem(sheet.file, sheet.name, None, header,
                                    f"a second column for {found}", "Remove one of the two."))
        else:
            positions[found] = index
    defaults = mapping.defaults.get(ours, {})
    for name, column in columns.items():
        if column.required and name not in positions and name not in defaults:
            problems.append(Problem(sheet.file, sheet.name, None, name, "required column missing",
                                    f"Add a column headed {name!r}."))
    rows = []
    for number, cells in sheet.rows:
        row = Row(ours, sheet.file, number, {}, [])
        for name, column in columns.items():
            value = cells[positions[name]] if name in positions and positions[name] < len(cells) \
                else None
            if blank(value):
                value = defaults.get(name, column.default)
            if blank(value):
                if column.required and name in positions:
                    problems.append(row.problem(name, "a value is required",
                                                f"Fill in the {name} of this row."))
                continue
            try:
                row.values[name] = convert(column, value)
            except BadValue as bad:
                problems.append(row.problem(name, str(bad).split(" (")[0], _hint(str(bad))))
        if "sources" in positions and positions["sources"] < len(cells):
            row.sources = split(cells[positions["sources"]] or "")
        _check_row(row, problems)
        rows.append(row)
    return rows


def _hint(message: str) -> str:
    return message.split(" (", 1)[1].rstrip(")") if " (" in message else ""


def _check_row(row: Row, problems: list[Problem]) -> None:
    start, end = row.values.get("valid_from"), row.values.get("valid_to")
    if start and end and start > end:
        problems.append(row.problem("valid_to", f"ends ({end}) before it starts ({start})",
                                    "Swap valid_from and valid_to, or correct one."))
    if row.values.get("id") is not None and not re.fullmatch(r"[\w.:/-]+", row.values["id"]):
        problems.append(row.problem("id", f"{row.values['id']!r} has spaces or punctuation",
                                    "Use letters, digits and hyphens: cheltenham-lsp."))


def _check_duplicates(result: Validated, model: Model) -> None:
    """The same id twice in one label is a contradiction the loader cannot settle."""
    for spec in model.nodes.values():
        seen: dict[str, Row] = {}
        for row in result.rows.get(spec.sheet, []):
            key = row.values.get("id")
            if key is None:
                continue
            if key in seen:
                first = seen[key]
                result.problems.append(row.problem(
                    "id", f"duplicate id {key!r} (also row {first.number})",
                    "Give each row its own id, or merge the two rows."))
            else:
                seen[key] = row
