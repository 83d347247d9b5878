"""When the members are there: joiners, leavers, retirements, leave, and past training."""

from __future__ import annotations

import datetime as dt
import random

from .company import Company, DateSpan, Person


def draw_presence(rng: random.Random, company: Company) -> None:
    """New graduates join each July; some transfer in or out; near-retirement members retire."""
    start, end = company.horizon
    for person in company.people:
        if person.category == "new_graduate":
            _draw_graduate(rng, person, company.years)
        elif person.category == "near_retirement":
            # Near retirement means within about six years of it: most leave a five-year plan.
            retire = start + dt.timedelta(days=rng.randint(60, 6 * 365))
            if retire <= end:
                person.available_until = retire
        elif rng.random() < company.structure.joiners:
            arrive = _random_day(rng, start + dt.timedelta(days=30), end - dt.timedelta(days=180))
            if arrive is not None:
                person.joined = person.available_from = arrive
        elif rng.random() < company.structure.leavers:
            person.available_until = _random_day(rng, start + dt.timedelta(days=60), end)


def _draw_graduate(rng: random.Random, person: Person, years: list[int]) -> None:
    """Two in five join during the horizon; the rest joined in the two Julys before it."""
    if rng.random() < 0.4:
        year = rng.choice(years)
        person.joined = person.available_from = dt.date(year, 7, rng.randint(1, 20))
    else:
        year = years[0] - rng.choice((1, 2))
        person.joined = dt.date(year, 7, rng.randint(1, 20))


def _random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date | None:
    if last < first:
        return None
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def draw_leave(rng: random.Random, company: Company) -> None:
    """Long leave or secondment for about 6% of members, avoid periods for about 5%."""
    for person in company.people:
        here = person.presence(company.horizon)
        if rng.random() < company.structure.leave:
            sick, maternity, secondment = rng.randint(30, 90), 158, rng.randint(90, 365)
            span = _span_inside(rng, here, rng.choice((sick, maternity, secondment)))
            if span is not None:
                person.unavailable.append(span)
        if rng.random() < 0.05:
            span = _span_inside(rng, here, rng.randint(14, 42))
            if span is not None:
                person.avoid.append(span)


def _span_inside(rng: random.Random, here: DateSpan, length: int) -> DateSpan | None:
    """A span of ``length`` days (shortened to fit) that starts inside ``here``."""
    start = _random_day(rng, here[0], here[1])
    if start is None:
        return None
    return start, min(here[1], start + dt.timedelta(days=length - 1))


def draw_history(rng: random.Random, company: Company) -> None:
    """Half of last year's graduates already had their orientation before the horizon."""
    start = company.horizon[0]
    for person in company.people:
        if person.category != "new_graduate" or person.joined is None or person.joined >= start:
            continue
        done = person.joined + dt.timedelta(days=rng.randint(30, 150))
        if done < start and (start - person.joined).days < 365 and rng.random() < 0.5:
            company.history.append((person.id, "orientation", done))
