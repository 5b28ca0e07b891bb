"""Reading workbooks (.xlsx, .xlsm, .ods) and folders of .csv files into raw sheets.

Real district files are typed by hand: a BOM, Windows-1252 or UTF-16 CSV, blank trailing rows
and hidden sheets all turn up; hostile ones declare billions of cells or mix encodings. Every
budget (file size, cells, rows, columns, characters in a cell) is checked before reading
allocates for it, and a file that breaks one is refused, located, never read. Reading only
normalises the container; values stay raw (strings, numbers, dates) for validation to judge.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from ..errors import InvalidInput, Problem

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".ods"}
TEMPLATE_SHEETS = {"About", "Lists"}  # `pkb template`'s own sheets: skipped without a warning
GIVE = "Give a .xlsx, .xlsm or .ods file, or a folder of .csv files."

# Budgets, checked before the reading that would allocate for them.
MAX_FILE_BYTES = 50_000_000  # a file, or the CSV files of a folder together
MAX_XML_BYTES = 500_000_000  # a workbook's XML, uncompressed (a zip bomb is refused)
MAX_ROWS = 500_000  # per sheet
MAX_COLUMNS = 500  # per sheet
MAX_CELLS = 5_000_000  # rows x columns, over the whole workbook
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_SHEETS = 100


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


class UnreadableFile(InvalidInput):
    """The input is not a workbook or folder we can read (bad input: exit status 2)."""

    def __init__(self, file: str, message: str, hint: str, sheet: str = "",
                 row: int | None = None) -> None:
        super().__init__(problems=[Problem(file, sheet, row, None, message, hint)])


def read(path: Path) -> RawWorkbook:
    """Read a workbook file or a folder of CSV sheets."""
    if path.is_dir():
        return _read_csv_folder(path)
    if not path.is_file():
        raise UnreadableFile(path.name or str(path), "no such file or folder", GIVE)
    if path.suffix.lower() == ".csv":
        _check_size(path.name, path.stat().st_size)
        return RawWorkbook(path, [_read_csv(path)])
    if path.suffix.lower() == ".xls":
        # A binary .xls can declare cells far apart that the reader then allocates densely;
        # unlike .xlsx and .ods its extent cannot be checked by streaming before reading.
        raise UnreadableFile(path.name, "Excel 97-2003 .xls files are not read (their size "
                             "cannot be checked before reading them)",
                             "Save it again from Excel or LibreOffice as .xlsx or .ods.")
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise UnreadableFile(path.name, f"{path.suffix or 'no extension'} is not a spreadsheet",
                             GIVE)
    _check_size(path.name, path.stat().st_size)
    return _read_workbook(path)


def _check_size(file: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(file, f"the file is {size:,} bytes, over the limit of "
                             f"{MAX_FILE_BYTES:,}", "Split it into several returns.")


def _too_big(file: str, sheet: str, what: str) -> UnreadableFile:
    return UnreadableFile(file, f"the sheet {what}, over the loader's budget "
                          f"({MAX_ROWS:,} rows, {MAX_COLUMNS:,} columns, {MAX_CELLS:,} cells)",
                          "Delete the unused rows and columns (select them, Delete, save), or "
                          "split the return into several files.", sheet=sheet)


def _read_workbook(path: Path) -> RawWorkbook:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        _check_xlsx_extent(path)
    elif path.suffix.lower() == ".ods":
        _check_ods_extent(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        metas = book.sheets_metadata
    except (CalamineError, OSError, ValueError) as err:
        raise UnreadableFile(path.name, f"cannot open it as a spreadsheet: {err}",
                             "Save it again from Excel or LibreOffice as .xlsx or .ods.") from None
    if len(metas) > MAX_SHEETS:
        raise UnreadableFile(path.name, f"{len(metas)} sheets, over the limit of {MAX_SHEETS}",
                             "Keep one sheet per kind of thing.")
    result = RawWorkbook(path, [])
    cells = 0
    for meta in metas:
        if meta.name in TEMPLATE_SHEETS:
            continue
        if meta.visible != SheetVisibleEnum.Visible:
            result.warnings.append(f"{path.name} › {meta.name}: hidden sheet ignored.")
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            height, width = sheet.height, sheet.width
            cells += height * width
            if height > MAX_ROWS or width > MAX_COLUMNS or cells > MAX_CELLS:
                raise _too_big(path.name, meta.name,
                               f"spans {height:,} rows by {width:,} columns")
            grid = sheet.to_python(skip_empty_area=False)
        except (CalamineError, OSError, ValueError) as err:
            raise UnreadableFile(path.name, f"cannot read the sheet: {err}",
                                 "Save it again from Excel or LibreOffice as .xlsx or .ods.",
                                 sheet=meta.name) from None
        result.sheets.append(_sheet(path.name, meta.name, grid, first_row=1))
    return result


# What opening a workbook's zip archive can raise; zipfile raises NotImplementedError for a
# compression method it cannot read.
UNREADABLE_ARCHIVE = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ParseError,
                      NotImplementedError)
# A cell tag, <c ...> or <x:c ...> (the prefix taken once, possessively: never re-tried, a third
# of the time of scanning a large sheet).
CELL_REF = re.compile(rb"<(?:\w++:)?+c\b[^>]*?\br=\"([A-Z]{1,4})([0-9]{1,9})\"[^>]*?(/?)>")
ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"([0-9]{1,9})\"")
CHUNK = 1 << 20


def _unpacked_within_limit(path: Path, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's entries, once their unpacked size is known to be within the limit."""
    entries = archive.infolist()
    total = sum(e.file_size for e in entries)
    if total > MAX_XML_BYTES:
        raise UnreadableFile(path.name, f"it unpacks to {total:,} bytes, over the limit of "
                             f"{MAX_XML_BYTES:,}", "Split it into several returns.")
    return entries


