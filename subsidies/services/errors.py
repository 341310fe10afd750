from filing.services.errors import FilingError


class SubsidyError(FilingError):
    """A fee, recognition or subsidy request the rules refuse; `message` says why, `errors` per field."""
