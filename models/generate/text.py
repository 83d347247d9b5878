"""How the generator writes values: Chinese numerals, YAML flow text and date ranges."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from .company import DateSpan

CHINESE_NUMERALS = "一二三四五六七八九十"


def numeral(number: int) -> str:
    """One to ten as Chinese numerals (``三``), larger numbers in digits."""
    if number <= len(CHINESE_NUMERALS):
        return CHINESE_NUMERALS[number - 1]
    return str(number)


def flow(value: Any) -> str:
    """``value`` as YAML on one line (flow style), Chinese text left as it is."""
    text = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=1_000_000
    )
    return text.removesuffix("\n...\n").strip()


def span_text(span: DateSpan) -> str:
    """A date range as SPEC.md writes it: ``START/END``, or one date for a single day."""
    return f"{span[0]}/{span[1]}" if span[0] != span[1] else str(span[0])
