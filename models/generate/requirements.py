"""The norms and limits of the scenario: requirements, work-study limits, team limits."""

from __future__ import annotations

from typing import Any

from .company import ACTIVISTS, CADRES, PARTY_MEMBERS, Company
from .seasons import peak_blackouts
from .text import numeral, span_text

# The usual away share, which the team limit's comment says in words (四分之一).
TEAM_AWAY_SHARE = 0.25


def requirements(years: int) -> list[dict[str, Any]]:
    """The national norms and the company's own rules as requirements."""
    cadres = {"categories": list(CADRES)}
    return [
        {
            "id": "rotate",
            "label": f"{numeral(years)}年内全员轮训一遍",
            "who": {},
            "courses": ["rotation"],
            "window": "horizon",
            "balance": True,
            "weight": 10,
        },
        {
            "id": "hours",
            "label": "党员每年集中学习不少于32学时",
            "who": {"categories": list(PARTY_MEMBERS)},
            "min_hours": 32,
            "window": "year",
        },
        {
            "id": "cadre_hours",
            "label": "支部书记、党务干部每年不少于56学时",
            "who": cadres,
            "min_hours": 56,
            "window": "year",
        },
        {
            "id": "party_skills",
            "label": "党务干部每年参加党务技能培训",
            "who": cadres,
            "courses": ["party_affairs"],
            "window": "year",
            "weight": 3,
        },
        {
            "id": "central_group",
            "label": "中心组每年集体学习不少于4次",
            "who": {"tiers": ["leadership"]},
            "courses": ["central_group"],
            "count": 4,
            "window": "year",
            "weight": 2,
        },
        {
            "id": "thematic",
            "label": "中层每年参加一次专题培训",
            "who": {"tiers": ["middle"]},
            "courses": ["thematic"],
            "window": "year",
            "weight": 2,
        },
        {
            "id": "orientation",
            "label": "新党员入党一年内参加集中培训",
            "who": {"categories": ["new_graduate"]},
            "courses": ["orientation"],
            "window": {"joining_days": 365},
            "weight": 5,
        },
        {
            "id": "activist",
            "label": "入党积极分子参加培训班",
            "who": {"categories": list(ACTIVISTS)},
            "courses": ["activist"],
            "window": "horizon",
            "weight": 5,
        },
        {
            "id": "red_education",
            "label": "党务干部、骨干党员规划期内参加一次红色教育",
            "who": {"categories": [*CADRES, "backbone"]},
            "courses": ["red_trip"],
            "window": "horizon",
            "weight": 2,
        },
        {
            "id": "mentoring",
            "label": "新进毕业生参加传帮带结对",
            "who": {"categories": ["new_graduate"]},
            "courses": ["mentoring"],
            "window": "horizon",
            "weight": 2,
        },
    ]


def limits() -> list[dict[str, Any]]:
    """Work-study limits: generous enough for the norms, tighter for managers."""
    return [
        {
            "who": {},
            "max_days_per_year": 15,
            "max_days_per_month": 5,
            "max_hours_per_year": 120,
            "min_gap_days": 14,
        },
        {"who": {"tiers": ["middle"]}, "max_days_per_year": 12},
        {
            "who": {"tiers": ["leadership"]},
            "max_days_per_year": 10,
            "max_days_per_month": 3,
            "max_hours_per_year": 96,
        },
    ]


def team_limits(company: Company) -> list[tuple[str, dict[str, Any]]]:
    """The daily away share for all teams, peak blackouts and one-away-at-a-time shifts."""
    teams = [team for unit in company.units for team in unit.teams]
    ops = [team.id for team in teams if team.kind == "ops"]
    shifts = [team.id for team in teams if team.kind == "dispatch"]
    entries: list[tuple[str, dict[str, Any]]] = [
        (
            _away_comment(company.structure.away_share),
            {"max_away_share": company.structure.away_share},
        )
    ]
    if ops:
        blackout = [span_text(span) for span in peak_blackouts(company.horizon)]
        entries.append(
            (
                "运维检修班组：迎峰度夏（7-8月）、迎峰度冬（12月15日至2月底）不安排脱产培训",
                {"teams": ops, "blackout": blackout},
            )
        )
    if shifts:
        entries.append(
            (
                "调控、客服、信通值班班组倒班运行，同一时间至多一人脱产",
                {"teams": shifts, "max_away": 1},
            )
        )
    return entries + company.extra_team_limits


def _away_comment(share: float) -> str:
    if share == TEAM_AWAY_SHARE:
        return "各班组同一天脱产培训不超过四分之一"
    return f"各班组同一天脱产培训不超过{share:.0%}"
