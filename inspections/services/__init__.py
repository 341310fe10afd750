from .draws import draw_commit, draw_perform, draw_problems
from .errors import InspectionError
from .escalation import escalate_rectifications
from .inspections import findings_save, inspection_begin, inspection_record, inspection_start
from .rectifications import rectification_answer, rectification_close, rectification_reopen, suspension_lift

__all__ = [
    "InspectionError",
    "draw_commit",
    "draw_perform",
    "draw_problems",
    "escalate_rectifications",
    "findings_save",
    "inspection_begin",
    "inspection_record",
    "inspection_start",
    "rectification_answer",
    "rectification_close",
    "rectification_reopen",
    "suspension_lift",
]
