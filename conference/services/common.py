"""What every conference service shares: the errors they raise, handing notices to the notifications app,
admin links, saving with the acting user in the history, and the office check."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from registry.models import User

from ..models import Conference
from ..selectors import is_office


class ConferenceError(Exception):
    """A request the rules refuse; `message` says why in words the user understands."""

    def __init__(self, message, errors: dict[str, list[str]] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or {}


class TransitionNotAllowed(ConferenceError):
    pass


def _notify(users, **kwargs) -> int:
    """Hand notices to the notifications app (imported late: it is called, it never calls back)."""
    from notifications.services import notify

    kwargs["title"] = str(kwargs["title"])[:200]  # the inbox's title length; task titles run long
    return notify(users, **kwargs)


def _admin_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _saved(obj, acting_user, **kwargs) -> None:
    obj._history_user = acting_user
    obj.save(**kwargs)


def _require_office(user: User, conference: Conference, message: str) -> None:
    if not is_office(user, conference):
        raise PermissionDenied(message)
