from .assessments import (
    Assessment,
    AssessmentAppeal,
    AssessmentFile,
    AssessmentItem,
    AssessmentPolicy,
    AssessmentRound,
)
from .checklists import Checklist, ChecklistItem, Department, RectificationPolicy, Severity
from .complaints import Complaint, ComplaintPolicy
from .credit import CreditRecord
from .draws import Draw, InspectionPlan
from .evaluations import HealthEvaluation
from .inspections import Finding, FindingPhoto, Inspection, Outcome, Result
from .rectifications import Rectification, RectificationEvent, RectificationFile, Suspension
from .rubrics import GradeBand, Prefill, Rubric, RubricDimension, RubricRequirement

__all__ = [
    "Assessment",
    "AssessmentAppeal",
    "AssessmentFile",
    "AssessmentItem",
    "AssessmentPolicy",
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
    "Prefill",
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
