"""``Timetable``: one year of a plan as the tables a planner publishes, for every format.

The format writers (``timetable_csv``, ``timetable_ics``, ``timetable_xlsx``) read it;
``timetable`` builds it. Keeping it apart lets the writers import it without importing
what calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from models.errors import RotaplanError


class TimetableError(RotaplanError):
    """A timetable was asked for something the plan does not have (a year, a unit).

    It means invalid input (exit code 2): the request names what the plan lacks.
    """


@dataclass
class Timetable:
    """One year of a plan, for everyone or for one unit, as the tables a planner publishes."""

    year: int
    unit: str | None
    calendar: pd.DataFrame
    rosters: pd.DataFrame
    units: pd.DataFrame
    coverage: pd.DataFrame
    unit_ids: list[str]  # every unit the timetable speaks for, planned or not
    unit_names: dict[str, str] = field(default_factory=dict)  # as the scenario gives them
    team_names: dict[str, str] = field(default_factory=dict)

    @property
    def stem(self) -> str:
        """``timetable-<year>`` or, for one unit, ``timetable-<year>-<unit>``."""
        return f"timetable-{self.year}" + (f"-{safe_name(self.unit)}" if self.unit else "")

    def calendars_stem(self, per: str = "member") -> str:
        """``calendars-<year>[-<unit>]``, ending in ``-by-unit`` for calendars per unit."""
        stem = f"calendars-{self.year}" + (f"-{safe_name(self.unit)}" if self.unit else "")
        return stem + ("-by-unit" if per == "unit" else "")


def safe_name(text: str) -> str:
    """A file-name-safe form of an id: letters (any script), digits, ``-``, ``_`` and ``.``."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text).strip(".")
    return cleaned or "_"
