"""Showing a solve as it runs: a live line on a terminal, plain log lines elsewhere."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.live import Live
from rich.text import Text

from .result import StageReport


def _gap(value: float, bound: float | None) -> str:
    if bound is None:
        return "n/a"
    return f"{(value - bound) / max(1.0, abs(value)):.2%}"


def _bound(bound: float | None) -> str:
    return "none yet" if bound is None else f"{bound:.0f}"


class LogProgress:
    """One line per stage start, per improvement (at most every few seconds) and per end."""

    def __init__(self, stream: TextIO | None = None, every: float = 5.0):
        self.stream = stream or sys.stderr
        self.every = every
        self._last = 0.0
        self._started = time.monotonic()

    def _say(self, text: str) -> None:
        print(f"[{time.monotonic() - self._started:7.1f}s] {text}", file=self.stream, flush=True)

    def stage_started(self, term: str, index: int, count: int, budget: float) -> None:
        self._say(f"stage {index + 1}/{count}: minimising {term} (up to {budget:.0f}s)")
        self._last = 0.0

    def improved(self, term: str, value: float, bound: float | None, elapsed: float) -> None:
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self._say(f"  {term} = {value:.0f}, bound {_bound(bound)}, gap {_gap(value, bound)}")

    def stage_finished(self, report: StageReport) -> None:
        value = "none" if report.value is None else report.value
        self._say(
            f"  {report.term}: {report.status.value} {value} (bound {report.bound}) in {report.seconds:.1f}s"
        )


class LiveProgress(LogProgress):
    """A live status line on a terminal: stage, best value, bound, gap and elapsed time."""

    def __init__(self, console: Console | None = None):
        super().__init__()
        self.console = console or Console(stderr=True)
        self.live = Live(Text(""), console=self.console, refresh_per_second=4, transient=True)
        self._stage = ""
        self._stage_started = time.monotonic()

    def __enter__(self) -> LiveProgress:
        self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.__exit__(None, None, None)

    def stage_started(self, term: str, index: int, count: int, budget: float) -> None:
        self._stage = f"stage {index + 1}/{count} {term}"
        self._stage_started = time.monotonic()
        self.live.update(Text(f"{self._stage}: searching (up to {budget:.0f}s)"))

    def improved(self, term: str, value: float, bound: float | None, elapsed: float) -> None:
        total = time.monotonic() - self._started
        self.live.update(
            Text(
                f"{self._stage}: best {value:.0f}  bound {_bound(bound)}  gap {_gap(value, bound)}  "
                f"stage {elapsed:.1f}s  total {total:.1f}s"
            )
        )

    def stage_finished(self, report: StageReport) -> None:
        value = "none" if report.value is None else report.value
        self.console.print(
            f"{report.term}: {report.status.value} {value} (bound {report.bound}) in {report.seconds:.1f}s"
        )
