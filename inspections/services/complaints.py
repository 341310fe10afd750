"""Complaints from the public: submitted with a tracking code, triaged by the county health bureau
(routed to the responsible department with a deadline from policy, or not accepted with a reason),
answered by the bureau or the department; an upheld complaint may enter the institution's credit record.
The complainant's name and phone stay with the authorities."""

import datetime
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from registry.models import Authority, Institution, Region, User
from registry.models.institutions import FilingStatus
from registry.roles import Role
from registry.selectors import authority_kind, bureau_people, most_specific, visible

from ..models import Complaint, ComplaintPolicy, CreditRecord, Department, Inspection
from .errors import InspectionError

# Letters and digits people read back over the phone without confusing them (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
DEFAULT_DAYS = 15


def new_tracking_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"TS{body}"


def complaint_days(region_code: str) -> int:
    row = most_specific(ComplaintPolicy.objects.all(), region_code, key=lambda r: "days").get("days")
    return row.days if row else DEFAULT_DAYS


def complaint_counties():
    """Counties where the platform takes complaints: those with a health bureau on it."""
    return Region.objects.counties().filter(authorities__kind=Authority.Kind.HEALTH).order_by("pk").distinct()


def _match_institution(region_code: str, text: str) -> Institution | None:
    text = text.strip()
    if not text:
        return None
    found = Institution.objects.filter(region_id=region_code).exclude(filing_status=FilingStatus.TERMINATED)
    return found.filter(Q(uscc=text.upper()) | Q(name=text)).first()


@transaction.atomic
def complaint_submit(
    *,
    region_code: str,
    institution_text: str,
    what_happened: str,
    occurred_on: datetime.date | None = None,
    contact_name: str = "",
    contact_phone: str = "",
) -> Complaint:
    errors: dict[str, list[str]] = {}
    if not complaint_counties().filter(pk=region_code).exists():
        errors["region"] = [_("Choose the county where the institution is.")]
    if not institution_text.strip():
        errors["institution_text"] = [_("Name the institution or give its address.")]
    if len(what_happened.strip()) < 10:
        errors["what_happened"] = [_("Describe what happened (at least 10 characters).")]
    if occurred_on and occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("The date cannot be in the future.")]
    if errors:
        raise InspectionError(_("The complaint could not be sent; see below."), errors)
    code = new_tracking_code()
    while Complaint.objects.filter(tracking_code=code).exists():
        code = new_tracking_code()
    complaint = Complaint.objects.create(
        tracking_code=code,
        region_id=region_code,
        institution=_match_institution(region_code, institution_text),
        institution_text=institution_text.strip(),
        what_happened=what_happened.strip(),
        occurred_on=occurred_on,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
    )
    reviewers = [user_id for user_id, _county in bureau_people([region_code], roles=[Role.COUNTY_HEALTH])]
    notify(
        User.objects.filter(pk__in=reviewers),
        title=_("New complaint %(code)s") % {"code": code},
        body=_("About %(institution)s. Triage it: route it to the responsible department or reply.")
        % {"institution": complaint.institution_text},
        url=reverse("admin:inspections_complaint_change", args=[complaint.pk]),
        subject=complaint,
        key=f"complaint-received:{complaint.pk}",
    )
    return complaint


def triages(user: User) -> bool:
    """Whether a person triages complaints (the health bureau), where they may change them."""
    return user.has_perm("inspections.change_complaint") and (
        user.is_superuser or authority_kind(user) == Authority.Kind.HEALTH
    )


def _require_bureau(user: User, complaint: Complaint) -> None:
    if (
        not triages(user)
        or not visible(Complaint.objects.filter(pk=complaint.pk), user, action="change").exists()
    ):
        raise PermissionDenied(_("The county health bureau triages complaints."))


def _require_handler(user: User, complaint: Complaint) -> None:
    if not visible(Complaint.objects.filter(pk=complaint.pk), user, action="change").exists():
        raise PermissionDenied(_("You do not handle this complaint."))


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


