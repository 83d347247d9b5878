"""Hypothesis strategies for scenarios: random documents and tables built from the format.

Two families:

- ``documents()``: scenario mappings whose keys are mostly the format's and whose values
  are mostly of the right kind, with wrong kinds, typos, impossible dates and junk mixed
  in. They hold every kind of mistake a planner makes; loading them must end in a
  scenario or in ``ScenarioError``, never in another exception.
- ``valid_documents()``: small scenarios that keep every rule of the format (known ids,
  sessions inside the horizon), built to load; the plan of each must pass the checker.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import yaml
from hypothesis import strategies as st

from models.scenario import TERMS
from models.selector import SELECTOR_KEYS

NAMES = ["A", "B", "M01", "M02", "ops", "office", "rotation", "elearn", "S1", "S2"]
TIERS = ["leadership", "middle", "grassroots"]
UNITS = ["U1", "U2", "ops"]
TEAMS = ["T1", "T2"]
CATEGORIES = ["general", "branch_secretary", "new_graduate"]

# -- anything at all, for the places a planner may put the wrong thing --------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-3, 40)
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=6)
    | st.sampled_from(NAMES)
    | st.dates()
)
anything = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "x", "from", "units", "1"]), inner, max_size=3)
    ),
    max_leaves=6,
)

# -- values of the right kind, often valid, sometimes a typical mistake --------------------


def _day(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


date_texts = st.builds(
    _day, st.sampled_from([2025, 2026, 2027]), st.integers(1, 13), st.integers(1, 31)
)
dates = (
    date_texts
    | st.dates(dt.date(2025, 6, 1), dt.date(2027, 6, 30))
    | st.sampled_from(
        ["2026-02-30", "2026/03/01", "01.03.2026", "9999-12-31", "2026-03-01 00:00:00", ""]
    )
)
ranges = st.builds(lambda a, b: f"{a}/{b}", date_texts, date_texts) | date_texts
range_lists = st.lists(ranges, max_size=3) | st.lists(ranges, max_size=3).map(";".join)
ids = st.sampled_from(NAMES) | st.text(max_size=4) | st.integers(0, 3000) | st.booleans()
numbers = st.integers(-2, 30) | st.floats(-1, 100) | st.sampled_from(["8", "eight", 10**30])
selectors = st.dictionaries(
    st.sampled_from([*SELECTOR_KEYS, "tier", "unit"]),
    st.lists(st.sampled_from(TIERS + UNITS + TEAMS + CATEGORIES + NAMES), max_size=3)
    | st.sampled_from(TIERS + UNITS),
    max_size=2,
)
windows = (
    st.sampled_from(["horizon", "year", "yearly", None])
    | st.fixed_dictionaries({"from": dates, "to": dates})
    | st.fixed_dictionaries({"joining_days": numbers})
)

FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    **dict.fromkeys(["id", "course", "member", "session", "tier", "track", "unit", "team"], ids),
    "category": st.sampled_from([*CATEGORIES, "branch_secretery"]) | ids,
    **dict.fromkeys(["start", "end", "joined", "available_from", "available_until", "date"], dates),
    **dict.fromkeys(["unavailable", "avoid", "blackout"], range_lists),
    **dict.fromkeys(
        [
            "capacity",
            "min_size",
            "hours",
            "seat_cost",
            "fixed_cost",
            "weight",
            "count",
            "min_hours",
            "max_days_per_year",
            "max_days_per_month",
            "max_hours_per_year",
            "max_sessions_per_year",
            "min_gap_days",
            "max_away",
            "max_away_share",
        ],
        numbers,
    ),
    **dict.fromkeys(["who", "audience"], selectors),
    "window": windows,
    **dict.fromkeys(["away", "repeatable", "balance"], st.booleans()),
    **dict.fromkeys(["courses", "members", "teams", "units"], st.lists(ids, max_size=3) | ids),
    "mix": st.lists(
        st.fixed_dictionaries(
            {"who": selectors}, optional={"min_share": numbers, "max_share": numbers}
        ),
        max_size=2,
    ),
}

ROW_FIELDS = {
    "members": [
        "id",
        "name",
        "tier",
        "track",
        "category",
        "unit",
        "team",
        "joined",
        "available_from",
        "available_until",
        "unavailable",
        "avoid",
    ],
    "sessions": [
        "id",
        "course",
        "start",
        "end",
        "capacity",
        "min_size",
        "hours",
        "seat_cost",
        "fixed_cost",
        "audience",
        "location",
    ],
    "history": ["member", "course", "date"],
    "pinned": ["member", "session"],
    "courses": ["id", "label", "hours", "away", "audience", "repeatable", "mix"],
    "requirements": [
        "id",
        "who",
        "window",
        "weight",
        "courses",
        "count",
        "min_hours",
        "balance",
        "label",
    ],
    "limits": [
        "who",
        "max_days_per_year",
        "max_days_per_month",
        "max_hours_per_year",
        "max_sessions_per_year",
        "min_gap_days",
    ],
    "team_limits": ["teams", "units", "max_away", "max_away_share", "blackout"],
    "together": ["course", "members"],
}


@st.composite
def rows(draw: st.DrawFn, section: str) -> dict[str, Any]:
    """A row of a section: mostly its own fields with values of the right kind."""
    fields = ROW_FIELDS[section]
    keys = draw(st.lists(st.sampled_from([*fields, "nmae"]), max_size=len(fields) + 1))
    row = {}
    for key in keys:
        strategy = FIELD_VALUES.get(key, st.text(max_size=6))
        row[key] = draw(strategy | anything) if draw(st.integers(0, 9)) == 0 else draw(strategy)
    return row


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A scenario mapping of the format's shape, often broken somewhere."""
    document: dict[str, Any] = {
        "version": draw(st.sampled_from([1, 1, 1, 2, "1"])),
        "horizon": draw(st.fixed_dictionaries({"start": dates, "end": dates}) | anything),
    }
    for section in ROW_FIELDS:
        if draw(st.booleans()):
            document[section] = draw(st.lists(rows(section), max_size=4) | anything)
    for key, strategy in (
        ("closed", range_lists),
        ("objective", st.lists(st.sampled_from([*TERMS, "unmt"]), max_size=4)),
        ("strict", st.booleans()),
        ("strict_values", st.booleans()),
        ("name", st.text(max_size=8)),
        ("closd", st.just([])),
    ):
        if draw(st.integers(0, 3)) == 0:
            document[key] = draw(strategy)
    return document


