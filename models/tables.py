"""Read a table file (CSV or XLSX) into rows, each named as a planner finds it again.

A row is named by its file and its row as a spreadsheet shows it (the header is row 1),
followed by the id the planner knows (``sessions.csv row 6 (ROT-2604)``). Every problem
with the file itself (its encoding, its header, a row with a cell too many) becomes one
sentence that says what to do, never a codec's or a parser's message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .near import near_miss
from .problems import Problem

SAVE_AS_UTF8 = "save it from the spreadsheet as 'CSV UTF-8 (comma delimited)'"
# The fields whose values name a row in messages, by table or list.
ROW_NAMES: dict[str, tuple[str, ...]] = {
    "members": ("id",),
    "sessions": ("id",),
    "courses": ("id",),
    "requirements": ("id",),
    "history": ("member", "course"),
    "pinned": ("member", "session"),
    "together": ("course",),
}


def row_name(key: str, row: Any) -> str:
    """`` (ID)`` for a row whose id fields are given, else nothing."""
    if not isinstance(row, dict):
        return ""
    parts = [row.get(name) for name in ROW_NAMES.get(key, ())]
    texts = [
        str(p).strip()
        for p in parts
        if isinstance(p, (str, int, float)) and not isinstance(p, bool) and str(p).strip()
    ]
    return f" ({', '.join(texts)})" if texts else ""


@dataclass
class TableColumns:
    """What a table's header is checked against: the model's fields and which are required."""

    known: set[str]
    required: list[str]


@dataclass
class Table:
    """The rows of one table file and the problems found reading it."""

    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_table(path: Path, sheet: str | None, key: str, columns: TableColumns) -> Table:
    """Read ``path`` (CSV or XLSX) as the ``key`` table; problems name file and row."""
    table = Table()
    name = path.name
    grid = (
        _xlsx_grid(path, sheet, table) if path.suffix.lower() == ".xlsx" else _csv_grid(path, table)
    )
    if grid is None:
        return table
    records = iter(grid)
    header_cells = next(records, None)
    if header_cells is None:
        table.problems.append(Problem(name, f"the file is empty; a {key} table needs a header row"))
        return table
    header = _header(name, key, [_text(c) for c in header_cells], columns, table)
    if header is None:
        return table
    body = [_trimmed(cells) for cells in records]
    widths = [len(cells) for cells in body if cells]
    if widths and min(widths) > len(header):
        table.problems.append(
            Problem(
                f"{name} row 1 (header)",
                f"the header has {len(header)} columns but every row has more cells: "
                "a column name is missing from the header; add it",
            )
        )
        return table
    for number, cells in enumerate(body, start=2):
        if not cells:
            continue  # empty rows are skipped; they still count in the numbering
        values = {
            header[i]: value
            for i, value in enumerate(_cell(c) for c in cells[: len(header)])
            if header[i] and header[i] in columns.known and value is not None
        }
        where = f"{name} row {number}{row_name(key, values)}"
        if len(cells) > len(header):
            table.problems.append(
                Problem(
                    where,
                    f"{len(cells)} cells, but the header has {len(header)} columns: put a value "
                    "that holds a comma in double quotes, or delete the extra cell",
                )
            )
            continue
        if values:
            table.rows.append((where, values))
    # No history or pinned rows is the usual start; no members or sessions is a cut table.
    empty_is_usual = key in ("history", "pinned", "previous", "units", "teams")
    if (
        not table.rows
        and not empty_is_usual
        and not any(p.severity == "error" for p in table.problems)
    ):
        table.problems.append(Problem(name, f"the table has a header but no {key} rows", "warning"))
    return table


def _header(
    name: str, key: str, header: list[str], columns: TableColumns, table: Table
) -> list[str] | None:
    """The header's column names, or None when a required column is missing or doubled."""
    where = f"{name} row 1 (header)"
    seen: dict[str, int] = {}
    ok = True
    for position, column in enumerate(header, start=1):
        if column and column in seen:
            table.problems.append(
                Problem(
                    where,
                    f"column {column!r} appears twice (columns {seen[column]} and "
                    f"{position}); keep one",
                )
            )
            ok = False
        seen.setdefault(column, position)
    unknown = [c for c in header if c and c not in columns.known]
    missing = []
    for column in columns.required:
        if column not in seen:
            miss = near_miss(column, unknown)
            missing.append(f"{column!r} (the header has {miss!r})" if miss else repr(column))
    if missing:
        table.problems.append(
            Problem(
                where,
                f"{'no column' if len(missing) == 1 else 'no columns'} {', '.join(missing)}, "
                f"which every {key} row needs: add or rename "
                f"{'it' if len(missing) == 1 else 'them'} (column names are written as in "
                "the format, in lower case)",
            )
        )
        ok = False
    if not ok:
        return None
    if unknown:
        hints = [
            f"{c}: did you mean {m}?"
            for c in unknown
            if (m := near_miss(c, sorted(columns.known - set(header)))) is not None
        ]
        table.problems.append(
            Problem(
                name,
                f"columns {', '.join(unknown)} are not part of {key}; kept, not used"
                + (f" ({'; '.join(hints)})" if hints else ""),
                "warning",
            )
        )
    return header


