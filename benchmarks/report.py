"""Report benchmark: how long ``rotaplan report`` takes, how big the file is, how fast it opens.

For each plan folder given, runs ``rotaplan report`` in its own process (imports and the
scenario's loading included, as a planner runs it), in English and in Chinese, then opens
the file in the distribution's headless Chromium (``/usr/bin/chromium``, driven by
Playwright) and measures:

- ``load``: from navigation to the page's load event (the Plotly script and the page's
  own script have run, tables are filled);
- ``first chart``: to the first chart drawn (the report draws each chart as it comes into
  view).

- ``first paint``: to the first contentful paint (the headline is on the screen; the
  report's scripts come after its content).

The same browser opens a page holding only the Plotly script first: its load time is the
floor any page that embeds Plotly pays on this machine, printed as the ``Plotly alone`` row
so that a loaded machine is told apart from a slow report.

    .venv/bin/rotaplan solve scenarios/company/scenario.yaml --out plans/company --time-limit 60
    .venv/bin/python benchmarks/report.py plans/company
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from plotly.offline import get_plotlyjs
from rich.console import Console
from rich.table import Table

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
FLAGS += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class Measure:
    plan: str
    members: int
    lang: str
    write_seconds: float
    cpu_seconds: float
    megabytes: float
    paint_seconds: float | None
    load_seconds: float
    first_chart_seconds: float | None


def write_report(plan_dir: Path, out: Path, lang: str) -> tuple[float, float]:
    """Wall and CPU seconds ``rotaplan report`` takes, in a process of its own.

    On a shared machine the wall time waits for cores; the CPU time is the report's own.
    """
    rotaplan = Path(sys.executable).parent / "rotaplan"
    command = [str(rotaplan), "report", str(plan_dir), "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([*command, "--lang", lang], check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


PAINT = """() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return paint ? paint.startTime / 1000 : null;
}"""


def open_page(
    context: Any, page_file: Path, charts: bool
) -> tuple[float | None, float, float | None]:
    """Seconds to the first paint, to the load event and to the first chart drawn."""
    page = context.new_page()
    page.goto(page_file.as_uri())
    loaded = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
    first = None
    if charts:
        page.wait_for_selector("div.chart.drawn")
        first = page.evaluate("() => performance.now() / 1000")
    painted = page.evaluate(PAINT)
    page.close()
    return painted, float(loaded) / 1000, first


def members_of(plan_dir: Path) -> int:
    """Members of the plan, from its per member-year table."""
    return int(pd.read_csv(plan_dir / "members.csv", usecols=["member_id"]).member_id.nunique())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plans", nargs="+", type=Path, help="Plan folders to report on.")
    parser.add_argument("--langs", default="en,zh", help="Report languages, e.g. en,zh.")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    measures: list[Measure] = []
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        folder = Path(scratch)
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(folder / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 900},
        )
        bare = folder / "plotly.html"
        plotly_page = f"<html><body><p>Plotly</p><script>{get_plotlyjs()}</script></body></html>"
        bare.write_text(plotly_page)
        open_page(context, bare, charts=False)  # warm the browser's caches once
        painted, loaded, _ = open_page(context, bare, charts=False)
        for plan_dir in args.plans:
            for lang in args.langs.split(","):
                out = folder / f"{plan_dir.name}-{lang}.html"
                wall, cpu = write_report(plan_dir, out, lang)
                paint, load, first = open_page(context, out, charts=True)
                size = out.stat().st_size / 1e6
                measures.append(
                    Measure(
                        plan_dir.name,
                        members_of(plan_dir),
                        lang,
                        wall,
                        cpu,
                        size,
                        paint,
                        load,
                        first,
                    )
                )
        context.close()
    _print(measures, painted, loaded)


def _print(measures: list[Measure], painted: float | None, loaded: float) -> None:
    table = Table(title="rotaplan report: write, size and open")
    load = os.getloadavg()[0]
    table.caption = f"load average {load:.1f} on {os.cpu_count()} cores"
    columns = ("plan", "members", "lang", "write", "write CPU", "size", "first paint", "load")
    for column in (*columns, "first chart"):
        table.add_column(column, justify="right" if column != "plan" else "left")
    plotly = f"{len(get_plotlyjs()) / 1e6:.1f} MB"
    paint = f"{painted:.2f} s" if painted is not None else ""
    table.add_row("Plotly alone", "", "", "", "", plotly, paint, f"{loaded:.2f} s", "")
    for m in measures:
        first = f"{m.first_chart_seconds:.2f} s" if m.first_chart_seconds is not None else ""
        table.add_row(
            m.plan,
            f"{m.members:,}",
            m.lang,
            f"{m.write_seconds:.1f} s",
            f"{m.cpu_seconds:.1f} s",
            f"{m.megabytes:.1f} MB",
            f"{m.paint_seconds:.2f} s" if m.paint_seconds is not None else "",
            f"{m.load_seconds:.2f} s",
            first,
        )
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
