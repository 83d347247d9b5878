"""Scenario families: the structure knobs of ``rotaplan generate`` and their named sets.

The generator (``models.generate``) draws a power-supply company; a ``Structure`` says how
that company is shaped beyond its size: how many seats its classes offer against the
demand, how small its work teams are and how few of them may be away on one day, how
many sessions need a minimum number of attendees to run, how much leave, blackout, joining
and leaving there is, and how many regions hold their own classes. A ``Family`` is a
documented set of those values with a typical size; options given one by one override it.

The default ``Structure()`` is the ``company`` family: it draws exactly what the generator
always drew, so the same seed still gives the same files. A knob at its default value
draws nothing from any random stream, and every knob that post-processes the sessions
draws from a stream of its own, so changing one knob leaves the others' draws alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from models.generate import SessionRow, Team

DateSpan = tuple[dt.date, dt.date]

# A session that needs a minimum size (``min_size_share``) needs half of its seats.
MIN_SIZE_OF_CAPACITY = 0.5
# Months in which a team's own blackout (``blackout_share``) falls: the training season.
BLACKOUT_MONTHS = (3, 4, 5, 6, 9, 10, 11)
MEMBERS_PER_REGION = 100


@dataclass(frozen=True)
class Structure:
    """How a generated company is shaped, beyond its number of members and years.

    Attributes
    ----------
    seat_supply
        Seats of every session of an away course (classes, trips, activities; not remote
        e-learning) as a multiple of what the generator sizes them to (about one seat per
        member who needs one): below 1 some members cannot be served at all.
    class_size
        Most seats of one rotation, thematic, party-affairs or activist class; ``None``: the
        generator's own (50, 50, 40, 50). Smaller classes mean more of them.
    min_size_share
        Share of the sessions of away courses that need a minimum size to run (half of
        their seats); the others need none. ``None``: the generator's own (rotation
        classes need up to 20, red-education trips 15-20, nothing else).
    team_size
        Fewest and most members of a work team.
    away_share
        Share of a team that may be away on one day (``max_away_share`` of every team).
    leave
        Share of members with a long leave or secondment (30 days to a year).
    blackout_share
        Share of the teams without peak-season blackouts that get a blackout of their own,
        two to four weeks in the training season of every year.
    joiners, leavers
        Shares of members who transfer in or out during the horizon (new graduates and
        retirements come on top).
    regions
        Regions that each hold their own classes; ``None``: one up to 3,000 members, above
        that one per about 2,000.
    """

    seat_supply: float = 1.0
    class_size: int | None = None
    min_size_share: float | None = None
    team_size: tuple[int, int] = (5, 15)
    away_share: float = 0.25
    leave: float = 0.06
    blackout_share: float = 0.0
    joiners: float = 0.02
    leavers: float = 0.015
    regions: int | None = None

    def flags(self) -> str:
        """The ``rotaplan generate`` options that give this structure, for the file header."""
        default = Structure()
        parts = []
        for knob in dataclasses.fields(self):
            value = getattr(self, knob.name)
            if value != getattr(default, knob.name):
                parts.append(f" --{knob.name.replace('_', '-')} {_option_text(value)}")
        return "".join(parts)


@dataclass(frozen=True)
class Family:
    """A named set of structure values, with the size it is meant for."""

    name: str
    summary: str
    members: int
    years: int
    structure: Structure


FAMILIES: dict[str, Family] = {
    family.name: family
    for family in (
        Family(
            "company",
            "the generator's company: classes of up to 50 sized to the demand, teams of 5-15",
            2024,
            5,
            Structure(),
        ),
        Family(
            "unit",
            "one unit of a batch: 50-150 members over two years, small teams, many minimum sizes",
            80,
            2,
            Structure(team_size=(4, 10), min_size_share=0.4),
        ),
        Family(
            "tight-teams",
            "teams of 3-8 of whom one may be away on a day, and team blackouts",
            300,
            3,
            Structure(team_size=(3, 8), away_share=0.15, blackout_share=0.3),
        ),
        Family(
            "small-classes",
            "classes of at most 16, most of which need half their seats to run",
            300,
            3,
            Structure(class_size=16, min_size_share=0.7),
        ),
        Family(
            "churn",
            "many members transfer in and out, and many take long leave",
            300,
            3,
            Structure(joiners=0.15, leavers=0.15, leave=0.15),
        ),
        Family(
            "scarce-seats",
            "a fifth fewer seats than members who need them",
            300,
            3,
            Structure(seat_supply=0.8),
        ),
    )
}


@dataclass(frozen=True)
class Settings:
    """What ``rotaplan generate`` draws: a size and a structure."""

    members: int
    years: int
    structure: Structure


def settings_for(
    family: str,
    members: str | None = None,
    years: str | None = None,
    options: Mapping[str, str | None] | None = None,
) -> Settings:
    """The family's settings with every option given (as typed) overriding its value.

    Parameters
    ----------
    family
        A name of ``FAMILIES``.
    members, years
        As typed on the command line; ``None`` keeps the family's.
    options
        Structure knobs by field name (``seat_supply``, ``team_size``, ...), as typed;
        ``None`` values keep the family's.

    Raises
    ------
    ValueError
        One line naming the option and what it accepts.
    """
    if family not in FAMILIES:
        raise ValueError(f"--family {family!r} is not a family (one of {', '.join(FAMILIES)})")
    chosen = FAMILIES[family]
    given = {name: text for name, text in (options or {}).items() if text is not None}
    unknown = set(given) - {knob.name for knob in dataclasses.fields(Structure)}
    if unknown:
        raise ValueError(f"unknown structure option(s): {', '.join(sorted(unknown))}")
    structure = dataclasses.replace(
        chosen.structure, **{name: _parse(name, text) for name, text in given.items()}
    )
    settings = Settings(
        members=chosen.members if members is None else _integer("members", members, 30),
        years=chosen.years if years is None else _integer("years", years, 1, 50),
        structure=structure,
    )
    check_structure(settings.members, structure)
    return settings


def check_structure(members: int, structure: Structure) -> None:
    """Refuse values the generator cannot draw, in one line naming the option."""
    for name in ("min_size_share", "leave", "blackout_share", "joiners", "leavers"):
        value = getattr(structure, name)
        if value is not None and not 0 <= value <= 1:
            raise ValueError(f"{_flag(name)} must be between 0 and 1 (got {value:g})")
    if not 0 < structure.seat_supply <= 5:
        raise ValueError(
            f"--seat-supply must be above 0 and at most 5 (got {structure.seat_supply:g})"
        )
    if not 0 < structure.away_share <= 1:
        raise ValueError(
            f"--away-share must be above 0 and at most 1 (got {structure.away_share:g})"
        )
    if structure.class_size is not None and structure.class_size < 2:
        raise ValueError(f"--class-size must be at least 2 (got {structure.class_size})")
    low, high = structure.team_size
    if not 1 <= low <= high <= 40:
        raise ValueError(
            f"--team-size must be MIN-MAX with 1 <= MIN <= MAX <= 40 (got {low}-{high})"
        )
    most = max(1, members // MEMBERS_PER_REGION)
    if structure.regions is not None and not 1 <= structure.regions <= most:
        raise ValueError(
            f"--regions must be between 1 and {most} for {members} members, one region per "
            f"{MEMBERS_PER_REGION} at most (got {structure.regions})"
        )


def _parse(name: str, text: str) -> Any:
    """One structure knob from its command-line text."""
    if name == "team_size":
        low, dash, high = text.partition("-")
        if not dash or not low.strip().isdigit() or not high.strip().isdigit():
            raise ValueError(f"--team-size must be MIN-MAX, e.g. 5-15 (got {text!r})")
        return int(low), int(high)
    if name in ("class_size", "regions"):
        return _integer(name, text, 1 if name == "regions" else 2)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{_flag(name)} must be a number (got {text!r})") from None
    if not math.isfinite(value):
        raise ValueError(f"{_flag(name)} must be a finite number (got {text!r})")
    return value


def _integer(name: str, text: str, least: int, most: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{_flag(name)} must be a whole number (got {text!r})") from None
    if value < least:
        raise ValueError(f"{_flag(name)} must be at least {least} (got {value})")
    if most is not None and value > most:
        raise ValueError(f"{_flag(name)} must be at most {most} (got {value})")
    return value


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _option_text(value: Any) -> str:
    if isinstance(value, tuple):
        return "-".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# -- what the knobs do to a drawn company ---------------------------------------------------


def reshape_sessions(
    rng: random.Random, sessions: list[SessionRow], structure: Structure, remote: Iterable[str]
) -> None:
    """Scale the seats and set the minimum sizes of the drawn sessions, in place.

    ``remote`` names the courses that are not away (e-learning), whose seats are left as
    they are: they are open to everyone and never what a plan runs short of.
    """
    remote = set(remote)
    away = [session for session in sessions if session.course not in remote]
    if structure.seat_supply != 1.0:
        for session in away:
            session.capacity = max(1, math.ceil(session.capacity * structure.seat_supply))
            session.min_size = min(session.min_size, session.capacity)
    if structure.min_size_share is not None:
        for session in away:
            needs = rng.random() < structure.min_size_share
            least = max(2, math.floor(MIN_SIZE_OF_CAPACITY * session.capacity))
            session.min_size = min(least, session.capacity) if needs else 0


def team_blackouts(
    rng: random.Random,
    teams: Iterable[Team],
    years: Iterable[int],
    share: float,
) -> list[tuple[str, dict[str, Any]]]:
    """``team_limits`` entries: a blackout of two to four weeks a year for some teams.

    Only teams without the peak-season blackout (not operations teams) are drawn; each
    entry names one team and carries a comment for the scenario file.
    """
    if share <= 0:
        return []
    entries = []
    years = list(years)
    for team in teams:
        if team.kind == "ops" or rng.random() >= share:
            continue
        spans = []
        for year in years:
            month = rng.choice(BLACKOUT_MONTHS)
            start = dt.date(year, month, rng.randint(1, 14))
            end = start + dt.timedelta(days=rng.randint(14, 28) - 1)
            spans.append(f"{start}/{end}")
        if spans:
            entries.append(
                (
                    f"{team.name}：年度重点工作期间不安排脱产培训",
                    {"teams": [team.id], "blackout": spans},
                )
            )
    return entries