# -- reading the cells ---------------------------------------------------------------------


def csv_text(path: Path, problems: list[Problem]) -> str | None:
    """The text of a CSV file: UTF-8 (with or without BOM), else GB18030 with a note.

    Returns None, with the problem added, for a file that is not CSV text.
    """
    name = path.name
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        problems.append(
            Problem(
                name, "this is an Excel workbook, not CSV text: name it .xlsx, or " + SAVE_AS_UTF8
            )
        )
        return None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(
            Problem(name, "this is UTF-16 text (Excel's 'Unicode Text'), not CSV: " + SAVE_AS_UTF8)
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            # Excel in a Chinese locale saves CSV in GB18030 (GBK); it is read as such.
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            byte = data[utf8_error.start]
            problems.append(
                Problem(
                    f"{name} row {line}",
                    f"byte 0x{byte:02x} is neither UTF-8 nor GB18030 text: " + SAVE_AS_UTF8,
                )
            )
            return None
        problems.append(
            Problem(
                name,
                "read as GB18030 (Excel's Chinese encoding), not UTF-8; "
                "to silence this note, " + SAVE_AS_UTF8,
                "note",
            )
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.append(
            Problem(f"{name} row {line}", "the file holds binary data, not text: " + SAVE_AS_UTF8)
        )
        return None
    return text


def _csv_grid(path: Path, table: Table) -> list[list[Any]] | None:
    name = path.name
    text = csv_text(path, table.problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    grid: list[list[Any]] = []
    try:
        for cells in reader:
            grid.append(list(cells))
    except csv.Error as error:
        table.problems.append(
            Problem(
                f"{name} row {len(grid) + 1}",
                f"cannot be read as CSV ({error}): close every double quote, or " + SAVE_AS_UTF8,
            )
        )
        return None
    if grid and not text.rstrip().endswith('"') and any("\n" in c for c in grid[-1]):
        # A quote opened and never closed takes in the rest of the file as one cell.
        table.problems.append(
            Problem(
                f"{name} row {len(grid)}",
                "a double quote opens a cell that runs to the end of the file: close it, or "
                "delete it",
            )
        )
        return None
    return grid


def _xlsx_grid(path: Path, sheet: str | None, table: Table) -> list[list[Any]] | None:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    name = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        table.problems.append(
            Problem(
                name,
                "cannot be opened as an Excel workbook (.xlsx): save it again from "
                "the spreadsheet as 'Excel Workbook (*.xlsx)'",
            )
        )
        return None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            table.problems.append(
                Problem(
                    f"{name}#{sheet}",
                    f"the workbook has no sheet {sheet!r}; its sheets are "
                    + ", ".join(repr(s) for s in book.sheetnames),
                )
            )
            return None
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        return [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _trimmed(cells: Iterable[Any]) -> list[Any]:
    """The cells without the empty ones at the end (spreadsheets pad or drop them)."""
    kept = list(cells)
    while kept and _cell(kept[-1]) is None:
        kept.pop()
    return kept


def _text(value: Any) -> str:
    cell = _cell(value)
    return "" if cell is None else str(cell)


def _cell(value: Any) -> Any:
    """A table cell as a scenario value: empty is no value, whole numbers are ints."""
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value
