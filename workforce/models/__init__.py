from .bans import Ban
from .employment import Employment, StaffRole
from .people import DocumentType, DocumentView, Person

__all__ = ["Ban", "DocumentType", "DocumentView", "Employment", "Person", "StaffRole"]
