from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import RegistrationConflict, User


class ConflictAlreadyResolved(Exception):
    pass


@transaction.atomic
def conflict_resolve(*, conflict: RegistrationConflict, resolution: str, acting_user: User) -> None:
    """Close a conflict with the bureau's note of what was done."""
    conflict = RegistrationConflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.resolved_at is not None:
        raise ConflictAlreadyResolved(_("This conflict was already resolved."))
    conflict.resolved_at = timezone.now()
    conflict.resolution = resolution
    conflict._history_user = acting_user
    conflict.save(update_fields=["resolved_at", "resolution"])
