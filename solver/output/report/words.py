"""The report's words in one language, from the message catalogue."""

from __future__ import annotations

from typing import Any

from models import Scenario
from solver.explain import messages


class Words:
    """Labels (``report.*`` messages) and scenario names in English or Chinese.

    English names scenario objects by id, Chinese by their labels, as the reasons do.
    """

    def __init__(self, scenario: Scenario, lang: str = "en"):
        self.renderer = messages.Renderer(scenario, lang)
        self.lang = lang
        self.scenario = scenario

    def __call__(self, key: str, **params: Any) -> str:
        return self.renderer.text(messages.note(f"report.{key}", **params))

    def has(self, key: str) -> bool:
        return f"report.{key}" in messages.CATALOGUE

    def course(self, course_id: str) -> str:
        """English: the course's id; Chinese: its label where it has one."""
        return self.renderer.name(messages.course(course_id))

    def requirement(self, requirement_id: str) -> str:
        return self.renderer.name(messages.requirement(requirement_id))

    def cause(self, code: str) -> str:
        return self(f"cause.{code}") if self.has(f"cause.{code}") else code

    def term(self, name: str) -> str:
        return self(f"term.{name}") if self.has(f"term.{name}") else name

    def period(self, period: str) -> str:
        return self("all_years") if period == "all" else period
