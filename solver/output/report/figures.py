"""The report's charts, as Plotly figures built from ``ReportData``.

Each function returns one ``plotly.graph_objects.Figure``; the page draws them with the
Plotly script it embeds once. Colours follow one rule: a share of a limit runs from pale
(little used) to dark red (at the limit).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import numpy as np
import plotly.graph_objects as go

from models import team_rules

from .data import ReportData
from .words import Words

FILL_SCALE = "Viridis"
LOAD_SCALE = "YlOrRd"
CLOSED_COLOUR = "rgba(214, 39, 40, 0.18)"
BLACKOUT_COLOUR = "rgba(31, 119, 180, 0.10)"
CANCELLED_COLOUR = "rgba(140, 140, 140, 0.55)"
CHANGE_COLOURS = {"added": "#2ca02c", "removed": "#d62728", "moved": "#ff7f0e", "left": "#7f7f7f"}
LAYOUT = {
    "template": "plotly_white",
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "font": {"family": "system-ui, -apple-system, 'Noto Sans CJK SC', sans-serif", "size": 12},
    "legend": {"orientation": "h", "y": -0.15},
}


def _figure(title: str, height: int = 360) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(title={"text": title, "x": 0}, height=height, **LAYOUT)
    figure.update_yaxes(automargin=True)
    figure.update_xaxes(automargin=True)
    return figure


def sessions_per_year(data: ReportData, words: Words) -> go.Figure:
    """Sessions run and cancelled, stacked per year."""
    figure = _figure(words("per_year"), height=300)
    years = [str(row.year) for row in data.headline.years]
    figure.add_bar(x=years, y=[r.runs for r in data.headline.years], name=words("runs"))
    figure.add_bar(
        x=years,
        y=[r.cancelled for r in data.headline.years],
        name=words("cancelled"),
        marker_color=CANCELLED_COLOUR,
    )
    figure.update_layout(barmode="stack", xaxis_type="category")
    return figure


def timeline(data: ReportData, words: Words) -> go.Figure:
    """Every session as a bar over its days, per course, coloured by occupancy."""
    courses = sorted({s.course for s in data.sessions}, key=lambda c: _course_order(data, c))
    figure = _figure(words("timeline"), height=140 + 34 * len(courses))
    for runs in (True, False):
        rows = [s for s in data.sessions if s.runs == runs]
        if not rows:
            continue
        occupancy = [s.attendees / s.capacity for s in rows]
        marker: dict[str, object] = (
            {
                "color": occupancy,
                "colorscale": FILL_SCALE,
                "cmin": 0,
                "cmax": 1,
                "colorbar": {
                    "title": {"text": words("occupancy")},
                    "tickformat": ".0%",
                    "len": 0.8,
                },
            }
            if runs
            else {"color": CANCELLED_COLOUR, "pattern": {"shape": "/"}}
        )
        figure.add_bar(
            name=words("runs") if runs else words("cancelled"),
            orientation="h",
            base=[s.start.isoformat() for s in rows],
            x=[((s.end - s.start).days + 1) * 86_400_000 for s in rows],
            y=[words.course(s.course) for s in rows],
            marker=marker,
            customdata=[
                [s.id, s.start.isoformat(), s.end.isoformat(), s.attendees, s.capacity]
                for s in rows
            ],
            hovertemplate=(
                f"%{{customdata[0]}}<br>%{{customdata[1]}} – %{{customdata[2]}}<br>"
                f"{words('attendees')} %{{customdata[3]}} / {words('capacity')} "
                "%{customdata[4]}<extra></extra>"
            ),
        )
    figure.update_layout(barmode="overlay", bargap=0.25, showlegend=True)
    figure.update_xaxes(type="date", range=_horizon(data))
    figure.update_yaxes(
        categoryorder="array", categoryarray=[words.course(c) for c in reversed(courses)]
    )
    _shade_days(figure, data)
    return figure


def _course_order(data: ReportData, course_id: str) -> int:
    ids = [course.id for course in data.scenario.courses]
    return ids.index(course_id) if course_id in ids else len(ids)


def _horizon(data: ReportData) -> list[str]:
    horizon = data.scenario.horizon
    return [horizon.start.isoformat(), (horizon.end + dt.timedelta(days=1)).isoformat()]


def _shade_days(figure: go.Figure, data: ReportData) -> None:
    """Closed days in red and team blackouts in blue, behind the bars."""
    blackouts = sorted({r for rule in team_rules(data.scenario).values() for r in rule.blackout})
    shapes = []
    # The section's help line names the colours: labels on the chart would crowd its top.
    for ranges, colour in (
        (blackouts, BLACKOUT_COLOUR),
        (sorted(data.scenario.closed), CLOSED_COLOUR),
    ):
        # All shapes at once: Plotly's add_vrect re-validates every shape before it.
        shapes += [
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": days.start.isoformat(),
                "x1": (days.end + dt.timedelta(days=1)).isoformat(),
                "y0": 0,
                "y1": 1,
                "fillcolor": colour,
                "line": {"width": 0},
                "layer": "below",
            }
            for days in ranges
        ]
    figure.update_layout(shapes=shapes)


def load_heatmap(data: ReportData, words: Words) -> go.Figure:
    """Away members per group and week against the team cap; blackouts grey, binding crosses."""
    grid = data.load
    weeks = [week.isoformat() for week in grid.weeks]
    figure = _figure(words("load"), height=160 + max(200, 11 * len(grid.groups)))
    # Arrays, not lists of lists: Plotly validates an array at once, a list cell by cell.
    share = np.array(grid.share, dtype=float)  # None (nobody away) becomes NaN: no colour
    dark = np.where((np.array(grid.blackout) > 0) & np.isnan(share), 1.0, np.nan)
    figure.add_heatmap(
        x=weeks,
        y=grid.groups,
        z=dark,
        colorscale=[[0, "#d9d9d9"], [1, "#d9d9d9"]],
        showscale=False,
        hoverinfo="skip",
        name=words("blackout"),
    )
    figure.add_heatmap(
        x=weeks,
        y=grid.groups,
        z=share,
        customdata=np.array(
            [[[n, total] for n in row] for row, total in zip(grid.at_cap, grid.teams, strict=True)]
        ),
        zmin=0,
        zmax=1,
        colorscale=LOAD_SCALE,
        colorbar={"title": {"text": words("load.share")}, "tickformat": ".0%", "len": 0.6},
        hovertemplate=(
            f"%{{y}} · {words('week')} %{{x}}<br>%{{z:.0%}} {words('cap')}<br>"
            f"{words('load.teams_at_cap')} %{{customdata[0]}} / %{{customdata[1]}}<extra></extra>"
        ),
        name=words("load.share"),
    )
    crosses = [
        (weeks[w], group)
        for g, group in enumerate(grid.groups)
        for w, binds in enumerate(grid.binds[g])
        if binds
    ]
    figure.add_scatter(
        x=[week for week, _ in crosses],
        y=[group for _, group in crosses],
        mode="markers",
        marker={"symbol": "x-thin", "size": 4, "line": {"width": 1, "color": "rgba(0,0,0,0.6)"}},
        name=words("load.binds"),
        hoverinfo="skip",
    )
    figure.update_yaxes(autorange="reversed", type="category", tickfont={"size": 9})
    figure.update_xaxes(type="date")
    figure.update_layout(legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right"})
    return figure


def days_away_chart(data: ReportData, words: Words) -> go.Figure:
    """Member-years by days away, one bar trace per year, with the yearly limits dashed."""
    figure = _figure(words("days_away"), height=340)
    for year, counts in data.days_away.counts.items():
        days = sorted(counts)
        figure.add_bar(x=days, y=[counts[d] for d in days], name=str(year))
    for limit in data.days_away.limits:
        # Few lines (one per limit in force), so add_vline's cost does not matter here.
        figure.add_vline(
            x=limit,
            line_dash="dash",
            line_color="#d62728",
            annotation_text=words("limit", value=limit),
            annotation_position="top",
        )
    figure.update_layout(barmode="group", xaxis_title=words("days"))
    most = max((n for counts in data.days_away.counts.values() for n in counts.values()), default=1)
    # Log scale: a handful of member-years near a limit must show beside thousands at 0.
    figure.update_yaxes(
        title=words("member_years"), type="log", range=[-0.1, math.log10(max(2, most)) + 0.1]
    )
    return figure


def unmet_by_cause(data: ReportData, words: Words) -> go.Figure:
    """Windows left short, per cause, stacked by requirement."""
    figure = _figure(words("unmet_by_cause"), height=360)
    tally = Counter((row.cause, row.requirement) for row in data.unmet)
    causes = [cause for cause, _ in Counter(row.cause for row in data.unmet).most_common()]
    for requirement in data.scenario.requirements:
        counts = [tally[(cause, requirement.id)] for cause in causes]
        if any(counts):
            figure.add_bar(
                x=[words.cause(cause) for cause in causes],
                y=counts,
                name=words.requirement(requirement.id),
            )
    figure.update_layout(barmode="stack", yaxis_title=words("windows"))
    return figure


def changes_by_month(data: ReportData, words: Words) -> go.Figure:
    """Changes against the previous plan, per month of the session and kind."""
    figure = _figure(words("changes_by_month"), height=320)
    rows = data.changes or []
    tally = Counter((row.change, row.start[:7]) for row in rows if row.start)
    months = sorted({month for _, month in tally})
    for kind, colour in CHANGE_COLOURS.items():
        counts = [tally[(kind, month)] for month in months]
        if any(counts):
            figure.add_bar(x=months, y=counts, name=words(f"change.{kind}"), marker_color=colour)
    figure.update_layout(barmode="stack", xaxis_type="category", yaxis_title=words("count"))
    return figure
