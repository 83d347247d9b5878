"""The rotaplan engine: a scenario becomes a CP-SAT model, and the model a plan."""

from .engine import SolveError as SolveError
from .engine import SolveOptions as SolveOptions
from .engine import solve as solve
from .result import Plan as Plan
from .result import StageReport as StageReport
from .result import Status as Status
from .result import Unmet as Unmet
from .settings import EngineSettings as EngineSettings
from .settings import SettingsError as SettingsError
