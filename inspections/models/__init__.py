from .assessments import Assessment, AssessmentItem, AssessmentRound
from .checklists import Checklist, ChecklistItem, Department, RectificationPolicy, Severity
from .complaints import Complaint, ComplaintPolicy
from .credit import CreditRecord
from .draws import Draw, InspectionPlan
from .evaluations import HealthEvaluation
from .inspections import Finding, FindingPhoto, Inspection, Outcome, Result
from .rectifications import Rectification, RectificationEvent, RectificationFile, Suspension
from .rubrics import GradeBand, Rubric, RubricDimension, RubricRequirement

__all__ = [
    "Assessment",
    "AssessmentItem",
    "AssessmentRound",
    "Checklist",
    "ChecklistItem",
    "Complaint",
    "ComplaintPolicy",
    "CreditRecord",
    "Department",
    "Draw",
    "Finding",
    "FindingPhoto",
    "GradeBand",
    "HealthEvaluation",
    "Inspection",
    "InspectionPlan",
    "Outcome",
    "Rectification",
    "RectificationEvent",
    "RectificationFile",
    "RectificationPolicy",
    "Result",
    "Rubric",
    "RubricDimension",
    "RubricRequirement",
    "Severity",
    "Suspension",
]
