"""A year's timetable as one XLSX workbook, written with openpyxl.

Sheets, in order: ``Calendar`` (every session of the year by date, with a link to its
roster), ``Coverage`` (per requirement and category), one sheet per unit (who goes where
and when) and one roster sheet per session that runs. Headers stay frozen, columns are
as wide as their text (Chinese characters count double), and dates are real dates.

Sheet names, titles, headers and the words in cells come from the message catalogue in
English or Chinese; where the scenario names units and teams, their names stand beside
their ids.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from ..explain.messages import Renderer, note
from .folder import atomic_file
from .timetable_data import Timetable

SHEET_NAME_LIMIT = 31
FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")
RESERVED_SHEET_NAMES = {"history"}  # Excel keeps this name for itself
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 6, 60
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=12)
LINK = Font(color="0563C1", underline="single")


def write_xlsx(timetable: Timetable, path: Path, lang: str = "en") -> Path:
    """Write the timetable workbook to ``path`` atomically, in ``lang``; returns ``path``."""
    words = Words(timetable, lang)
    workbook = Workbook()
    names = SheetNames()
    calendar = workbook.active
    assert calendar is not None  # a new workbook always has one sheet
    calendar.title = names.claim(words("sheet.calendar"))
    coverage = workbook.create_sheet(names.claim(words("sheet.coverage")))
    unit_sheets = [(unit, names.claim(words.unit_sheet(unit))) for unit in timetable.unit_ids]
    running = timetable.calendar[timetable.calendar["attendees"] > 0]
    roster_sheets = {session_id: names.claim(session_id) for session_id in running["session_id"]}

    _calendar_sheet(calendar, timetable.calendar, roster_sheets, words)
    _table(coverage, words.frame(timetable.coverage))
    for unit, name in unit_sheets:
        rows = timetable.units[timetable.units["unit"] == unit].drop(columns="unit")
        title = words("title.unit", unit=words.unit(unit), count=len(rows), year=timetable.year)
        _table(workbook.create_sheet(name), words.frame(rows), title=title)
    by_session = {
        str(session_id): rows
        for session_id, rows in timetable.rosters.groupby("session_id", sort=False)
    }
    for session in running.itertuples(index=False):
        roster = by_session[str(session.session_id)][
            ["member_id", "member_name", "unit", "team", "tier", "category"]
        ]
        _table(
            workbook.create_sheet(roster_sheets[session.session_id]),
            words.frame(roster),
            _roster_title(session),
        )
    with atomic_file(path) as temporary:
        workbook.save(temporary)
    return path


class Words:
    """What the workbook says in one language: headers, sheet names, cell words, names."""

    def __init__(self, timetable: Timetable, lang: str):
        self.text = Renderer(None, lang)
        self.timetable = timetable

    def __call__(self, key: str, **params: Any) -> str:
        return self.text(note(key, **params))

    def unit(self, unit: str) -> str:
        """The unit as a planner knows it: its name beside its id where the scenario has one."""
        name = self.timetable.unit_names.get(unit)
        return f"{unit} {name}" if name else unit

    def unit_sheet(self, unit: str) -> str:
        name = self.timetable.unit_names.get(unit)
        if name:
            return self("sheet.unit_named", unit=unit, name=name)
        return self("sheet.unit", unit=unit)

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The frame as a planner reads it: names beside ids, words in cells, headers."""
        frame = frame.copy()
        for column, names in (
            ("unit", self.timetable.unit_names),
            ("team", self.timetable.team_names),
        ):
            if names and column in frame.columns:
                at = list(frame.columns).index(column) + 1
                frame.insert(at, f"{column}_name", [names.get(v, "") for v in frame[column]])
        if "status" in frame.columns:
            frame["status"] = [self(f"cell.{v}") for v in frame["status"]]
        if "away" in frame.columns:
            frame["away"] = [self("cell.yes" if v else "cell.no") for v in frame["away"]]
        return frame.rename(columns={c: self(f"column.{c}") for c in frame.columns})


class SheetNames:
    """Excel-safe, unique sheet names: at most 31 characters, none of ``[]:*?/\\``."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        base = "".join("_" if ch in FORBIDDEN_IN_SHEET_NAMES else ch for ch in wanted)
        base = base.strip().strip("'") or "Sheet"
        if base.lower() in RESERVED_SHEET_NAMES:
            base += "_"
        name = base[:SHEET_NAME_LIMIT]
        number = 1
        # Excel compares sheet names without regard to case.
        while name.lower() in self.taken:
            number += 1
            suffix = f"~{number}"
            name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        self.taken.add(name.lower())
        return name


def _roster_title(session: Any) -> str:
    days = (
        f"{session.start.isoformat()}"
        if session.start == session.end
        else f"{session.start.isoformat()} – {session.end.isoformat()}"
    )
    where = f" · {session.location}" if session.location else ""
    return (
        f"{session.session_id} · {session.course_label} · {days}{where} · "
        f"{session.attendees}/{session.capacity}"
    )


def _calendar_sheet(
    sheet: Worksheet, calendar: pd.DataFrame, rosters: dict[str, str], words: Words
) -> None:
    frame = calendar.assign(roster=[rosters.get(s, "") for s in calendar["session_id"]])
    _table(sheet, words.frame(frame))
    column = list(frame.columns).index("roster") + 1
    for row, name in enumerate(frame["roster"], start=2):
        if name:
            cell = sheet.cell(row=row, column=column)
            quoted = name.replace("'", "''")
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!A1")
            cell.font = LINK


def _table(sheet: Worksheet, frame: pd.DataFrame, title: str | None = None) -> None:
    """Write a frame under an optional title row: bold frozen header, filters, widths."""
    if title is not None:
        sheet.append([title])
        sheet.cell(row=1, column=1).font = TITLE
    header_row = sheet.max_row + 1 if title is not None else 1
    columns = [str(c) for c in frame.columns]
    sheet.append(columns)
    for cell in sheet[header_row]:
        cell.font = BOLD
    for values in frame.itertuples(index=False):
        sheet.append([_cell(v) for v in values])
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    if columns:
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + max(len(frame), 1)}"
    _fit_widths(sheet, columns, frame)


def _cell(value: Any) -> Any:
    """A DataFrame value as openpyxl writes it: numpy scalars as Python ones."""
    if hasattr(value, "item") and not isinstance(value, (dt.date, str)):
        return value.item()
    return value


def _fit_widths(sheet: Worksheet, columns: list[str], frame: pd.DataFrame) -> None:
    for index, name in enumerate(columns, start=1):
        texts: Iterable[Any] = frame.iloc[:, index - 1] if len(frame) else []
        widest = max([display_width(name), *(display_width(_text(v)) for v in texts)])
        sheet.column_dimensions[get_column_letter(index)].width = min(
            MAX_WIDTH, max(MIN_WIDTH, widest + 2)
        )


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def display_width(text: str) -> int:
    """Columns a text takes on screen: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)
