"""Validation: raw cells to typed values, with every problem located to its cell.

Nothing here touches Neo4j; references are only split into their parts (resolve.py looks
them up). All problems are collected, never just the first.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

from ..errors import Problem
from ..model import Column, Model, NodeSpec, RelSpec
from .mapping import Mapping, squash
from .read import RawSheet, RawWorkbook

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 29 Feb 1900
UK_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
YEAR = re.compile(r"^(\d{4})(?:\.0)?$")
NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?$")
SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
# A bare number in a date column is a year (1900-2100) or an Excel serial from 1927-05-18
# (10,000) to 2100-12-31; anything smaller is a count typed in the wrong column, not a date.
FIRST_SERIAL, LAST_SERIAL = 10_000, (LAST_DATE - EXCEL_EPOCH).days
INT_RANGE = (-(2**63), 2**63 - 1)  # Neo4j's integers
MAX_ID_BYTES = 200  # ids are index keys: well inside Neo4j's key size limit
MAX_NAME = 500  # names, titles, codes, aliases, references
MAX_TEXT = 20_000  # long text (descriptions, notes)
MAX_ITEMS = 100  # values in one ";"-separated cell
DATE_HINT = "write 31/03/2009, 2009-03-31 or 2009"
# Control characters (line breaks and tabs are allowed in long text only), lone surrogates,
# and the bidirectional overrides that make text read differently from what it holds.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
                     r"\u202a-\u202e\u2066-\u2069]")
LINE_BREAK = re.compile(r"[\t\n\r]")


@dataclass
class Row:
    """One typed row: its cells by column name (refs as lists of text), and where it came from."""

    sheet: str
    file: str
    number: int
    values: dict[str, Any]
    sources: list[str]
    their_sheet: str = ""  # the sheet's name in the file
    id_from_name: bool = False  # the row had no id: resolve.assign_ids gave it one

    def problem(self, column: str | None, message: str, hint: str = "") -> Problem:
        return Problem(self.file, self.their_sheet or self.sheet, self.number, column, message,
                       hint)


@dataclass
class Validated:
    """The typed rows of each of our sheets, and the problems found on the way."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sheet_names: dict[str, str] = field(default_factory=dict)  # our sheet -> the file's name
    incomplete: set[str] = field(default_factory=set)  # our sheets missing a required column


