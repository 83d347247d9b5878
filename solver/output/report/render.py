"""Rendering ``ReportData`` as one HTML file: Jinja2 templates, Plotly figures, data as JSON.

The file holds everything it needs: the Plotly script once, the page's own script and
styles, the figures and the tables' data, so it opens offline in any current browser.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import sample_colorscale
from plotly.offline import get_plotlyjs

from solver.output.folder import atomic_file, claim, ensure_writable_file, manifest_entries

from . import figures
from .data import ReportData
from .words import Words

TEMPLATES = Path(__file__).parent / "templates"
# The report's first line: how rotaplan knows a file it may replace is its own report.
GENERATOR_LINE = "<!DOCTYPE html><!-- written by rotaplan report -->"
COVERAGE_SCALE = "RdYlGn"


@dataclass(frozen=True)
class Cell:
    """A coverage cell: windows that apply, met, its colour and what a click filters on."""

    windows: int
    met: int
    colour: str
    filters: str  # JSON of the unmet rows' fields this cell stands for

    @property
    def share(self) -> float:
        return self.met / self.windows if self.windows else 1.0

    @property
    def percent(self) -> str:
        """Whole percent, rounded down: a cell with one window short never shows 100 %."""
        return f"{math.floor(100 * self.share)} %"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(data: ReportData, lang: str = "en") -> str:
    """The whole report as HTML text."""
    words = Words(data.scenario, lang)
    charts = _charts(data, words)
    context = {
        "lang": lang,
        "generator": GENERATOR_LINE,
        "t": words,
        "data": data,
        "headline": data.headline,
        "folder": _shown(data.folder.path),
        "scenario_file": _shown(data.folder.scenario_file),
        "charts": {name: _safe(pio.to_json(fig, validate=False)) for name, fig in charts.items()},
        "coverage": coverage_table(data, words, "category", data.periods),
        "unit_coverage": _unit_tables(data, words),
        "payload": _script_json(payload(data, words)),
        "plotly_js": get_plotlyjs(),
        "script": (TEMPLATES / "report.js").read_text(encoding="utf-8"),
        "styles": (TEMPLATES / "report.css").read_text(encoding="utf-8"),
    }
    return _environment().get_template("report.html.j2").render(context)


def _shown(path: Path | None) -> str:
    """A path as the planner typed it: relative to where rotaplan runs, when it lies there."""
    if path is None:
        return ""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _charts(data: ReportData, words: Words) -> dict[str, go.Figure]:
    builders: dict[str, Callable[[ReportData, Words], go.Figure]] = {
        "per_year": figures.sessions_per_year,
        "timeline": figures.timeline,
        "load": figures.load_heatmap,
        "days_away": figures.days_away_chart,
    }
    if data.unmet:
        builders["unmet"] = figures.unmet_by_cause
    if data.changes:
        builders["changes"] = figures.changes_by_month
    return {name: build(data, words) for name, build in builders.items()}


def _script_json(value: Any) -> str:
    """JSON for a ``<script>`` element."""
    return _safe(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


def _safe(text: str) -> str:
    """JSON text that no ``</script>`` inside a string can end early."""
    return text.replace("</", "<\\/")


@cache
def _palette() -> list[str]:
    """One colour per whole percent, from red (70 % and less) through yellow to green.

    Coverage is mostly high: the scale spends its colours on the last 30 %, where a planner
    tells 92 % from 99 %. Its pale middle keeps the numbers readable on every cell.
    """
    points = [0.1 + 0.7 * min(1.0, max(0.0, (p - 70) / 29)) for p in range(100)] + [0.92]
    return [str(c) for c in sample_colorscale(COVERAGE_SCALE, points)]


def _colour(share: float) -> str:
    return _palette()[math.floor(100 * share)]


def coverage_table(data: ReportData, words: Words, key: str, columns: list[str]) -> dict[str, Any]:
    """Rows (requirement, group) by columns (periods or requirements) of coloured cells."""
    counts = data.coverage(key, "period")
    groups = sorted({k[1] for k in counts})
    rows = []
    for requirement in data.scenario.requirements:
        for group in groups:
            cells = []
            for period in columns:
                windows, met = counts.get((requirement.id, group, period), (0, 0))
                filters = {"requirement": requirement.id, key: group, "period": period}
                cells.append(_cell(windows, met, filters))
            if any(cell.windows for cell in cells):
                rows.append((words.requirement(requirement.id), group, cells))
    return {"columns": [words.period(p) for p in columns], "rows": rows, "key": key}


def _cell(windows: int, met: int, filters: dict[str, str]) -> Cell:
    share = met / windows if windows else 1.0
    return Cell(windows, met, _colour(share) if windows else "", json.dumps(filters))


def _unit_tables(data: ReportData, words: Words) -> list[dict[str, Any]]:
    """Per unit (and per region first, when there are regions): requirements as columns."""
    tables = []
    if data.regions:
        tables.append(_group_table(data, words, "region", words("coverage_regions")))
    tables.append(_group_table(data, words, "unit", words("coverage_units")))
    return tables


def _group_table(data: ReportData, words: Words, key: str, title: str) -> dict[str, Any]:
    counts = data.coverage(key)
    groups = sorted({k[1] for k in counts})
    requirements = [r.id for r in data.scenario.requirements]
    rows = []
    for group in groups:
        cells = [
            _cell(*counts.get((req, group), (0, 0)), {"requirement": req, key: group})
            for req in requirements
        ]
        region = data.regions.get(group, "") if key == "unit" else ""
        rows.append((group, region, cells))
    return {
        "title": title,
        "key": key,
        "columns": [words.requirement(r) for r in requirements],
        "rows": rows,
        "grouped": key == "unit" and bool(data.regions),
    }


def payload(data: ReportData, words: Words) -> dict[str, Any]:
    """The tables the page's script searches and filters, in compact arrays."""
    scenario = data.scenario
    origin = scenario.horizon.start
    members = scenario.members
    member_index = {member.id: i for i, member in enumerate(members)}
    session_index = {row.id: i for i, row in enumerate(data.sessions)}
    requirement_index = {r.id: i for i, r in enumerate(scenario.requirements)}
    windows: list[list[list[int]]] = [[] for _ in members]
    for window in data.windows:
        windows[member_index[window.member]].append(
            [
                requirement_index[window.requirement],
                (window.start - origin).days,
                (window.end - origin).days,
                window.unmet,
            ]
        )
    return {
        "origin": origin.isoformat(),
        "members": [
            [m.id, m.name or "", m.unit, m.team, m.category, m.tier, data.regions.get(m.unit, "")]
            for m in members
        ],
        "sessions": [
            [s.id, words.course(s.course), s.start.isoformat(), s.end.isoformat(), s.hours, away]
            for s in data.sessions
            for away in [int(scenario.course_by_id[s.course].away)]
        ],
        "memberSessions": [
            [session_index[s] for s in data.member_sessions.get(m.id, [])] for m in members
        ],
        "windows": windows,
        "requirements": [words.requirement(r.id) for r in scenario.requirements],
        "requirementIds": [r.id for r in scenario.requirements],
        "unmet": [
            [
                member_index[u.member],
                requirement_index[u.requirement],
                u.start,
                u.end,
                u.period,
                u.shortfall,
                u.weight,
                u.cause,
                u.reason,
            ]
            for u in data.unmet
        ],
        "causes": {u.cause: words.cause(u.cause) for u in data.unmet},
        "changes": [
            [c.member, c.session, c.change, c.from_session, c.to_session, c.start]
            for c in data.changes or []
        ],
        "labels": _script_labels(words),
    }


