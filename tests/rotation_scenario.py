"""A small multi-year rotation scenario for the timetable and re-planning tests.

Sixty members in three units of two teams each; a three-day rotation class (three sessions a
year, ten seats), quarterly remote e-learning and a yearly Party-affairs class for branch
secretaries. Labels, names and places are Chinese, as planners write them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN_NAMES = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰")
COURSE_LABELS = {
    "rotation": "党员集中轮训班",
    "elearn": "远程教育专题",
    "party_affairs": "党务技能培训",
}
ROTATION_MONTHS = (3, 6, 10)
ELEARN_MONTHS = (2, 5, 8, 11)


def member_row(number: int, unit: str, team: str, category: str = "general", **extra: Any) -> dict:
    """Member ``M<number>`` with a Chinese name; middle tier for every seventh."""
    row = {
        "id": f"M{number:02d}",
        "name": SURNAMES[number % len(SURNAMES)] + GIVEN_NAMES[number % len(GIVEN_NAMES)],
        "tier": "middle" if number % 7 == 0 else "grassroots",
        "category": category,
        "unit": unit,
        "team": team,
    }
    row.update(extra)
    return row


def rotation_session(session_id: str, start: dt.date) -> dict:
    return {
        "id": session_id,
        "course": "rotation",
        "start": start,
        "end": start + dt.timedelta(days=2),
        "capacity": 10,
        "min_size": 3,
        "location": "党校",
    }


def _sessions(years: range) -> list[dict]:
    sessions = []
    for year in years:
        for month in ROTATION_MONTHS:
            sessions.append(rotation_session(f"ROT-{year}-{month:02d}", dt.date(year, month, 10)))
        for month in ELEARN_MONTHS:
            sessions.append(
                {
                    "id": f"EL-{year}-{month:02d}",
                    "course": "elearn",
                    "start": dt.date(year, month, 20),
                    "capacity": 70,
                }
            )
        sessions.append(
            {
                "id": f"PA-{year}",
                "course": "party_affairs",
                "start": dt.date(year, 4, 15),
                "end": dt.date(year, 4, 16),
                "capacity": 10,
                "location": "党建中心",
            }
        )
    return sessions


def rotation_scenario(members: int = 60, first_year: int = 2025, years: int = 3) -> dict:
    """The scenario as the mapping ``load_scenario`` reads; two secretaries in every 20."""
    rows = []
    for number in range(1, members + 1):
        unit = f"U{(number - 1) // 20 + 1}"
        team = f"{unit}-{'AB'[((number - 1) // 10) % 2]}"
        category = "branch_secretary" if number % 20 in (1, 2) else "general"
        rows.append(member_row(number, unit, team, category))
    span = range(first_year, first_year + years)
    # Some leave, a wish to avoid a month, holidays and a summer peak, as planners write them.
    rows[2]["unavailable"] = [f"{span[1]}-05-01/{span[1]}-06-30"]
    rows[3]["avoid"] = [f"{span[0]}-10-01/{span[0]}-10-31"]
    closed = [f"{y}-{a}/{y}-{b}" for y in span for a, b in (("05-01", "05-05"), ("10-01", "10-07"))]
    return {
        "version": 1,
        "name": "轮训测试",
        "horizon": {"start": dt.date(span[0], 1, 1), "end": dt.date(span[-1], 12, 31)},
        "closed": closed,
        "members": rows,
        "courses": [
            {"id": "rotation", "label": COURSE_LABELS["rotation"], "hours": 24},
            {
                "id": "elearn",
                "label": COURSE_LABELS["elearn"],
                "hours": 8,
                "away": False,
                "repeatable": True,
            },
            {
                "id": "party_affairs",
                "label": COURSE_LABELS["party_affairs"],
                "hours": 16,
                "repeatable": True,
                "audience": {"categories": ["branch_secretary"]},
            },
        ],
        "sessions": _sessions(span),
        "requirements": [
            {
                "id": "rotate",
                "label": "五年轮训一遍",
                "courses": ["rotation"],
                "window": "horizon",
                "weight": 10,
            },
            {"id": "online", "label": "每年网络学习", "courses": ["elearn"], "window": "year"},
            {
                "id": "skills",
                "label": "书记每年党务培训",
                "who": {"categories": ["branch_secretary"]},
                "courses": ["party_affairs"],
                "window": "year",
                "weight": 5,
            },
        ],
        "limits": [{"max_days_per_year": 6, "min_gap_days": 14}],
        "team_limits": [
            {"max_away_share": 0.3},
            {"teams": ["U3-B"], "blackout": [f"{year}-06-01/{year}-08-31" for year in span]},
        ],
    }


def workshop_session(session_id: str, start: dt.date, days: int, **extra: Any) -> dict:
    """A session of the away ``workshop`` course lasting ``days`` days from ``start``."""
    row = {
        "id": session_id,
        "course": "workshop",
        "start": start,
        "end": start + dt.timedelta(days=days - 1),
        "capacity": 5,
    }
    row.update(extra)
    return row


def midyear_scenario() -> dict:
    """One year of workshops for a re-plan on 1 July: 12 days away a year at most.

    M01 needs four workshops in 2026 and attended the two five-day ones of March and May;
    after 1 July a two-day and two five-day workshops are left, so only the two-day one
    still fits in M01's twelve days. M03, a branch secretary, attended the secretaries'
    class in April. The March workshop is for unit U1 only.
    """
    members = [member_row(1, "U1", "T1"), member_row(2, "U1", "T1")]
    members.append(member_row(3, "U2", "T2", "branch_secretary"))
    return {
        "version": 1,
        "name": "年中重排",
        "horizon": {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)},
        "members": members,
        "courses": [
            {"id": "workshop", "label": "专题研讨班", "hours": 8, "repeatable": True},
            {
                "id": "secretary_class",
                "label": COURSE_LABELS["party_affairs"],
                "hours": 16,
                "audience": {"categories": ["branch_secretary"]},
            },
        ],
        "sessions": [
            workshop_session("W-03", dt.date(2026, 3, 2), 5, audience={"units": ["U1"]}),
            workshop_session("W-05", dt.date(2026, 5, 11), 5),
            workshop_session("W-07", dt.date(2026, 7, 6), 2),
            workshop_session("W-09", dt.date(2026, 9, 7), 5),
            workshop_session("W-11", dt.date(2026, 11, 9), 5),
            {
                "id": "SEC-04",
                "course": "secretary_class",
                "start": dt.date(2026, 4, 14),
                "end": dt.date(2026, 4, 15),
                "capacity": 10,
            },
        ],
        "requirements": [
            {
                "id": "workshops",
                "who": {"members": ["M01"]},
                "courses": ["workshop"],
                "count": 4,
                "window": "year",
            }
        ],
        "limits": [{"max_days_per_year": 12}],
    }


def team_cap_scenario() -> dict:
    """Team T1 may have one member away a day; M01's five-day camp runs over 1 July 2026.

    M02 needs one class: the free one on 2 July, during the camp, or the dearer one on
    9 July. M03 of another team fills the team out.
    """
    return {
        "version": 1,
        "horizon": {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)},
        "members": [
            member_row(1, "U1", "T1"),
            member_row(2, "U1", "T1"),
            member_row(3, "U1", "T2"),
        ],
        "courses": [
            {"id": "camp", "label": "红色教育", "hours": 40},
            {"id": "class", "label": "党课", "hours": 4},
        ],
        "sessions": [
            {
                "id": "CAMP-06",
                "course": "camp",
                "start": dt.date(2026, 6, 29),
                "end": dt.date(2026, 7, 3),
                "capacity": 5,
            },
            {"id": "CL-0702", "course": "class", "start": dt.date(2026, 7, 2), "capacity": 5},
            {
                "id": "CL-0709",
                "course": "class",
                "start": dt.date(2026, 7, 9),
                "capacity": 5,
                "seat_cost": 5,
            },
        ],
        "requirements": [
            {"id": "camp", "who": {"members": ["M01"]}, "courses": ["camp"]},
            {"id": "class", "who": {"members": ["M02"]}, "courses": ["class"]},
        ],
        "team_limits": [{"teams": ["T1"], "max_away": 1}],
    }
