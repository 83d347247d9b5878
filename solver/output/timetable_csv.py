"""A year's timetable as CSV files, UTF-8 with a BOM so spreadsheet programs read Chinese right.

The folder holds ``calendar.csv``, ``coverage.csv``, ``units.csv`` (every unit's list, with
a ``unit`` column) and ``rosters.csv`` (every session's attendees, with the session's
columns first): the XLSX workbook's tables, one file each rather than one sheet per unit
or session.
"""

from __future__ import annotations

from pathlib import Path

from .folder import replaced_subfolder
from .timetable_data import Timetable

ENCODING = "utf-8-sig"


def write_csv(timetable: Timetable, out_dir: Path) -> Path:
    """Write the timetable's tables into ``out_dir``, replacing the folder whole."""
    tables = {
        "calendar.csv": timetable.calendar,
        "coverage.csv": timetable.coverage,
        "units.csv": timetable.units,
        "rosters.csv": timetable.rosters,
    }
    with replaced_subfolder(out_dir, "timetable") as staging:
        for name, frame in tables.items():
            frame.to_csv(staging / name, index=False, encoding=ENCODING, lineterminator="\r\n")
    return out_dir
