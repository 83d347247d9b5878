"""YAML as rotaplan reads it: safe, and a date that is not a real day stays text.

PyYAML turns ``2027-02-30`` into a date itself and fails with a bare ``ValueError`` when
the day does not exist. Kept as text instead, the value reaches the field that wants a
date, which reports it with its place (``horizon.end: '2027-02-30' is not a real date``).
"""

from __future__ import annotations

from typing import Any

import yaml

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, with timestamps that are not real days left as their text."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def load_yaml(text: str) -> Any:
    """Parse YAML text; raises ``yaml.YAMLError`` for text that is not YAML."""
    return yaml.load(text, Loader=Loader)
