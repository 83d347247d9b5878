"""Generate a realistic scenario: a power-supply company's Party-member education plan.

The company is modelled on DOMAIN.md: a head office, professional centres and county
companies, each cut into Party branches (units) and work teams; three tiers, two tracks and
seven categories of members and activists; joiners, retirements, leave; the courses, norms
and work-study limits a planner applies. Everything is drawn from ``random.Random`` streams
seeded by ``seed``, and written in a fixed order, so one seed always gives the same bytes.

A scenario of more than ``REGION_THRESHOLD`` members is a province: its branches are split
into regions (companies, 分公司) of about ``REGION_SIZE`` members, and each region runs its
own classes for its own members, as real provinces do; only remote e-learning is
province-wide. Without the split every class would be open to the whole province and the
eligible member-session pairs would grow with the square of the members.

How the company is shaped beyond its size (seat supply, class and team sizes, minimum
sizes, caps, leave, blackouts, joiners and leavers, regions) is a ``models.families``
``Structure``; the default one draws the company this package always drew.

The modules, one job each, in the order a company is drawn and written:

- ``company``: what is drawn (``Company``, ``Unit``, ``Team``, ``Person``, ``Region``,
  ``SessionRow``) and the members' categories;
- ``names``: the Chinese names of bodies, teams, places and people;
- ``seasons``: holidays, peak seasons and the working weeks a session fits in;
- ``organisation``: units, teams, people and regions;
- ``roles``: tiers, tracks and categories;
- ``presence``: joining, leaving, leave and the training done before the horizon;
- ``pairs``: mentoring pairs;
- ``courses``, ``sessions``: the courses and every year's sessions of them;
- ``requirements``: the norms, work-study limits and team limits;
- ``draw``: ``draw_company``, every part from a random stream of its own;
- ``document``, ``table_files``: ``scenario.yaml`` and the CSV files;
- ``scenario_files``: ``generate_scenario``, which draws and writes;
- ``text``: how values are written (numerals, YAML flow text, date ranges).
"""

from .company import ACTIVISTS as ACTIVISTS
from .company import CADRES as CADRES
from .company import CATEGORIES as CATEGORIES
from .company import PARTY_MEMBERS as PARTY_MEMBERS
from .company import Company as Company
from .company import Person as Person
from .company import Region as Region
from .company import SessionRow as SessionRow
from .company import Team as Team
from .company import Unit as Unit
from .draw import draw_company as draw_company
from .organisation import REGION_SIZE as REGION_SIZE
from .organisation import REGION_THRESHOLD as REGION_THRESHOLD
from .scenario_files import MIN_MEMBERS as MIN_MEMBERS
from .scenario_files import generate_scenario as generate_scenario