def _check_xlsx_extent(path: Path) -> None:
    """The extent of each worksheet as its cells declare it (a far-off cell makes the reader
    allocate the whole range up to it), read by streaming the XML, before anything else."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = _unpacked_within_limit(path, archive)
            cells = 0
            names = _xlsx_sheet_names(archive)
            for entry in entries:
                if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", entry.filename):
                    continue
                rows, columns = _extent(archive, entry)
                cells += rows * columns
                if rows > MAX_ROWS or columns > MAX_COLUMNS or cells > MAX_CELLS:
                    raise _too_big(path.name, names.get(entry.filename, entry.filename),
                                   f"has a cell at row {rows:,}, column {columns:,}")
    except UNREADABLE_ARCHIVE as err:
        raise UnreadableFile(path.name, f"cannot open it as a spreadsheet: {err}",
                             "Save it again from Excel or LibreOffice as .xlsx or .ods.") from None


def _xlsx_sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> the sheet's name, for locating a problem (best effort)."""
    files = set(archive.namelist())
    if not {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= files:
        return {}
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    targets = {}
    for _, elem in iterparse(archive.open("xl/_rels/workbook.xml.rels")):
        if elem.tag.endswith("Relationship") and elem.get("Target"):
            target = str(elem.get("Target")).lstrip("/")
            targets[elem.get("Id")] = target if target.startswith("xl/") else f"xl/{target}"
    names = {}
    for _, elem in iterparse(archive.open("xl/workbook.xml")):
        if elem.tag.endswith("}sheet") and elem.get(rel) in targets:
            names[targets[elem.get(rel)]] = str(elem.get("name"))
    return names


def _extent(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> tuple[int, int]:
    rows = 0
    letters: set[bytes] = set()  # a sheet has few distinct columns: each is numbered once
    tail = b""
    with archive.open(entry) as stream:
        while chunk := stream.read(CHUNK):
            data = tail + chunk
            # <c r="XFD1048576" s="1"/>: formatted, empty: not read (its group 3 is "/")
            cells = [(column, row) for column, row, empty in CELL_REF.findall(data)
                     if not empty]
            if cells:
                letters.update(column for column, _ in cells)
                rows = max(rows, max(int(row) for _, row in cells))
            tail = data[-512:]  # a tag cut at the chunk's end is found in the next round
    return rows, max(map(_column_number, letters), default=0)


ODS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
CELLS = {f"{ODS}table-cell", f"{ODS}covered-table-cell"}


def _check_ods_extent(path: Path) -> None:
    """The extent of each table of an .ods as its repeated rows and cells declare it (one
    element can stand for a million rows), counted up to the last cell holding something,
    read by streaming content.xml, before anything else."""
    try:
        with zipfile.ZipFile(path) as archive:
            _unpacked_within_limit(path, archive)
            if "content.xml" not in archive.namelist():
                return  # calamine says what is wrong
            with archive.open("content.xml") as stream:
                _ods_tables(path.name, stream)
    except (*UNREADABLE_ARCHIVE, ValueError) as err:
        raise UnreadableFile(path.name, f"cannot open it as a spreadsheet: {err}",
                             "Save it again from Excel or LibreOffice as .xlsx or .ods.") from None


def _ods_tables(file: str, stream: Any) -> None:
    cells = 0
    table, rows, extent, width, column, row_width, row_repeat = "", 0, 0, 0, 0, 0, 1
    repeat = {}
    for event, elem in iterparse(stream, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if tag == f"{ODS}table":
                table, rows, extent, width = elem.get(f"{ODS}name", ""), 0, 0, 0
            elif tag == f"{ODS}table-row":
                row_repeat = int(elem.get(f"{ODS}number-rows-repeated", "1"))
                column = row_width = 0
            elif tag in CELLS:
                repeat[id(elem)] = int(elem.get(f"{ODS}number-columns-repeated", "1"))
            continue
        if tag in CELLS:
            column += repeat.pop(id(elem), 1)
            if len(elem) or (elem.text or "").strip() or elem.get(
                    "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}value-type"):
                row_width = column
            elem.clear()
        elif tag == f"{ODS}table-row":
            rows += row_repeat
            if row_width:
                extent, width = rows, max(width, row_width)
            elem.clear()
        elif tag == f"{ODS}table":
            cells += extent * width
            if extent > MAX_ROWS or width > MAX_COLUMNS or cells > MAX_CELLS:
                raise _too_big(file, table, f"has a cell at row {extent:,}, column {width:,}")
            elem.clear()


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _read_csv_folder(folder: Path) -> RawWorkbook:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not files:
        raise UnreadableFile(folder.name, "the folder holds no .csv files",
                             "Put one CSV file per sheet in it, named after the sheet.")
    if len(files) > MAX_SHEETS:
        raise UnreadableFile(folder.name, f"{len(files)} CSV files, over the limit of "
                             f"{MAX_SHEETS}", "Keep one file per kind of thing.")
    _check_size(folder.name, sum(p.stat().st_size for p in files))
    return RawWorkbook(folder, [_read_csv(p, f"{folder.name}/{p.name}") for p in files])


def decode(data: bytes, file: str = "", sheet: str = "") -> str:
    """One encoding for the whole file: UTF-16 or UTF-8 by their BOM, else UTF-8, else (no
    valid UTF-8 beyond ASCII in it) Windows-1252, the encoding Excel uses for 'CSV'. A file
    mixing UTF-8 with other bytes is refused at the line of the first bad byte."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                       (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
                       (codecs.BOM_UTF8, "utf-8")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as bad:
                raise _bad_byte(file, sheet, data, len(bom) + bad.start, codec) from None
    if data[:4096].count(0) > len(data[:4096]) // 4:
        raise UnreadableFile(file, "it looks like UTF-16 without a byte order mark",
                             "Save it as 'CSV UTF-8' (Excel) or 'Text CSV' with UTF-8 "
                             "(LibreOffice).", sheet=sheet)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as bad:
        if _has_utf8_beyond_ascii(data):
            raise _bad_byte(file, sheet, data, bad.start, "UTF-8") from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as bad:
        raise _bad_byte(file, sheet, data, bad.start, "Windows-1252") from None


def _has_utf8_beyond_ascii(data: bytes) -> bool:
    return re.search(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}",
                     data) is not None


def _bad_byte(file: str, sheet: str, data: bytes, at: int, codec: str) -> UnreadableFile:
    line = data[:at].count(b"\n") + 1
    return UnreadableFile(file, f"byte 0x{data[at]:02x} on line {line} is not {codec}: the "
                          "file mixes encodings", "Open it in a text editor, correct that "
                          "line's character, and save the whole file as UTF-8.", sheet=sheet,
                          row=line)


def _read_csv(path: Path, label: str = "") -> RawSheet:
    file = label or path.name
    text = decode(path.read_bytes(), file, path.stem)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    grid: list[list[Any]] = []
    cells = 0
    try:
        for row in reader:
            cells += len(row)
            if len(grid) >= MAX_ROWS or len(row) > MAX_COLUMNS or cells > MAX_CELLS:
                raise _too_big(file, path.stem, f"goes past row {len(grid):,} or column "
                               f"{len(row):,}")
            grid.append(row)
    except csv.Error as err:
        raise UnreadableFile(file, f"not valid CSV near line {reader.line_num}: {err}",
                             "Save it again as CSV from Excel or LibreOffice.", sheet=path.stem,
                             row=reader.line_num) from None
    return _sheet(file, path.stem, grid, first_row=1)


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