def as_csv_text(table: list[Any], columns: list[str] | None = None) -> str:
    """Rows as a CSV file, as a planner's spreadsheet would save them.

    The header holds ``columns`` (when given) and every key the rows use.
    """
    header: list[str] = list(columns or [])
    for row in table:
        if isinstance(row, dict):
            header += [str(k) for k in row if str(k) not in header]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in table:
        cells = row if isinstance(row, dict) else {}
        writer.writerow([_cell_text(cells.get(column)) for column in header])
    return out.getvalue()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ";".join(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def as_yaml_text(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


# -- valid scenarios ---------------------------------------------------------------------

HORIZON = (dt.date(2026, 1, 1), dt.date(2027, 6, 30))
SESSION_DAYS = [dt.date(2026, 1, 1) + dt.timedelta(days=17 * i) for i in range(31)]


def _selector(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["everyone", "tiers", "units", "categories"]))
    if kind == "everyone":
        return {}
    pool = {"tiers": TIERS, "units": UNITS, "categories": CATEGORIES}[kind]
    return {kind: draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True))}


@st.composite
def valid_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A small scenario that keeps the format's rules (so that it loads)."""
    member_ids = [f"M{i}" for i in range(draw(st.integers(0, 6)))]
    members = []
    for member_id in member_ids:
        member: dict[str, Any] = {
            "id": member_id,
            "tier": draw(st.sampled_from(TIERS)),
            "unit": draw(st.sampled_from(UNITS)),
            "category": draw(st.sampled_from(CATEGORIES)),
        }
        if draw(st.booleans()):
            member["team"] = draw(st.sampled_from(TEAMS))
        if draw(st.integers(0, 3)) == 0:
            member["joined"] = str(draw(st.dates(dt.date(2025, 1, 1), dt.date(2027, 6, 1))))
        if draw(st.integers(0, 4)) == 0:
            member["available_from"] = str(draw(st.sampled_from(SESSION_DAYS)))
        if draw(st.integers(0, 4)) == 0:
            day = draw(st.sampled_from(SESSION_DAYS))
            member["unavailable"] = f"{day}/{day + dt.timedelta(days=20)}"
        if draw(st.integers(0, 5)) == 0:
            member["avoid"] = str(draw(st.sampled_from(SESSION_DAYS)))
        members.append(member)
    course_ids = [f"C{i}" for i in range(draw(st.integers(0, 3)))]
    courses = []
    for course_id in course_ids:
        course: dict[str, Any] = {
            "id": course_id,
            "hours": draw(st.sampled_from([4, 8, 16, 24])),
            "away": draw(st.booleans()),
            "repeatable": draw(st.booleans()),
        }
        if draw(st.integers(0, 3)) == 0:
            course["audience"] = _selector(draw)
        if draw(st.integers(0, 4)) == 0:
            course["mix"] = [{"who": _selector(draw), "max_share": 0.5}]
        courses.append(course)
    sessions = []
    for i in range(draw(st.integers(0, 6)) if course_ids else 0):
        start = draw(st.sampled_from(SESSION_DAYS))
        session: dict[str, Any] = {
            "id": f"S{i}",
            "course": draw(st.sampled_from(course_ids)),
            "start": str(start),
            "end": str(start + dt.timedelta(days=draw(st.integers(0, 3)))),
            "capacity": draw(st.integers(1, 4)),
            "min_size": draw(st.integers(0, 2)),
            "seat_cost": draw(st.integers(0, 3)),
            "fixed_cost": draw(st.integers(0, 5)),
        }
        session["min_size"] = min(session["min_size"], session["capacity"])
        if draw(st.integers(0, 4)) == 0:
            session["audience"] = _selector(draw)
        sessions.append(session)
    requirements = []
    for i in range(draw(st.integers(0, 3))):
        requirement: dict[str, Any] = {"id": f"R{i}", "who": _selector(draw)}
        requirement["weight"] = draw(st.integers(1, 3))
        if len(course_ids) > 0 and draw(st.booleans()):
            requirement["courses"] = draw(
                st.lists(st.sampled_from(course_ids), min_size=1, max_size=2, unique=True)
            )
            requirement["count"] = draw(st.integers(1, 2))
        else:
            requirement["min_hours"] = draw(st.sampled_from([4, 8, 12.5, 24]))
        window = draw(st.sampled_from(["horizon", "year", "fixed", "joining"]))
        if window == "fixed":
            first = draw(st.sampled_from(SESSION_DAYS))
            requirement["window"] = {"from": str(first), "to": str(first + dt.timedelta(days=90))}
        elif window == "joining":
            requirement["window"] = {"joining_days": draw(st.integers(1, 400))}
        else:
            requirement["window"] = window
        if window == "horizon" and "courses" in requirement and draw(st.booleans()):
            requirement["balance"] = True
        requirements.append(requirement)
    document: dict[str, Any] = {
        "version": 1,
        "horizon": {"start": str(HORIZON[0]), "end": str(HORIZON[1])},
        "members": members,
        "courses": courses,
        "sessions": sessions,
        "requirements": requirements,
    }
    if draw(st.booleans()):
        document["limits"] = [
            {
                "who": _selector(draw),
                "max_days_per_year": draw(st.integers(0, 8)),
                "max_sessions_per_year": draw(st.integers(0, 4)),
                "min_gap_days": draw(st.integers(0, 20)),
            }
        ]
    if draw(st.booleans()):
        document["team_limits"] = [
            {"max_away": draw(st.integers(0, 2)), "max_away_share": draw(st.sampled_from([0.3, 1]))}
        ]
    if course_ids and len(member_ids) >= 2 and draw(st.integers(0, 3)) == 0:
        pair = draw(st.lists(st.sampled_from(member_ids), min_size=2, max_size=2, unique=True))
        document["together"] = [{"course": draw(st.sampled_from(course_ids)), "members": pair}]
    if len(course_ids) > 0 and len(member_ids) > 0 and draw(st.booleans()):
        document["history"] = [
            {
                "member": draw(st.sampled_from(member_ids)),
                "course": draw(st.sampled_from(course_ids)),
                "date": str(draw(st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)))),
            }
        ]
    if sessions and member_ids and draw(st.integers(0, 3)) == 0:
        document["pinned"] = [
            {
                "member": draw(st.sampled_from(member_ids)),
                "session": draw(st.sampled_from([s["id"] for s in sessions])),
            }
        ]
    if draw(st.integers(0, 3)) == 0:
        document["objective"] = draw(st.permutations(list(TERMS)))[: draw(st.integers(0, 6))]
    if draw(st.integers(0, 5)) == 0:
        document["strict"] = True
    return document
