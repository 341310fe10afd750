from .directory import DirectoryEntry
from .escalation import EscalationRung, EscalationStep
from .filings import PARTICULARS, ClassType, Filing, FilingClass, ReturnReason, Transition
from .kindergartens import NurseryClass
from .lifecycle import AnnualReport, Termination
from .materials import Material, material_upload_to
from .operators import OperatorInvitation, OperatorSignup
from .policy import FilingPolicy, MaterialRequirement, ReceiptCounter
from .reports import MonthlyReport

__all__ = [
    "PARTICULARS",
    "AnnualReport",
    "ClassType",
    "DirectoryEntry",
    "EscalationRung",
    "EscalationStep",
    "Filing",
    "FilingClass",
    "FilingPolicy",
    "Material",
    "MaterialRequirement",
    "MonthlyReport",
    "NurseryClass",
    "OperatorInvitation",
    "OperatorSignup",
    "ReceiptCounter",
    "ReturnReason",
    "Termination",
    "Transition",
    "material_upload_to",
]
