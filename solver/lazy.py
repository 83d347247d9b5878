"""Re-exports that load their module on first use (PEP 562).

A package's ``__init__`` names its public API in one table, from name to module. The
module is imported when the name is first read, so that importing one part of
``solver`` (the timetables, the report) does not load the CP-SAT engine behind
another part.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, names_by_module: Mapping[str, tuple[str, ...]]
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """Return the ``__all__``, ``__getattr__`` and ``__dir__`` of a lazy package.

    Parameters
    ----------
    package
        The package's ``__name__``.
    names_by_module
        Each module (relative to ``package``) with the public names it defines.

    Returns
    -------
    tuple
        ``__all__``, ``__getattr__`` and ``__dir__``, to be bound at the package's top
        level.
    """
    exports = {name: module for module, names in names_by_module.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f".{module}", package), name)

    def __dir__() -> list[str]:
        return sorted(exports)

    return sorted(exports), __getattr__, __dir__
