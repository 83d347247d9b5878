"""Mentoring pairs (传帮带): a near-retirement mentor for each new graduate."""

from __future__ import annotations

import random
from collections import defaultdict

from .company import Company, Person


def draw_pairs(rng: random.Random, company: Company) -> None:
    """Pair each new graduate, and some young activists, with a near-retirement mentor.

    A mentor takes one mentee, works in another team and overlaps the mentee by half a
    year; the same branch is preferred, then anyone in the mentee's region (the whole
    company when it is not split), whose mentoring days both can attend.
    """
    mentors = [p for p in company.people if p.category == "near_retirement"]
    rng.shuffle(mentors)
    free_by_unit: dict[str, list[Person]] = defaultdict(list)
    for candidate in mentors:
        free_by_unit[candidate.unit.id].append(candidate)
    region_of = {unit.id: region.number for region in company.regions for unit in region.units}
    free_by_region: dict[int, list[Person]] = defaultdict(list)
    for candidate in mentors:
        free_by_region[region_of[candidate.unit.id]].append(candidate)
    taken: set[str] = set()
    mentees = [
        p
        for p in company.people
        if p.category == "new_graduate" or (p.category == "young_activist" and rng.random() < 0.25)
    ]
    for mentee in mentees:
        mentor = _find_mentor(company, mentee, free_by_unit[mentee.unit.id], taken)
        if mentor is None:
            nearby = free_by_region[region_of[mentee.unit.id]]
            mentor = _find_mentor(company, mentee, nearby, taken)
        if mentor is not None:
            taken.add(mentor.id)
            company.pairs.append((mentor.id, mentee.id))


def _find_mentor(
    company: Company, mentee: Person, candidates: list[Person], taken: set[str]
) -> Person | None:
    here = mentee.presence(company.horizon)
    for mentor in candidates:
        there = mentor.presence(company.horizon)
        overlap = (min(here[1], there[1]) - max(here[0], there[0])).days
        # Two of one team could not be away together when the team's cap is one.
        if mentor.id not in taken and mentor.team is not mentee.team and overlap >= 182:
            return mentor
    return None
