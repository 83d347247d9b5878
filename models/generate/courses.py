"""The courses of the scenario: the forms of training of the domain, and the red trips."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .company import ACTIVISTS, CADRES


@dataclass(frozen=True)
class RedTrip:
    """One offer of the external-training catalogue (外训名录) of red-education trips."""

    code: str
    location: str
    days: int
    hours: int
    seat_cost: int
    fixed_cost: int
    weight: float


RED_CATALOGUE = (
    RedTrip("JGS", "江西井冈山·中国井冈山干部学院", 5, 40, 4800, 12000, 3.0),
    RedTrip("YA", "陕西延安·中国延安干部学院", 5, 40, 5200, 15000, 2.0),
    RedTrip("JX", "浙江嘉兴·南湖红船", 3, 24, 2600, 8000, 3.0),
    RedTrip("BASE", "本市红色教育基地", 1, 8, 150, 2000, 2.0),
)


def courses() -> list[dict[str, Any]]:
    """The forms of training of DOMAIN.md as courses."""
    near = {"categories": ["near_retirement"]}
    return [
        {"id": "rotation", "label": "党员集中轮训班", "hours": 24},
        {
            "id": "elearn",
            "label": "远程教育（网络大学专题课）",
            "hours": 3,
            "away": False,
            "repeatable": True,
        },
        {
            "id": "central_group",
            "label": "党委理论学习中心组学习",
            "hours": 4,
            "audience": {"tiers": ["leadership"]},
            "repeatable": True,
        },
        {
            "id": "thematic",
            "label": "中层专题培训",
            "hours": 16,
            "audience": {"tiers": ["middle"]},
            "repeatable": True,
        },
        {
            "id": "party_affairs",
            "label": "党务技能培训",
            "hours": 16,
            "audience": {"categories": list(CADRES)},
            "repeatable": True,
        },
        {
            "id": "orientation",
            "label": "新党员入党教育培训",
            "hours": 16,
            "audience": {"categories": ["new_graduate"]},
        },
        {
            "id": "activist",
            "label": "入党积极分子培训班",
            "hours": 24,
            "audience": {"categories": list(ACTIVISTS)},
        },
        {
            "id": "red_trip",
            "label": "红色教育培训（外训名录）",
            "hours": 24,
            "audience": {"categories": [*CADRES, "backbone", "backbone_activist"]},
        },
        {"id": "joint", "label": "支部联建活动", "hours": 4, "repeatable": True},
        {
            "id": "mentoring",
            "label": "传帮带结对学习（电力老娘舅）",
            "hours": 4,
            "audience": {"categories": ["near_retirement", "new_graduate", "young_activist"]},
            "mix": [{"who": near, "min_share": 0.3}],
        },
    ]
