"""People and their employments: a hire checks bans and the one-carer rule; a full document number is
shown only to those entitled, and each showing is recorded."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filing.services.errors import require_operator
from notifications.services import notify
from registry.models import Institution, User
from registry.roles import Role
from registry.selectors import bureau_people, operators_by_institution, visible

from .. import documents
from ..models import DocumentView, Employment, NoCriminalRecord, Person, StaffRole
from ..selectors import active_ban

MAX_DAYS_AHEAD = 30  # how far ahead a start may be entered


class WorkforceError(Exception):
    """A request the rules refuse; `message` says why, `errors` per field."""

    def __init__(self, message, errors: dict[str, list[str]] | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or {}


def _tell_bureau(institution: Institution, title: str, body: str, key: str) -> None:
    reviewers = [pk for pk, _county in bureau_people([institution.region_id], roles=[Role.COUNTY_HEALTH])]
    notify(User.objects.filter(pk__in=reviewers), title=title, body=body, key=key)


def tell_bureau_banned(institution: Institution, *, name: str, document: str, ban) -> None:
    """A banned person was proposed for hire (by hand or in an import): the county reviewers hear of it."""
    _tell_bureau(
        institution,
        _("A banned person was proposed for hire: %(institution)s") % {"institution": institution.name},
        _("%(name)s (%(document)s) is banned from childcare work (%(body)s, %(date)s).")
        % {"name": name, "document": document, "body": ban.decided_by_body, "date": ban.decided_on},
        key=f"ban-hire:{ban.pk}:{institution.pk}",
    )


def tell_bureau_carer_elsewhere(
    institution: Institution, *, name: str, document: str, other: str, person_id: int
) -> None:
    """A carer still employed elsewhere was proposed: the new institution's reviewers see both places."""
    _tell_bureau(
        institution,
        _("A carer employed elsewhere was proposed for hire: %(institution)s")
        % {"institution": institution.name},
        _("%(name)s (%(document)s) is still employed as a carer at %(other)s.")
        % {"name": name, "document": document, "other": other},
        key=f"carer-elsewhere:{person_id}:{institution.pk}",
    )


def hire(
    *,
    institution: Institution,
    document_type: str,
    document_number: str,
    name: str,
    role: str,
    starts_on: datetime.date,
    acting_user: User,
    phone: str = "",
    no_criminal_record: tuple[str, datetime.date] | None = None,
) -> Employment:
    """An operator adds a person to the institution's register in a role. Refused for a banned person
    (the county bureau is told) and for a carer still employed as a carer elsewhere (the operator is not
    told where; the bureau sees both). The bureau's notice of a refusal is kept though the hire is not:
    the writes run in their own transaction, the notice after it. A no-criminal-record certificate (police
    station, date) is asked for unless the register already holds one for the person."""
    require_operator(acting_user, institution)
    try:
        number = documents.normalise(document_type, document_number)
    except ValidationError as error:
        raise WorkforceError(error.messages[0], {"document_number": error.messages}) from None
    digest = documents.digest(document_type, number)
    ban = active_ban(digest, timezone.localdate())
    if ban is not None:
        tell_bureau_banned(institution, name=name, document=documents.masked(number), ban=ban)
        raise WorkforceError(
            _(
                "This person may not work in childcare (a ban is on record). The county health bureau has "
                "been told."
            ),
            {"document_number": [_("A ban is on record for this document.")]},
        )
    if starts_on > timezone.localdate() + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise WorkforceError(
            _("The start is more than %(days)d days ahead: add the person when they are about to start.")
            % {"days": MAX_DAYS_AHEAD},
            {"starts_on": [_("Too far ahead.")]},
        )
    if (
        no_criminal_record is None
        and not NoCriminalRecord.objects.filter(person__document_digest=digest).exists()
    ):
        raise WorkforceError(
            _("Give the no-criminal-record certificate: the police station that issued it and its date."),
            {"police_station": [_("Required at hire.")]},
        )
    if no_criminal_record is not None:
        station, issued_on = no_criminal_record
        if not station.strip() or issued_on is None:
            raise WorkforceError(
                _("Give the no-criminal-record certificate: the police station that issued it and its date."),
                {"police_station": [_("Required at hire.")]},
            )
        if issued_on > timezone.localdate():
            raise WorkforceError(
                _("The date cannot be after today (%(day)s).") % {"day": issued_on},
                {"ncr_issued_on": [_("After today.")]},
            )
    already = Employment.objects.filter(
        person__document_digest=digest, institution=institution, role=role, ends_on__isnull=True
    )
    if already.exists():
        raise WorkforceError(
            _("This person is already on the roster in this role."), {"role": [_("Already on the roster.")]}
        )
    try:
        with transaction.atomic():
            person, _created = Person.objects.get_or_create(
                document_digest=digest,
                defaults={
                    "document_type": document_type,
                    "document_sealed": documents.seal(number),
                    "document_masked": documents.masked(number),
                    "name": name.strip(),
                    "phone": phone.strip(),
                    "created_by": acting_user,
                },
            )
            employment = Employment(
                person=person, institution=institution, role=role, starts_on=starts_on, created_by=acting_user
            )
            employment._history_user = acting_user
            employment.save()
            if no_criminal_record is not None:
                record = NoCriminalRecord(
                    person=person,
                    police_station=no_criminal_record[0].strip(),
                    issued_on=no_criminal_record[1],
                    added_by=acting_user,
                )
                record._history_user = acting_user
                record.save()
    except IntegrityError:
        if role != StaffRole.CARER:
            raise
        person = Person.objects.get(document_digest=digest)
        elsewhere = (
            Employment.objects.filter(person=person, role=StaffRole.CARER, ends_on__isnull=True)
            .select_related("institution")
            .first()
        )
        if elsewhere is not None and elsewhere.institution_id != institution.pk:
            tell_bureau_carer_elsewhere(
                institution,
                name=person.name,
                document=person.document_masked,
                other=elsewhere.institution.name,
                person_id=person.pk,
            )
        if elsewhere is not None and elsewhere.institution_id == institution.pk:
            raise WorkforceError(
                _("This person is already a carer here."), {"role": [_("Already a carer here.")]}
            ) from None
        raise WorkforceError(
            _(
                "This person is still employed as a carer at another institution. A carer works at one "
                "institution at a time: that employment must end first."
            ),
            {"role": [_("Still a carer elsewhere.")]},
        ) from None
    return employment


