"""The one base class of rotaplan's errors, and the exit code each kind means.

The command line maps every ``RotaplanError`` to its lines of text and its exit code in
one place, so no command writes a handler of its own and no planner sees a traceback.
"""

from __future__ import annotations

from typing import ClassVar

EXIT_NO_PLAN = 1  # the input was read, but there is no plan (or no valid one)
EXIT_BAD_INPUT = 2  # the input is invalid: nothing was written


class RotaplanError(Exception):
    """An error rotaplan reports as lines of text and an exit code, never as a traceback.

    Attributes
    ----------
    exit_code
        What the kind means to a caller: ``EXIT_BAD_INPUT`` unless a subclass says otherwise.
    """

    exit_code: ClassVar[int] = EXIT_BAD_INPUT

    def lines(self) -> list[str]:
        """The lines to show the planner, one per problem."""
        return str(self).splitlines()
