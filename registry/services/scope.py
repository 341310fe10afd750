"""The county bureau's answer to a registration whose business scope names no childcare."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import settle

from ..models import Registration, User
from ..selectors import visible

DECIDE_PERMISSION = "registry.change_institution"


@transaction.atomic
def scope_decide(*, registration: Registration, decision: str, note: str, acting_user: User) -> Registration:
    """Confirm the institution is childcare after all, or decide it is not one (with the reason): then it
    leaves the unfiled ladder and the unfiled lists. A later decision replaces an earlier one; the
    history keeps both."""
    if (
        not acting_user.has_perm(DECIDE_PERMISSION)
        or not visible(Registration.objects.filter(pk=registration.pk), acting_user).exists()
    ):
        raise PermissionDenied(_("You may not decide on this registration."))
    if decision not in Registration.ScopeDecision.values:
        raise ValidationError(_("Choose a decision."))
    note = (note or "").strip()
    if decision == Registration.ScopeDecision.NOT_CHILDCARE and not note:
        raise ValidationError({"note": _("Say why it is not a childcare institution.")})
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.scope_decision = decision
    registration.scope_decision_note = note
    registration.scope_decided_at, registration.scope_decided_by = timezone.now(), acting_user
    registration._history_user = acting_user
    registration.save(
        update_fields=["scope_decision", "scope_decision_note", "scope_decided_at", "scope_decided_by"]
    )
    settle(registration)  # the reviewers' "business scope to check" notices are answered
    return registration
