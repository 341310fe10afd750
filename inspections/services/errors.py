from filing.services.errors import FilingError


class InspectionError(FilingError):
    """A supervision request the rules refuse; `message` says why, `errors` per field or item."""
