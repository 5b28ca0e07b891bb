"""Reading workbooks (.xlsx, .xlsm, .xls, .ods) and folders of .csv files into raw sheets.

Real district files are typed by hand: a BOM, Windows-1252 CSV, blank trailing rows and hidden
sheets all turn up. Reading only normalises the container; values stay raw (strings, numbers,
dates) for validation to judge against the model.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from ..errors import PkbError

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
TEMPLATE_SHEETS = {"About", "Lists"}  # `pkb template`'s own sheets: skipped without a warning


@dataclass
class RawSheet:
    """One sheet as read: its header and its non-blank rows, each with its row number."""

    file: str
    name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]


@dataclass
class RawWorkbook:
    path: Path
    sheets: list[RawSheet]
    warnings: list[str] = field(default_factory=list)


class UnreadableFile(PkbError):
    """The input is not a workbook or folder we can read."""


def read(path: Path) -> RawWorkbook:
    """Read a workbook file or a folder of CSV sheets."""
    if path.is_dir():
        return _read_csv_folder(path)
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file or folder.",
                             "Give a .xlsx, .xlsm, .xls or .ods file, or a folder of .csv files.")
    if path.suffix.lower() == ".csv":
        return RawWorkbook(path, [_read_csv(path)])
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise UnreadableFile(f"{path}: {path.suffix or 'no extension'} is not a spreadsheet.",
                             "Give a .xlsx, .xlsm, .xls or .ods file, or a folder of .csv files.")
    return _read_workbook(path)


def _read_workbook(path: Path) -> RawWorkbook:
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as err:
        raise UnreadableFile(f"{path.name}: cannot open it as a spreadsheet: {err}",
                             "Save it again from Excel or LibreOffice as .xlsx or .ods.") from None
    result = RawWorkbook(path, [])
    for meta in book.sheets_metadata:
        if meta.name in TEMPLATE_SHEETS:
            continue
        if meta.visible != SheetVisibleEnum.Visible:
            result.warnings.append(f"{path.name} › {meta.name}: hidden sheet ignored.")
            continue
        grid = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        result.sheets.append(_sheet(path.name, meta.name, grid, first_row=1))
    return result


def _read_csv_folder(folder: Path) -> RawWorkbook:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv")
    if not files:
        raise UnreadableFile(f"{folder}: the folder holds no .csv files.",
                             "Put one CSV file per sheet in it, named after the sheet.")
    return RawWorkbook(folder, [_read_csv(p, f"{folder.name}/{p.name}") for p in files])


def decode(data: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252, the encoding Excel uses for 'CSV'."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(path: Path, label: str = "") -> RawSheet:
    text = decode(path.read_bytes())
    grid = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    return _sheet(label or path.name, path.stem, grid, first_row=1)


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab that European Excel and exports use, judged by the header."""
    header = text.split("\n", 1)[0]
    return max(",;\t", key=header.count)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet(file: str, name: str, grid: list[list[Any]], first_row: int) -> RawSheet:
    """Find the header (the first non-blank row) and keep the non-blank rows after it."""
    numbered = [(first_row + i, row) for i, row in enumerate(grid)]
    numbered = [(n, row) for n, row in numbered if not all(_blank(v) for v in row)]
    if not numbered:
        return RawSheet(file, name, [], [])
    _, header = numbered[0]
    return RawSheet(file, name, [str(h).strip() if not _blank(h) else "" for h in header],
                    numbered[1:])
