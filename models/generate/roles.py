"""Who the members are: tiers, tracks and categories, drawn where such posts sit."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence

from .company import CATEGORIES, Company, Person

TIER_SHARES = {"leadership": 0.03, "middle": 0.17}

# Shares of the general members of each tier that fall in a category (cadres are per unit).
CATEGORY_ODDS = {
    "leadership": {"near_retirement": 0.10},
    "middle": {"near_retirement": 0.12, "backbone": 0.22},
    "grassroots": {
        "near_retirement": 0.09,
        "backbone": 0.13,
        "new_graduate": 0.05,
        "young_activist": 0.05,
        "backbone_activist": 0.035,
    },
}

# Tier weights by where a team sits: leaders sit in head-office and county-company offices.
LEADERSHIP_WEIGHT = {"head_office": 3.0, "county_office": 4.0, "centre": 0.3}
MIDDLE_WEIGHT = {"head_office": 3.0, "county_office": 2.5, "centre": 1.5, "county_maintenance": 1.5}


def draw_tiers(rng: random.Random, company: Company) -> None:
    """Exactly 3% leadership and 17% middle, drawn where such posts sit."""
    people = company.people
    leaders = max(1, round(TIER_SHARES["leadership"] * len(people)))
    middle = max(1, round(TIER_SHARES["middle"] * len(people)))
    for person in _weighted_sample(rng, people, [_leadership_weight(p) for p in people], leaders):
        person.tier = "leadership"
    rest = [p for p in people if p.tier == "grassroots"]
    for person in _weighted_sample(rng, rest, [_middle_weight(p) for p in rest], middle):
        person.tier = "middle"


def _leadership_weight(person: Person) -> float:
    if person.team.kind != "office":
        return 0.02
    return LEADERSHIP_WEIGHT.get(person.unit.kind, 0.02)


def _middle_weight(person: Person) -> float:
    if person.team.kind != "office":
        return 0.4
    return MIDDLE_WEIGHT.get(person.unit.kind, 1.0)


def _weighted_sample(
    rng: random.Random, people: Sequence[Person], weights: Sequence[float], count: int
) -> list[Person]:
    """``count`` people drawn without replacement, each with odds by weight.

    Efraimidis-Spirakis keys: one draw per person and a sort, so 20,000 members take
    milliseconds.
    """
    keys = [
        (rng.random() ** (1.0 / weight), person.id)
        for person, weight in zip(people, weights, strict=True)
    ]
    chosen = {pid for _, pid in sorted(keys, reverse=True)[:count]}
    return [p for p in people if p.id in chosen]


def draw_tracks(rng: random.Random, company: Company) -> None:
    """Management or technical track: offices and leaders lean to management."""
    for person in company.people:
        if person.tier == "leadership":
            odds = 0.75
        elif person.team.kind == "office":
            odds = 0.6
        else:
            odds = 0.3 if person.tier == "middle" else 0.1
        person.track = "management" if rng.random() < odds else "technical"


def draw_categories(rng: random.Random, company: Company) -> None:
    """One secretary and one Party-affairs cadre per branch, the rest by tier odds."""
    by_unit: dict[str, list[Person]] = defaultdict(list)
    for person in company.people:
        by_unit[person.unit.id].append(person)
    for unit_id in sorted(by_unit):
        _draw_cadres(rng, by_unit[unit_id])
    for person in company.people:
        if person.category == "general" and rng.random() < 0.01 and person.tier != "leadership":
            person.category = "party_affairs"
        elif person.category == "general":
            person.category = _draw_category(rng, CATEGORY_ODDS[person.tier])
    _ensure_every_category(rng, company.people)


def _draw_cadres(rng: random.Random, branch: list[Person]) -> None:
    """The branch secretary is usually a middle manager; the cadre is any non-leader."""
    for tier in ("middle", "grassroots", "leadership"):
        candidates = [p for p in branch if p.tier == tier]
        if candidates:
            rng.choice(candidates).category = "branch_secretary"
            break
    others = [p for p in branch if p.category == "general" and p.tier != "leadership"]
    if others:
        rng.choice(others).category = "party_affairs"


def _draw_category(rng: random.Random, odds: dict[str, float]) -> str:
    draw = rng.random()
    for category, share in odds.items():
        if draw < share:
            return category
        draw -= share
    return "general"


def _ensure_every_category(rng: random.Random, people: list[Person]) -> None:
    """A small company still has one of each category, so every rule has someone to apply to."""
    counts = Counter(p.category for p in people)
    for category in CATEGORIES:
        if counts[category]:
            continue
        pool = [p for p in people if p.tier == "grassroots" and p.category == "general"]
        if pool:
            rng.choice(pool).category = category
            counts[category] += 1