class BadValue(ValueError):
    """A cell that cannot become its column's type: what is wrong, and how to write it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def text(value: Any) -> str:
    """A cell as text; whole floats lose their '.0' (Excel stores 2009 as 2009.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def clean(value: Any, limit: int = MAX_NAME, lines: bool = False) -> str:
    """A cell as NFC-normalised text, refused with control characters or over ``limit``."""
    raw = unicodedata.normalize("NFC", text(value))
    bad = CONTROL.search(raw) or (None if lines else LINE_BREAK.search(raw))
    if bad:
        char = bad.group()
        where = f" at character {bad.start() + 1}"
        raise BadValue(f"holds the control character U+{ord(char):04X}{where}",
                       "Retype the cell; copying from other programs can carry invisible "
                       "characters" + ("." if lines else " (line breaks belong in long text "
                                              "only)."))
    if len(raw) > limit:
        raise BadValue(f"is {len(raw):,} characters long, over the limit of {limit:,}",
                       "Shorten it; put long text in a description or note column.")
    return raw


def to_date(value: Any, column: str) -> dt.date:
    """Dates as Excel gives them, ISO or UK text, an Excel serial, or a year (the year's first
    day, or its last for a `valid_to`, so that a year alone spans the whole year), between
    1900 and 2100."""
    if isinstance(value, dt.datetime):
        return _in_range(value.date())
    if isinstance(value, dt.date):
        return _in_range(value)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadValue(f"{text(value)[:40]!r} is not a date", DATE_HINT)
    raw = text(value)
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise BadValue(f"{raw!r} is not a date", DATE_HINT)
        raw = text(float(value))
    try:
        if match := YEAR.match(raw):
            whole_year = int(match.group(1))
            if not FIRST_DATE.year <= whole_year <= LAST_DATE.year:
                raise BadValue(f"{raw!r} is not a date between 1900 and 2100", DATE_HINT)
            return _year(whole_year, column)
        if match := ISO_DATE.match(raw):
            year, month, day = match.groups()
            return _in_range(dt.date(int(year), int(month), int(day or 1)))
        if match := UK_DATE.match(raw):
            day, month, year = match.groups()
            full_year = int(year) + (2000 if len(year) == 2 else 0)
            return _in_range(dt.date(full_year, int(month), int(day)))
        if SERIAL.match(raw) and FIRST_SERIAL <= float(raw) <= LAST_SERIAL:
            return EXCEL_EPOCH + dt.timedelta(days=int(float(raw)))
    except ValueError as err:
        if isinstance(err, BadValue):
            raise
    if NUMBER.match(raw):
        raise BadValue(f"{raw[:40]!r} is a number, not a date", DATE_HINT + " (a bare number "
                       "is read as a year from 1900 to 2100, or an Excel date)")
    raise BadValue(f"{raw[:40]!r} is not a date", DATE_HINT)


def _in_range(date: dt.date) -> dt.date:
    if not FIRST_DATE <= date <= LAST_DATE:
        raise BadValue(f"{date.isoformat()} is not between 1900 and 2100",
                       "Correct the year; " + DATE_HINT)
    return date


def _year(year: int, column: str) -> dt.date:
    return dt.date(year, 12, 31) if column == "valid_to" else dt.date(year, 1, 1)


def to_number(value: Any, column: Column) -> int | float:
    """A finite number within the column's range (and Neo4j's integer range for a whole one)."""
    whole = column.type == "int"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadValue(f"{text(value)[:40]!r} is not a number", "Write digits: 2, 4.5.")
    if isinstance(value, int | float):
        number: float = value
    else:
        raw = text(value).replace(",", "")
        if not NUMBER.match(raw):
            raise BadValue(f"{raw[:40]!r} is not a number", "Write digits only: 2, 4.5; put "
                           "any remark in a note column.")
        number = float(raw)
    if not math.isfinite(number):
        raise BadValue(f"{text(value)[:40]!r} is not a finite number", "Write digits: 2, 4.5.")
    low = column.minimum if column.minimum is not None else INT_RANGE[0] if whole else None
    high = column.maximum if column.maximum is not None else INT_RANGE[1] if whole else None
    if (low is not None and number < low) or (high is not None and number > high):
        shown = text(value)[:40]
        raise BadValue(f"{shown} is out of range", f"Write a number from {text(low)} to "
                       f"{text(high)}." if low is not None and high is not None else
                       "Write a smaller number.")
    if whole:
        if not float(number).is_integer():
            raise BadValue(f"{number!r} is not a whole number", "Write a whole number: 2.")
        return int(number)
    return float(number)


def split(value: Any, limit: int = MAX_NAME) -> list[str]:
    parts = [clean(part, limit) for part in text(value).split(";") if part.strip()]
    if len(parts) > MAX_ITEMS:
        raise BadValue(f"holds {len(parts):,} values, over the limit of {MAX_ITEMS}",
                       "Split the row into several rows.")
    return parts


def to_id(value: Any) -> str:
    """An id: letters (any script), digits and . : / - _, at most 200 bytes as UTF-8."""
    raw = clean(value, 32_767)
    if len(raw.encode()) > MAX_ID_BYTES:
        raise BadValue(f"the id is {len(raw.encode()):,} bytes long, over the limit of "
                       f"{MAX_ID_BYTES}", "Use a short id: cheltenham-lsp.")
    if not re.fullmatch(r"[\w.:/-]+", raw):
        raise BadValue(f"{raw!r} has spaces or punctuation",
                       "Use letters, digits and hyphens: cheltenham-lsp.")
    return raw


def convert(column: Column, value: Any) -> Any:
    """One non-blank cell to its column's type. Text is stored as text, never evaluated:
    a cell starting =, +, - or @ is that text."""
    kind = column.type
    if column.name == "id":
        return to_id(value)
    if kind == "string":
        return clean(value)
    if kind == "text":
        return clean(value, MAX_TEXT, lines=True)
    if kind in ("int", "float"):
        return to_number(value, column)
    if kind == "date":
        return to_date(value, column.name)
    if kind == "list":
        return split(value)
    if kind == "enum":
        raw = clean(value)
        allowed = _enum_lookup(column.values).get(squash(raw))
        if allowed is not None:
            return allowed
        raise BadValue(f"{raw[:80]!r} is not allowed", f"use one of: {', '.join(column.values)}")
    if kind == "ref":
        return split(value) if column.many else [clean(value)]
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
                where = f"; or map it in {mapping.path.name}" if mapping.path else ""
                result.warnings.append(
                    f"{sheet.file} › {sheet.name}: not a sheet of the model, ignored "
                    f"(sheets are: {', '.join(specs)}{where}).")
            continue
        if ours in result.rows:
            result.problems.append(Problem(sheet.file, sheet.name, None, None,
                                           f"a second sheet for {ours}",
                                           "Merge the two sheets into one."))
            continue
        result.sheet_names[ours] = sheet.name
        result.rows[ours] = _validate_sheet(sheet, ours, specs[ours], mapping, result)
    _check_duplicates(result, model)
    return result


def _columns(spec: NodeSpec | RelSpec) -> dict[str, Column]:
    return spec.all_columns if isinstance(spec, RelSpec) else spec.columns


def naming_columns(spec: NodeSpec | RelSpec) -> list[str]:
    """The columns a node's name is made of (so a row without an id can get one from them)."""
    if isinstance(spec, RelSpec):
        return []
    if spec.name_from:
        return [c for c in spec.columns if "{" + c + "}" in spec.name_from]
    found: list[str] = [c for c in ("name", "title") if c in spec.columns]
    return found[:1]


def _validate_sheet(sheet: RawSheet, ours: str, spec: NodeSpec | RelSpec, mapping: Mapping,
                    result: Validated) -> list[Row]:
    problems = result.problems
    columns = _columns(spec)
    known = [*columns, "sources"]
    positions: dict[str, int] = {}
    for index, header in enumerate(sheet.header):
        if not header:
            continue
        found = mapping.column_for(ours, header, known)
        if found is None:
            where = f" or map it in {mapping.path.name}" if mapping.path else ""
            problems.append(Problem(sheet.file, sheet.name, None, clean_header(header),
                                    "not a column of this sheet",
                                    f"Columns are: {', '.join(known)}; rename it{where}."))
        elif found in positions:
            problems.append(Problem(sheet.file, sheet.name, None, clean_header(header),
                                    f"a second column for {found}", "Remove one of the two."))
        else:
            positions[found] = index
    defaults = mapping.defaults.get(ours, {})
    # A row without an id gets one from its name (resolve.assign_ids), so the id column is
    # needed only when the sheet has no name to make one from.
    naming = naming_columns(spec)
    missing = [name for name, column in columns.items()
               if column.required and name not in positions and name not in defaults
               and not (name == "id" and naming and all(c in positions for c in naming))]
    for name in missing:
        problems.append(Problem(sheet.file, sheet.name, None, name, "required column missing",
                                f"Add a column headed {name!r}."))
    if missing:
        result.incomplete.add(ours)
    # The columns a row can give a value: those the sheet has, or with a default. (The others
    # are blank on every row; a blank is a problem only in a column the sheet has.) Worked out
    # once per sheet, not once per cell.
    given = [(name, column, positions.get(name), defaults.get(name, column.default))
             for name, column in columns.items()
             if name in positions or not blank(defaults.get(name, column.default))]
    # Column by column: each column's converter and memo are looked up once, not per cell.
    grid = sheet.rows
    rows = [Row(ours, sheet.file, number, {}, [], sheet.name) for number, _ in grid]
    for name, column, position, default in given:
        required = column.required and position is not None and name != "id"
        for row, value in _typed(rows, grid, name, position, default, required,
                                 partial(convert, column), problems):
            row.values[name] = value
    if "sources" in positions:
        for row, value in _typed(rows, grid, "sources", positions["sources"], "", False,
                                 _sources, problems):
            row.sources = value
    for row in rows:
        _check_row(row, problems)
    return rows


def _sources(value: Any) -> list[str]:
    return split(value or "")


# The values cells hold that are remembered once converted (by their type too: 1, 1.0 and
# True are equal keys otherwise).
REMEMBERED = frozenset({str, int, float})


def _typed(rows: list[Row], grid: list[tuple[int, list[Any]]], name: str,
           position: int | None, default: Any, required: bool,
           to_type: Callable[[Any], Any], problems: list[Problem]) -> Iterator[tuple[Row, Any]]:
    """One column's typed value on each row that gives one (a blank cell takes the default);
    a blank where a value is ``required`` and every refused value is a problem of its row.
    Returns repeat the same values row after row: each distinct one is converted once (a
    refused one again on each row, so each is reported)."""
    done: dict[tuple[type, Any], Any] = {}
    for row, (_, cells) in zip(rows, grid, strict=True):
        value = cells[position] if position is not None and position < len(cells) else None
        if value is None or (isinstance(value, str) and not value.strip()):  # blank()
            value = default
            if blank(value):
                if required:
                    problems.append(row.problem(name, "a value is required",
                                                f"Fill in the {name} of this row."))
                continue
        kind = type(value)
        found = done.get((kind, value), done) if kind in REMEMBERED else done
        if found is done:
            try:
                found = to_type(value)
            except BadValue as bad:
                problems.append(row.problem(name, bad.message, bad.hint))
                continue
            if kind in REMEMBERED:
                done[(kind, value)] = found
        # A list of its own for each row (rows may change theirs).
        yield row, (list(found) if type(found) is list else found)


def clean_header(header: str) -> str:
    """A header as a problem names it: printable, and not too long to read."""
    shown = CONTROL.sub("?", LINE_BREAK.sub(" ", header))
    return shown if len(shown) <= 80 else shown[:77] + "..."


def _check_row(row: Row, problems: list[Problem]) -> None:
    start, end = row.values.get("valid_from"), row.values.get("valid_to")
    if start and end and start > end:
        problems.append(row.problem("valid_to", f"ends ({end}) before it starts ({start})",
                                    "Swap valid_from and valid_to, or correct one."))
    for column in ("name", "title"):
        value = row.values.get(column)
        if isinstance(value, str) and not squash(value):
            problems.append(row.problem(column, f"{value!r} has no letter or digit",
                                        f"Write the {column} in words."))


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
