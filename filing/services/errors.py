from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class FilingError(Exception):
    """A request the rules refuse; `message` says why in words the user understands, `errors` per item."""

    def __init__(self, message, errors: dict[str, list[str]] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or {}


class TransitionNotAllowed(FilingError):
    pass


def require_operator(user, institution) -> None:
    """Refuse anyone who does not act for the institution."""
    if not user.has_perm("registry.act_for_institution", institution):
        raise PermissionDenied(_("You do not act for this institution."))


__all__ = ["FilingError", "PermissionDenied", "TransitionNotAllowed", "require_operator"]
