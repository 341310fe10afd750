from .filings import PARTICULARS, ClassType, Filing, FilingClass, ReturnReason, Transition
from .lifecycle import AnnualReport, Termination
from .materials import Material, material_upload_to
from .operators import OperatorInvitation, OperatorSignup
from .policy import FilingPolicy, MaterialRequirement, ReceiptCounter

__all__ = [
    "PARTICULARS",
    "AnnualReport",
    "ClassType",
    "Filing",
    "FilingClass",
    "FilingPolicy",
    "Material",
    "MaterialRequirement",
    "OperatorInvitation",
    "OperatorSignup",
    "ReceiptCounter",
    "ReturnReason",
    "Termination",
    "Transition",
    "material_upload_to",
]
