"""Drawing a whole company: every part from a random stream of its own, in a fixed order."""

from __future__ import annotations

import datetime as dt
import random

from models.families import Structure, reshape_sessions, team_blackouts

from .company import Company
from .courses import courses
from .organisation import draw_people, draw_units, split_regions
from .pairs import draw_pairs
from .presence import draw_history, draw_leave, draw_presence
from .roles import draw_categories, draw_tiers, draw_tracks
from .seasons import closed_days
from .sessions import draw_sessions


def draw_company(
    members: int,
    years: int,
    seed: int,
    start_year: int = 2025,
    structure: Structure | None = None,
) -> Company:
    """Draw the organisation, the members and the sessions; nothing is written."""
    structure = structure or Structure()
    horizon = (dt.date(start_year, 1, 1), dt.date(start_year + years - 1, 12, 31))
    closed = closed_days(start_year, years)
    units = draw_units(_stream(seed, "units"), members, structure.team_size)
    people = draw_people(_stream(seed, "people"), units, members)
    regions = split_regions(units, people, structure.regions)
    # Positional: the names match the fields, and their types tell any two apart.
    company = Company(horizon, closed, units, people, regions, structure=structure)
    draw_tiers(_stream(seed, "tiers"), company)
    draw_tracks(_stream(seed, "tracks"), company)
    draw_categories(_stream(seed, "categories"), company)
    draw_presence(_stream(seed, "presence"), company)
    draw_leave(_stream(seed, "leave"), company)
    draw_history(_stream(seed, "history"), company)
    draw_pairs(_stream(seed, "pairs"), company)
    company.sessions = draw_sessions(_stream(seed, "sessions"), company)
    remote = [course["id"] for course in courses() if course.get("away") is False]
    reshape_sessions(_stream(seed, "structure"), company.sessions, structure, remote)
    teams = [team for unit in units for team in unit.teams]
    company.extra_team_limits = team_blackouts(
        _stream(seed, "blackouts"), teams, company.years, structure.blackout_share
    )
    return company


def _stream(seed: int, part: str) -> random.Random:
    """An independent random stream per part, so changing one part leaves the others alone."""
    return random.Random(f"rotaplan:{seed}:{part}")