@transaction.atomic
def employment_end(*, employment: Employment, ends_on: datetime.date, acting_user: User) -> Employment:
    employment = Employment.objects.select_for_update().select_related("institution").get(pk=employment.pk)
    require_operator(acting_user, employment.institution)
    if employment.ends_on is not None:
        raise WorkforceError(_("This employment has already ended."))
    if ends_on < employment.starts_on:
        raise WorkforceError(
            _("An employment cannot end before it starts."), {"ends_on": [_("Before the start.")]}
        )
    if ends_on > timezone.localdate():
        raise WorkforceError(
            _("The last day cannot be after today: end the employment on the person's last day."),
            {"ends_on": [_("After today.")]},
        )
    employment.ends_on = ends_on
    employment._history_user = acting_user
    employment.save(update_fields=["ends_on"])
    return employment


REOPEN_DAYS = 30  # an ending recorded by mistake may be undone this long after the last day


def employment_reopen(*, employment: Employment, acting_user: User) -> Employment:
    """Undo an ending recorded by mistake, within 30 days of the last day; refused for a banned person
    and, for a carer, while they are a carer elsewhere (the database decides, as at hire)."""
    with transaction.atomic():
        employment = (
            Employment.objects.select_for_update()
            .select_related("institution", "person")
            .get(pk=employment.pk)
        )
        require_operator(acting_user, employment.institution)
        if employment.ends_on is None:
            raise WorkforceError(_("This employment has not ended."))
        if employment.ends_on < timezone.localdate() - datetime.timedelta(days=REOPEN_DAYS):
            raise WorkforceError(
                _(
                    "An ending can be undone within %(days)d days of the last day; add the person again "
                    "instead."
                )
                % {"days": REOPEN_DAYS}
            )
        if active_ban(employment.person.document_digest, timezone.localdate()) is not None:
            raise WorkforceError(_("This person may not work in childcare (a ban is on record)."))
        employment.ends_on = None
        employment._history_user = acting_user
        try:
            with transaction.atomic():
                employment.save(update_fields=["ends_on"])
        except IntegrityError:
            raise WorkforceError(
                _("This person is now a carer at another institution: that employment must end first.")
            ) from None
    return employment


def person_document(*, person: Person, viewer: User) -> str:
    """The full identity number, for the operators of an institution the person works at now and the staff
    of its county bureau only; each showing is recorded."""
    employments = Employment.objects.filter(person=person)
    institution_ids = list(employments.filter(ends_on__isnull=True).values_list("institution_id", flat=True))
    acts_for = any(viewer.pk in users for users in operators_by_institution(institution_ids).values())
    bureau = viewer.groups.filter(name=Role.COUNTY_HEALTH).exists() and visible(employments, viewer).exists()
    if not (acts_for or bureau):
        raise PermissionDenied(_("You may not see this identity number."))
    DocumentView.objects.create(person=person, viewer=viewer)
    return documents.unseal(person.document_sealed)
