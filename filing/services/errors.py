from django.core.exceptions import PermissionDenied


class FilingError(Exception):
    """A request the rules refuse; `message` says why in words the user understands, `errors` per item."""

    def __init__(self, message, errors: dict[str, list[str]] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or {}


class TransitionNotAllowed(FilingError):
    pass


__all__ = ["FilingError", "PermissionDenied", "TransitionNotAllowed"]
