from .assessments import (
    appeal_decide,
    appeal_lodge,
    assessment_publish,
    assessment_rectify,
    assessment_score,
    evidence_add,
    evidence_remove,
    round_open,
    self_assessment_save,
)
from .complaints import (
    complaint_answer,
    complaint_decline,
    complaint_link_inspection,
    complaint_route,
    complaint_submit,
)
from .credit import credit_from_ban, credit_from_overdue, credit_record_add
from .draws import draw_commit, draw_perform, draw_problems
from .errors import InspectionError
from .escalation import escalate_rectifications
from .evaluations import evaluation_record
from .inspections import (
    finding_photo_remove,
    findings_save,
    inspection_begin,
    inspection_record,
    inspection_start,
)
from .rectifications import (
    rectification_answer,
    rectification_close,
    rectification_extend,
    rectification_reopen,
    suspension_lift,
)

__all__ = [
    "InspectionError",
    "appeal_decide",
    "appeal_lodge",
    "assessment_publish",
    "assessment_rectify",
    "assessment_score",
    "complaint_answer",
    "complaint_decline",
    "complaint_link_inspection",
    "complaint_route",
    "complaint_submit",
    "credit_from_ban",
    "credit_from_overdue",
    "credit_record_add",
    "draw_commit",
    "draw_perform",
    "draw_problems",
    "escalate_rectifications",
    "evaluation_record",
    "evidence_add",
    "evidence_remove",
    "finding_photo_remove",
    "findings_save",
    "inspection_begin",
    "inspection_record",
    "inspection_start",
    "rectification_answer",
    "rectification_close",
    "rectification_extend",
    "rectification_reopen",
    "round_open",
    "self_assessment_save",
    "suspension_lift",
]
