from .checklists import Checklist, ChecklistItem, Department, RectificationPolicy, Severity
from .draws import Draw, InspectionPlan
from .inspections import Finding, FindingPhoto, Inspection, Outcome, Result
from .rectifications import Rectification, RectificationEvent, RectificationFile, Suspension

__all__ = [
    "Checklist",
    "ChecklistItem",
    "Department",
    "Draw",
    "Finding",
    "FindingPhoto",
    "Inspection",
    "InspectionPlan",
    "Outcome",
    "Rectification",
    "RectificationEvent",
    "RectificationFile",
    "RectificationPolicy",
    "Result",
    "Severity",
    "Suspension",
]
