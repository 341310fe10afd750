"""Bans (从业禁止 / 终身禁入): recorded by the county bureau or public security; every open employment of the
banned person is flagged, and its institution's operators and county bureau are told to end it."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.services import FilingError
from filing.services.materials import check_upload
from notifications.services import notify
from registry.models import Region, User
from registry.roles import Role
from registry.selectors import bureau_people, operators_by_institution

from .. import documents
from ..models import Ban, Employment, Person
from .people import WorkforceError


def ban_date_problems(*, decided_on, lifetime: bool, until) -> dict[str, str]:
    """What is wrong with a ban's dates, by field (the admin form shows them before anything is saved)."""
    problems = {}
    if decided_on and decided_on > timezone.localdate():
        problems["decided_on"] = _("The decision date cannot be after today.")
    if not lifetime and until is None:
        problems["until"] = _("A ban that is not for life needs its end date.")
    elif not lifetime and decided_on and until <= decided_on:
        problems["until"] = _("The ban must end after the decision date.")
    return problems


@transaction.atomic
def ban_record(
    *,
    document_type: str,
    document_number: str,
    name: str,
    reason: str,
    decided_by_body: str,
    decided_on: datetime.date,
    lifetime: bool,
    until: datetime.date | None,
    acting_user: User,
    scan=None,
) -> Ban:
    if not acting_user.has_perm("workforce.add_ban") or not acting_user.authority_id:
        raise PermissionDenied(_("You may not record bans."))
    try:
        number = documents.normalise(document_type, document_number)
    except ValidationError as error:
        raise WorkforceError(error.messages[0], {"document_number": error.messages}) from None
    problems = ban_date_problems(decided_on=decided_on, lifetime=lifetime, until=until)
    if problems:
        field, message = next(iter(problems.items()))
        raise WorkforceError(message, {field: [message]})
    if not reason.strip():
        raise WorkforceError(_("Give the reason for the ban."), {"reason": [_("Required.")]})
    digest = documents.digest(document_type, number)
    ban = Ban(
        document_type=document_type,
        document_digest=digest,
        document_sealed=documents.seal(number),
        document_masked=documents.masked(number),
        name=name.strip(),
        reason=reason.strip(),
        decided_by_body=decided_by_body.strip(),
        decided_on=decided_on,
        lifetime=lifetime,
        until=None if lifetime else until,
        region=Region.objects.get(authorities=acting_user.authority_id),
        recorded_by=acting_user,
    )
    if scan:
        try:
            ban.scan_type = check_upload(scan)
        except FilingError as error:
            raise WorkforceError(error.message, {"scan": [error.message]}) from None
        ban.scan, ban.scan_name = scan, scan.name[:255]
    ban._history_user = acting_user
    ban.save()
    _flag_employments(ban)
    return ban


def _flag_employments(ban: Ban) -> None:
    person = Person.objects.filter(document_digest=ban.document_digest).first()
    if person is None:
        return
    open_ones = list(
        Employment.objects.filter(person=person, ends_on__isnull=True).select_related("institution")
    )
    Employment.objects.filter(pk__in=[e.pk for e in open_ones]).update(ban_flagged=True)
    # Who is told, for all the employments at once: each institution's operators and county reviewers.
    operators = operators_by_institution({e.institution_id for e in open_ones})
    reviewers: dict[str, list[int]] = {}
    counties = {e.institution.region_id for e in open_ones}
    for pk, county in bureau_people(counties, roles=[Role.COUNTY_HEALTH]) if counties else ():
        reviewers.setdefault(county, []).append(pk)
    body = _("%(name)s may not work in childcare. End the employment.") % {"name": person.name}
    for employment in open_ones:
        institution = employment.institution
        notify(
            User.objects.filter(
                pk__in=[*operators.get(institution.pk, []), *reviewers.get(institution.region_id, [])]
            ),
            title=_("A ban is recorded against someone you employ: %(institution)s")
            % {"institution": institution.name},
            body=body,
            subject=employment,
            key=f"ban-flag:{ban.pk}:{employment.pk}",
        )
