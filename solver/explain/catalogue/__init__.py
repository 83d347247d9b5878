"""The one message catalogue for all planner text, English and Chinese.

The words live in data files beside this module, one per job: ``reasons.toml``,
``explain.toml``, ``runs.toml`` (a solve as it runs and its closing lines),
``timetables.toml``, ``suggestions.toml``, ``report.toml`` (the plan report's labels) and
``conflicts.toml`` (why a strict scenario has no plan).
A message id is ``area.name`` (``block.full``, ``report.title``); its value is
``[English, Chinese]`` with the same placeholders in both. ``solver.explain.messages``
renders them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

LANGUAGES = ("en", "zh")
PARTS = ("reasons", "explain", "runs", "timetables", "suggestions", "report", "conflicts")


def read_part(name: str) -> dict[str, tuple[str, str]]:
    """One part of the catalogue: message id -> (English, Chinese)."""
    text = (Path(__file__).parent / f"{name}.toml").read_text(encoding="utf-8")
    return {key: (english, chinese) for key, (english, chinese) in tomllib.loads(text).items()}


CATALOGUE: dict[str, tuple[str, str]] = {
    key: words for part in PARTS for key, words in read_part(part).items()
}
