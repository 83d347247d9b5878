"""The rotaplan domain: scenario models, file loading and the format's definitions."""

from .dates import DateRange as DateRange
from .eligibility import Eligibility as Eligibility
from .errors import RotaplanError as RotaplanError
from .loader import LoadedScenario as LoadedScenario
from .loader import load_scenario as load_scenario
from .problems import Problem as Problem
from .problems import ScenarioError as ScenarioError
from .rules import MemberLimits as MemberLimits
from .rules import TeamRule as TeamRule
from .rules import member_limits as member_limits
from .rules import presence as presence
from .rules import requirement_windows as requirement_windows
from .rules import team_rules as team_rules
from .rules import window_shortfall as window_shortfall
from .scenario import Course as Course
from .scenario import Member as Member
from .scenario import Requirement as Requirement
from .scenario import Scenario as Scenario
from .scenario import Session as Session
from .selector import Selector as Selector
