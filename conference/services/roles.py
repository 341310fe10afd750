"""Roles over time: appointing a holder (ending the previous term) and ending a term."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from registry.models import User

from ..models import SINGLE_HOLDER_ROLES, UNIT_ROLES, Conference, MemberUnit, RoleAssignment
from ..selectors import current
from .common import ConferenceError, _saved


@transaction.atomic
def role_assign(
    *,
    conference: Conference,
    role: str,
    user: User,
    starts_on: datetime.date,
    unit: MemberUnit | None = None,
    acting_user: User | None = None,
) -> RoleAssignment:
    """`user` holds `role` from `starts_on`. For a role one person holds at a time (per unit for
    liaisons and members) the current holder's term ends the day before, so the history stays whole."""
    if role in UNIT_ROLES and unit is None:
        raise ConferenceError(
            _("A liaison or member is appointed for a member unit."), {"unit": [_("Required.")]}
        )
    if role not in UNIT_ROLES:
        unit = None
    if unit is not None and unit.conference_id != conference.pk:
        raise ConferenceError(
            _("That unit is not a member of this conference."), {"unit": [_("Not a member.")]}
        )
    existing = RoleAssignment.objects.select_for_update().filter(conference=conference, role=role, unit=unit)
    if existing.filter(user=user, ends_on__isnull=True, starts_on__lte=starts_on).exists():
        raise ConferenceError(_("%(user)s already holds this role.") % {"user": user})
    if role in SINGLE_HOLDER_ROLES:
        if existing.filter(starts_on__gte=starts_on).exists():
            raise ConferenceError(
                _("Someone else's term starts on or after that date; end it first."),
                {"starts_on": [_("Overlaps a later term.")]},
            )
        for previous in current(existing, starts_on):
            previous.ends_on = starts_on - datetime.timedelta(days=1)
            _saved(previous, acting_user)
    assignment = RoleAssignment(conference=conference, role=role, unit=unit, user=user, starts_on=starts_on)
    _saved(assignment, acting_user)
    return assignment


@transaction.atomic
def role_end(*, assignment: RoleAssignment, ends_on: datetime.date, acting_user: User | None = None) -> None:
    if ends_on < assignment.starts_on:
        raise ConferenceError(_("A term cannot end before it starts."))
    assignment.ends_on = ends_on
    _saved(assignment, acting_user)
