from .bans import Ban
from .employment import Employment, StaffRole
from .people import DocumentType, DocumentView, Person
from .records import RECORD_KINDS, Certificate, CertificateType, HealthCheck, NoCriminalRecord, Training

__all__ = [
    "RECORD_KINDS",
    "Ban",
    "Certificate",
    "CertificateType",
    "DocumentType",
    "DocumentView",
    "Employment",
    "HealthCheck",
    "NoCriminalRecord",
    "Person",
    "StaffRole",
    "Training",
]