def _script_labels(words: Words) -> dict[str, str]:
    """The words the page's script writes itself."""
    keys = [
        "member",
        "name",
        "unit",
        "team",
        "category",
        "tier",
        "region",
        "requirement",
        "window",
        "shortfall",
        "weight",
        "cause",
        "reason",
        "session",
        "course",
        "start",
        "end",
        "hours",
        "year",
        "met",
        "sessions_of",
        "requirements_of",
        "no_match",
        "all",
        "all_years",
        "change",
        "from_session",
        "to_session",
        "count",
        "status",
        "days",
    ]
    labels = {key: words(key) for key in keys}
    labels["short"] = words("short", shortfall="{n}")
    labels["shown"] = words("shown", shown="{shown}", total="{total}")
    labels["more"] = words("more_matches", count="{n}")
    labels["shortHere"] = words("short_here", where="{where}")
    for kind in ("added", "removed", "moved", "left"):
        labels[f"change.{kind}"] = words(f"change.{kind}")
    return labels


def write_report(data: ReportData, out: str | Path, lang: str = "en") -> Path:
    """Write the report to ``out`` whole, and return its path.

    An existing file is replaced only when rotaplan wrote it: a report (its first line
    says so), or a file its folder's manifest names; any other file is left untouched and
    ``OutputFolderError`` raised, before the report is rendered.
    """
    target = Path(out).resolve()
    ours = is_report(target)
    if not ours:
        ensure_writable_file(target)
    text = render_report(data, lang)
    with atomic_file(target, claim=not ours) as staging:
        staging.write_text(text, encoding="utf-8")
    if ours and manifest_entries(target.parent) is not None:
        claim(target.parent, [target.name])
    return target


def is_report(path: Path) -> bool:
    """Whether ``path`` is a report rotaplan wrote: its first line names rotaplan."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.readline().strip() == GENERATOR_LINE
    except (OSError, UnicodeDecodeError):
        return False
