"""The plan report: one offline HTML file that shows a plan at a glance.

``folder`` reads a plan folder, ``data`` extracts what the report shows from it and its
scenario, ``figures`` and ``render`` turn that into Plotly figures and one HTML file.
"""

from .data import ReportData as ReportData
from .data import build_report as build_report
from .plan_folder import PlanFolder as PlanFolder
from .plan_folder import read_plan_folder as read_plan_folder
from .render import render_report as render_report
from .render import write_report as write_report
from .write import REPORT_NAME as REPORT_NAME
from .write import report_plan_folder as report_plan_folder
