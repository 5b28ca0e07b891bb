"""Writing real spreadsheet files for tests: .xlsx (openpyxl), .ods (odfpy), CSV folders."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

Sheets = dict[str, list[list[Any]]]  # sheet name -> rows (first row: headers)


def write_xlsx(path: Path, sheets: Sheets, hidden: Sheets | None = None) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for name, rows in (hidden or {}).items():
        sheet = book.create_sheet(name)
        sheet.sheet_state = "hidden"
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def write_ods(path: Path, sheets: Sheets) -> Path:
    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                else:
                    cell = TableCell(valuetype="string")
                cell.addElement(P(text="" if value is None else str(value)))
                table_row.addElement(cell)
            table.addElement(table_row)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def write_csv_folder(folder: Path, sheets: Sheets, encoding: str = "utf-8",
                     bom: bool = False, delimiter: str = ",") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in sheets.items():
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
            [["" if v is None else v for v in row] for row in rows])
        data = buffer.getvalue().encode(encoding)
        (folder / f"{name}.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return folder
