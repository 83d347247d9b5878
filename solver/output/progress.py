"""Showing a solve as it runs: a live line on a terminal, plain log lines elsewhere.

Both speak English or Chinese, from the message catalogue.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from rich.console import Console
from rich.live import Live
from rich.text import Text

from ..engine import StageReport
from ..explain.messages import Renderer, note


class LogProgress:
    """One line per stage start, per improvement (at most every few seconds) and per end."""

    def __init__(self, stream: TextIO | None = None, every: float = 5.0, lang: str = "en"):
        self.stream = stream or sys.stderr
        self.every = every
        self.text = Renderer(None, lang)
        self._last = 0.0
        self._started = time.monotonic()

    def words(self, key: str, **params: Any) -> str:
        """A progress message in the display's language."""
        return self.text(note(key, **params))

    def term(self, term: str) -> str:
        return self.words(f"term.{term}")

    def gap(self, value: float, bound: float | None) -> str:
        if bound is None:
            return "n/a"
        return f"{(value - bound) / max(1.0, abs(value)):.2%}"

    def bound(self, bound: float | None) -> str:
        return self.words("progress.none_yet") if bound is None else f"{bound:.0f}"

    def _say(self, text: str) -> None:
        print(f"[{time.monotonic() - self._started:7.1f}s] {text}", file=self.stream, flush=True)

    def stage_started(self, term: str, index: int, count: int, budget: float) -> None:
        self._say(
            self.words(
                "progress.stage",
                index=index + 1,
                count=count,
                term=self.term(term),
                budget=f"{budget:.0f}",
            )
        )
        self._last = 0.0

    def improved(self, term: str, value: float, bound: float | None, elapsed: float) -> None:
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self._say(
                self.words(
                    "progress.improved",
                    term=self.term(term),
                    value=f"{value:.0f}",
                    bound=self.bound(bound),
                    gap=self.gap(value, bound),
                )
            )

    def finished_line(self, report: StageReport) -> str:
        value = self.words("progress.none") if report.value is None else report.value
        bound = self.words("progress.none") if report.bound is None else report.bound
        return self.words(
            "progress.finished",
            term=self.term(report.term),
            status=report.status.value,
            value=value,
            bound=bound,
            seconds=f"{report.seconds:.1f}",
        )

    def stage_finished(self, report: StageReport) -> None:
        self._say(self.finished_line(report))


class LiveProgress(LogProgress):
    """A live status line on a terminal: stage, best value, bound, gap and elapsed time."""

    def __init__(self, console: Console | None = None, lang: str = "en"):
        super().__init__(lang=lang)
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
        self._stage = self.words(
            "progress.live_stage", index=index + 1, count=count, term=self.term(term)
        )
        self._stage_started = time.monotonic()
        searching = self.words("progress.searching", stage=self._stage, budget=f"{budget:.0f}")
        self.live.update(Text(searching))

    def improved(self, term: str, value: float, bound: float | None, elapsed: float) -> None:
        total = time.monotonic() - self._started
        line = self.words(
            "progress.live",
            stage=self._stage,
            value=f"{value:.0f}",
            bound=self.bound(bound),
            gap=self.gap(value, bound),
            elapsed=f"{elapsed:.1f}",
            total=f"{total:.1f}",
        )
        self.live.update(Text(line))

    def stage_finished(self, report: StageReport) -> None:
        self.console.print(self.finished_line(report).lstrip())
