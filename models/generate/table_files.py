"""The table files of a scenario: members, sessions, history and the organisation chart."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .company import Company, Team, Unit
from .names import TEAM_KIND_LABELS
from .text import span_text

# The columns of members.csv and sessions.csv: each the name of a field of ``Person`` or
# ``SessionRow``, written by ``_cell``.
MEMBER_COLUMNS = (
    *("id", "name", "tier", "track", "category", "unit", "team"),
    *("joined", "available_from", "available_until", "unavailable", "avoid"),
)
SESSION_COLUMNS = (
    *("id", "course", "start", "end", "capacity", "min_size", "hours"),
    *("seat_cost", "fixed_cost", "audience", "location"),
)
HISTORY_COLUMNS = ("member", "course", "date")
TEAM_COLUMNS = ("unit", "unit_name", "team", "team_name", "team_kind", "members")


def write_tables(out_dir: Path, company: Company) -> None:
    """Write ``members.csv``, ``sessions.csv``, ``history.csv`` and ``teams.csv``.

    ``teams.csv`` is the organisation chart with Chinese names, for the planner's eye:
    the scenario itself has no place for them.
    """
    _write_rows(out_dir / "members.csv", MEMBER_COLUMNS, _rows(company.people, MEMBER_COLUMNS))
    _write_rows(out_dir / "sessions.csv", SESSION_COLUMNS, _rows(company.sessions, SESSION_COLUMNS))
    _write_rows(out_dir / "history.csv", HISTORY_COLUMNS, sorted(company.history))
    chart = (
        (unit.id, unit.name, team.id, team.name, TEAM_KIND_LABELS[team.kind], team.size)
        for unit in company.units
        for team in unit.teams
    )
    _write_rows(out_dir / "teams.csv", TEAM_COLUMNS, chart)


def _write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A UTF-8 CSV with ``\\n`` line ends, so files are identical on every platform."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _rows(records: Iterable[object], columns: Sequence[str]) -> Iterator[list[Any]]:
    """One row a record, each column the record's field of that name."""
    for record in records:
        yield [_cell(getattr(record, column)) for column in columns]


def _cell(value: Any) -> Any:
    """A field as the table holds it: a unit or team by id, leave and avoid periods as
    ``;``-separated date ranges, an unset date or hours as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, Unit | Team):
        return value.id
    if isinstance(value, list):
        return ";".join(span_text(span) for span in value)
    return value