@transaction.atomic
def complaint_route(
    *,
    complaint: Complaint,
    department: str,
    deadline: datetime.date | None = None,
    note: str = "",
    institution: Institution | None = None,
    acting_user: User,
) -> Complaint:
    complaint = _locked(complaint)
    _require_bureau(acting_user, complaint)
    if institution is not None:
        if institution.region_id != complaint.region_id:
            message = _("Choose an institution of the complaint's county.")
            raise InspectionError(message, {"institution": [message]})
        complaint.institution = institution
    if complaint.status not in (Complaint.Status.RECEIVED, Complaint.Status.ROUTED):
        raise InspectionError(_("An answered complaint is not routed again."))
    if department not in Department.values:
        raise InspectionError(_("Choose a department."), {"department": [_("Choose a department.")]})
    deadline = deadline or timezone.localdate() + datetime.timedelta(days=complaint_days(complaint.region_id))
    if deadline <= timezone.localdate():
        raise InspectionError(
            _("Give a deadline after today."), {"deadline": [_("Give a deadline after today.")]}
        )
    complaint.status, complaint.department, complaint.deadline = Complaint.Status.ROUTED, department, deadline
    complaint.routing_note, complaint.routed_at, complaint.handled_by = (
        note.strip(),
        timezone.now(),
        acting_user,
    )
    complaint.save()
    body = Authority.objects.filter(kind=department, region_id=complaint.region_id).first()
    if body is not None and department != Authority.Kind.HEALTH:
        notify(
            User.objects.filter(authority=body, is_active=True),
            title=_("Complaint routed to you: %(code)s") % {"code": complaint.tracking_code},
            body=_("About %(institution)s; answer by %(day)s.")
            % {"institution": complaint.institution_text, "day": deadline.isoformat()},
            url=reverse("admin:inspections_complaint_change", args=[complaint.pk]),
            subject=complaint,
            key=f"complaint-routed:{complaint.pk}:{department}",
        )
    return complaint


@transaction.atomic
def complaint_answer(
    *, complaint: Complaint, reply: str, upheld: bool, credit_severity: str = "", acting_user: User
) -> Complaint:
    """Reply to the complainant (shown with the tracking code). An upheld complaint about an institution
    on the platform may enter its credit record."""
    complaint = _locked(complaint)
    _require_handler(acting_user, complaint)
    if complaint.status in (Complaint.Status.ANSWERED, Complaint.Status.NOT_ACCEPTED):
        raise InspectionError(_("This complaint has already been answered."))
    if not reply.strip():
        raise InspectionError(_("Write the reply to the complainant."), {"reply": [_("Required.")]})
    if credit_severity and not (upheld and complaint.institution_id):
        message = _("Only an upheld complaint about a known institution enters a credit record.")
        raise InspectionError(message, {"credit_severity": [message]})
    complaint.status, complaint.reply, complaint.upheld = Complaint.Status.ANSWERED, reply.strip(), upheld
    complaint.answered_at, complaint.handled_by = timezone.now(), acting_user
    complaint.save()
    if credit_severity:
        today = timezone.localdate()
        CreditRecord.objects.create(
            subject=CreditRecord.Subject.INSTITUTION,
            institution_id=complaint.institution_id,
            region_id=complaint.region_id,
            kind=CreditRecord.Kind.COMPLAINT_UPHELD,
            severity=credit_severity,
            description=_("Complaint %(code)s upheld: %(reply)s")
            % {"code": complaint.tracking_code, "reply": reply},
            decided_by_body=str(acting_user.authority or ""),
            decided_on=today,
            valid_until=today + datetime.timedelta(days=365),
            complaint=complaint,
            recorded_by=acting_user,
        )
    return complaint


@transaction.atomic
def complaint_decline(*, complaint: Complaint, reason: str, acting_user: User) -> Complaint:
    """Not accepted (outside the platform's remit, a duplicate): the reason is the reply."""
    complaint = _locked(complaint)
    _require_bureau(acting_user, complaint)
    if complaint.status != Complaint.Status.RECEIVED:
        raise InspectionError(_("Only a complaint awaiting triage can be declined."))
    if not reason.strip():
        raise InspectionError(_("Say why it is not accepted."), {"reason": [_("Required.")]})
    complaint.status, complaint.reply, complaint.answered_at = (
        Complaint.Status.NOT_ACCEPTED,
        reason.strip(),
        timezone.now(),
    )
    complaint.handled_by = acting_user
    complaint.save()
    return complaint


@transaction.atomic
def complaint_link_inspection(
    *, complaint: Complaint, inspection: Inspection, acting_user: User
) -> Complaint:
    complaint = _locked(complaint)
    _require_handler(acting_user, complaint)
    if complaint.institution_id and complaint.institution_id != inspection.institution_id:
        raise InspectionError(_("The inspection is of another institution."))
    complaint.inspection = inspection
    complaint.save(update_fields=["inspection"])
    return complaint
