"""The blank district workbook: one sheet per kind, headers from the model, a note on each
column and drop-down lists for allowed values."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Column, Model, NodeSpec, RelSpec

MAX_ROWS = 5000  # rows that get drop-down lists
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True)
SOURCES_NOTE = ("sources: the document and section each row comes from, e.g. "
                "cheltenham-2026#minutes-3; several separated by ';'. Empty: this workbook, "
                "sheet and row are cited.")


def describe(column: Column) -> str:
    """The note a district sees on a column's header."""
    parts = [column.doc] if column.doc else []
    if column.type == "enum":
        parts.append("One of: " + ", ".join(column.values) + ".")
    elif column.type == "ref":
        many = "; several separated by ';'" if column.many else ""
        parts.append(f"The id, name or alias of a {' or '.join(column.to)}{many}.")
    elif column.type == "date":
        parts.append("A date: 31/03/2009, 2009-03-31, or a year.")
    elif column.type == "list":
        parts.append("Several values separated by ';'.")
    elif column.type in ("int", "float"):
        parts.append("A number.")
    if column.required:
        parts.append("Required.")
    if column.default is not None:
        parts.append(f"Default: {column.default}.")
    return " ".join(parts)


def build(model: Model) -> Workbook:
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "About"
    about["A1"] = "Partnership KB district workbook"
    about["A1"].font = Font(bold=True, size=14)
    about["A3"] = ("Fill in one sheet per kind of thing; leave sheets you do not need empty. "
                   "Hover over a header for what it holds; bold headers are required.")
    about["A4"] = "Load with: pkb load THIS-FILE.xlsx --district YOUR-DISTRICT --dry-run"
    lists = book.create_sheet("Lists")  # allowed values, referenced by the drop-downs
    lists.sheet_state = "hidden"
    enum_ranges = _write_lists(lists, model)
    for spec in model.sheets().values():
        _add_sheet(book, spec, enum_ranges)
    return book


def _write_lists(sheet: Worksheet, model: Model) -> dict[str, str]:
    ranges = {}
    for index, (name, values) in enumerate(sorted(model.enums.items()), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        ranges[name] = f"{quote_sheetname('Lists')}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _add_sheet(book: Workbook, spec: NodeSpec | RelSpec, enum_ranges: dict[str, str]) -> None:
    sheet = book.create_sheet(spec.sheet)
    columns = list((spec.all_columns if isinstance(spec, RelSpec) else spec.columns).values())
    headers: list[tuple[str, str, bool]] = [(c.name, describe(c), c.required) for c in columns]
    headers.append(("sources", SOURCES_NOTE, False))
    for index, (name, note, required) in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index, value=name)
        cell.comment = Comment(note, "Partnership KB", width=320, height=140)
        cell.fill = HEADER_FILL
        if required:
            cell.font = REQUIRED_FONT
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(name) + 4)
    for index, column in enumerate(columns, start=1):
        if column.enum is None:
            continue
        letter = get_column_letter(index)
        rule = DataValidation(type="list", formula1=f"={enum_ranges[column.enum]}",
                              allow_blank=True, showErrorMessage=True,
                              errorTitle=f"Not a {column.name}",
                              error="Choose one of the listed values.")
        rule.add(f"{letter}2:{letter}{MAX_ROWS}")
        sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def write(model: Model, path: Path) -> Path:
    build(model).save(path)
    return path
