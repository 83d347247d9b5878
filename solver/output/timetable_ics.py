"""A year's timetable as iCalendar files: one calendar per member, or one per unit.

Each session is an all-day event over its days (``DTEND`` is the day after the last, as
RFC 5545 has it for dates), titled with the course label and placed at the session's
location. UIDs derive from the calendar's owner and the session, so publishing a revised
timetable updates events in a member's calendar program instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from icalendar import Calendar, Event

from .folder import replaced_subfolder
from .timetable_data import Timetable, safe_name

PRODID = "-//rotaplan//annual timetable//EN"
ONE_DAY = dt.timedelta(days=1)


def write_ics(timetable: Timetable, out_dir: Path, per: str = "member") -> Path:
    """Write one ``.ics`` file per member (``per="member"``) or per unit into ``out_dir``.

    Only owners with at least one session in the year get a file; the folder is replaced
    whole.
    """
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sessions = {str(row["session_id"]): row for row in timetable.calendar.to_dict("records")}
    used: set[str] = set()
    with replaced_subfolder(out_dir, "timetable") as staging:
        for owner, name, booked in _owners(timetable.rosters, per):
            calendar = _calendar(f"{name} {timetable.year}")
            for session_id, attendees in booked.items():
                event = _event(sessions[session_id], session_id, per, owner, stamp)
                if per == "unit":
                    event.add("description", _attendee_text(sessions[session_id], attendees))
                calendar.add_component(event)
            file_name = _unique(f"{per}-{safe_name(owner)}", used) + ".ics"
            (staging / file_name).write_bytes(calendar.to_ical())
    return out_dir


Attendee = tuple[str, str]  # member id and name


def _owners(
    rosters: pd.DataFrame, per: str
) -> Iterator[tuple[str, str, dict[str, list[Attendee]]]]:
    """``(owner id, calendar name, {session: attendees})`` per member or unit, by id."""
    key = "member_id" if per == "member" else "unit"
    booked: dict[str, dict[str, list[Attendee]]] = defaultdict(lambda: defaultdict(list))
    names: dict[str, str] = {}
    for row in rosters.to_dict("records"):
        owner, member_id, member_name = str(row[key]), str(row["member_id"]), row["member_name"]
        booked[owner][str(row["session_id"])].append((member_id, member_name))
        if per == "member":
            names[owner] = f"{member_name} ({member_id})" if member_name else member_id
        else:
            names[owner] = f"Unit {owner}"
    for owner in sorted(booked):
        yield owner, names[owner], booked[owner]


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(session: Any, session_id: str, per: str, owner: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", event_uid(per, owner, session_id))
    event.add("dtstamp", stamp)
    event.add("dtstart", session["start"])
    event.add("dtend", session["end"] + ONE_DAY)
    event.add("summary", session["course_label"])
    if session["location"]:
        event.add("location", session["location"])
    # Remote self-study leaves the member at work: show it as free time.
    event.add("transp", "OPAQUE" if session["away"] else "TRANSPARENT")
    event.add("categories", [session["course"]])
    if per == "member":
        event.add("description", _session_text(session, session_id))
    return event


def event_uid(per: str, owner: str, session_id: str) -> str:
    """A UID that stays the same for the same owner and session in every run."""
    key = uuid.uuid5(uuid.NAMESPACE_URL, f"rotaplan:{per}:{owner}:{session_id}")
    return f"{key}@rotaplan"


def _session_text(session: Any, session_id: str) -> str:
    return (
        f"Session {session_id}, course {session['course']}: "
        f"{session['days']} day(s), {session['hours']} class hours."
    )


def _attendee_text(session: Any, attendees: list[Attendee]) -> str:
    names = [f"{name} ({member_id})" if name else member_id for member_id, name in attendees]
    return (
        _session_text(session, str(session["session_id"]))
        + f"\nAttendees ({len(names)}): "
        + ", ".join(names)
    )


def _unique(stem: str, used: set[str]) -> str:
    """File names stay distinct even when two ids clean up to the same text."""
    name, number = stem, 1
    while name.lower() in used:
        number += 1
        name = f"{stem}~{number}"
    used.add(name.lower())
    return name
