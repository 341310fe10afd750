"""How operators get an account: self sign-up matched to a pushed registration and confirmed by e-mail,
then approved by the county bureau; or an invitation from the bureau."""

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications.services import notify, settle
from registry.models import Institution, User
from registry.roles import Role
from registry.selectors import bureau_people, operators_by_institution, visible
from registry.services import operator_grant, operator_revoke

from ..models import OperatorInvitation, OperatorSignup
from .errors import FilingError

CONFIRM_SALT = "filing.signup-confirm"
INVITE_SALT = "filing.invitation"
LINK_MAX_AGE = datetime.timedelta(days=3)
APPROVE_PERMISSION = "filing.change_operatorsignup"


def _mail_on_commit(subject: str, body: str, to: str) -> None:
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))


@transaction.atomic
def signup_create(
    *,
    uscc: str,
    legal_representative: str,
    username: str,
    email: str,
    password: str,
    full_name: str,
    phone: str,
    confirm_url: str,
) -> OperatorSignup:
    """Match the USCC and legal representative to a pushed registration, create an inactive account and
    send the confirmation link. `confirm_url` is formatted with the signed token."""
    institution = (
        Institution.objects.select_related("registration")
        .filter(uscc=uscc.strip().upper(), registration__legal_representative=legal_representative.strip())
        .first()
    )
    if institution is None:
        raise FilingError(
            _(
                "No registration matches this USCC and legal representative. Check both against the licence; "
                "if the registration body has not pushed it yet, ask them to."
            ),
            {"uscc": [_("No matching registration.")]},
        )
    if User.objects.filter(username=username).exists():
        raise FilingError(_("This user name is taken."), {"username": [_("This user name is taken.")]})
    user = User(username=username, email=email, first_name=full_name, phone=phone, is_active=False)
    user.set_password(password)
    user.save()
    signup = OperatorSignup.objects.create(user=user, institution=institution)
    token = signing.dumps({"signup": signup.pk}, salt=CONFIRM_SALT)
    _mail_on_commit(
        _("Confirm your e-mail for %(name)s") % {"name": institution.name},
        _("Open this link within three days to confirm your e-mail address:\n%(url)s")
        % {"url": confirm_url.format(token=token)},
        email,
    )
    return signup


@transaction.atomic
def signup_confirm(*, token: str) -> OperatorSignup:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise FilingError(_("This confirmation link has expired. Sign up again.")) from None
    except signing.BadSignature:
        raise FilingError(_("This confirmation link is not valid.")) from None
    signup = (
        OperatorSignup.objects.select_for_update()
        .select_related("user", "institution")
        .get(pk=data["signup"])
    )
    if signup.status == OperatorSignup.Status.UNCONFIRMED:
        signup.status = OperatorSignup.Status.PENDING
        signup.confirmed_at = timezone.now()
        signup.save(update_fields=["status", "confirmed_at"])
        signup.user.is_active = True
        signup.user.save(update_fields=["is_active"])
        _tell_reviewers(signup)
    return signup


def _tell_reviewers(signup: OperatorSignup) -> None:
    """Who decides hears of a sign-up waiting for them: the institution's operators, or for its first
    operator the county's reviewers."""
    colleagues = _operators_of(signup.institution_id)
    if colleagues:
        url = reverse("portal:colleagues", args=[signup.institution_id])
    else:
        url = reverse("admin:filing_operatorsignup_change", args=[signup.pk])
    reviewers = colleagues or [
        pk for pk, _county in bureau_people([signup.institution.region_id], roles=[Role.COUNTY_HEALTH])
    ]
    with override(settings.LANGUAGE_CODE):
        title = _("Operator sign-up to approve: %(name)s") % {"name": signup.institution.name}
        body = _("%(person)s asks to act for %(name)s in the operator portal.") % {
            "person": signup.user.get_full_name() or signup.user.username,
            "name": signup.institution.name,
        }
    notify(
        User.objects.filter(pk__in=reviewers),
        title=title,
        body=body,
        subject=signup,
        url=url,
        key=f"signup:{signup.pk}",
    )


def _operators_of(institution_id: int) -> list[int]:
    return operators_by_institution([institution_id]).get(institution_id, [])


def _require_approver(user: User, signup: OperatorSignup) -> None:
    """The bureau approves an institution's first operator; after that its operators decide on their
    colleagues."""
    operators = _operators_of(signup.institution_id)
    if user.pk in operators:
        return
    if operators:
        raise PermissionDenied(
            _("This institution has operators: they decide on their colleagues' sign-ups in the portal.")
        )
    if (
        not user.has_perm(APPROVE_PERMISSION)
        or not visible(OperatorSignup.objects.filter(pk=signup.pk), user).exists()
    ):
        raise PermissionDenied(_("You may not decide on this sign-up."))


@transaction.atomic
def signup_approve(*, signup: OperatorSignup, acting_user: User) -> OperatorSignup:
    _require_approver(acting_user, signup)
    signup = (
        OperatorSignup.objects.select_for_update().select_related("user", "institution").get(pk=signup.pk)
    )
    if signup.status != OperatorSignup.Status.PENDING:
        raise FilingError(_("Only a confirmed sign-up awaiting approval can be approved."))
    signup.status = OperatorSignup.Status.APPROVED
    signup.decided_by, signup.decided_at = acting_user, timezone.now()
    signup._history_user = acting_user
    signup.save()
    settle(signup)
    operator_grant(user=signup.user, institution=signup.institution)
    _mail_on_commit(
        _("Your account for %(name)s is approved") % {"name": signup.institution.name},
        _("You can now sign in to the operator portal and file."),
        signup.user.email,
    )
    return signup


@transaction.atomic
def signup_reject(*, signup: OperatorSignup, acting_user: User, note: str) -> OperatorSignup:
    _require_approver(acting_user, signup)
    signup = OperatorSignup.objects.select_for_update().get(pk=signup.pk)
    if signup.status not in (OperatorSignup.Status.PENDING, OperatorSignup.Status.UNCONFIRMED):
        raise FilingError(_("This sign-up has already been decided."))
    signup.status = OperatorSignup.Status.REJECTED
    signup.decided_by, signup.decided_at, signup.note = acting_user, timezone.now(), note
    signup._history_user = acting_user
    signup.save()
    settle(signup)
    return signup


@transaction.atomic
def invitation_create(*, institution: Institution, email: str, acting_user: User, accept_url: str):
    colleague = acting_user.pk in _operators_of(institution.pk)
    if not colleague and (
        not acting_user.has_perm("filing.add_operatorinvitation")
        or not visible(Institution.objects.filter(pk=institution.pk), acting_user).exists()
    ):
        raise PermissionDenied(_("You may not invite operators for this institution."))
    invitation = OperatorInvitation.objects.create(
        institution=institution, email=email, invited_by=acting_user, expires_at=timezone.now() + LINK_MAX_AGE
    )
    token = signing.dumps({"invitation": invitation.pk}, salt=INVITE_SALT)
    _mail_on_commit(
        _("Invitation to file for %(name)s") % {"name": institution.name},
        _(
            "%(bureau)s invites you to act for %(name)s in the operator portal. Open this link within three "
            "days:\n%(url)s"
        )
        % {
            "bureau": acting_user.authority or acting_user,
            "name": institution.name,
            "url": accept_url.format(token=token),
        },
        email,
    )
    return invitation


def invitation_from_token(token: str) -> OperatorInvitation:
    try:
        data = signing.loads(token, salt=INVITE_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        raise FilingError(_("This invitation link is not valid or has expired.")) from None
    invitation = OperatorInvitation.objects.select_related("institution").get(pk=data["invitation"])
    if invitation.accepted_at is not None:
        raise FilingError(_("This invitation has already been used."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str, full_name: str) -> User:
    invitation = invitation_from_token(token)
    invitation = OperatorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise FilingError(_("This invitation has already been used."))
    if User.objects.filter(username=username).exists():
        raise FilingError(_("This user name is taken."), {"username": [_("This user name is taken.")]})
    user = User(username=username, email=invitation.email, first_name=full_name)
    user.set_password(password)
    user.save()
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    operator_grant(user=user, institution=invitation.institution)
    return user


@transaction.atomic
def operator_remove(*, institution: Institution, user: User, acting_user: User) -> None:
    """An operator removes a colleague (or the bureau removes someone who left). An institution keeps at
    least one operator unless the bureau removes the last."""
    operators = _operators_of(institution.pk)
    bureau = acting_user.has_perm(APPROVE_PERMISSION) and (
        visible(Institution.objects.filter(pk=institution.pk), acting_user).exists()
    )
    if acting_user.pk not in operators and not bureau:
        raise PermissionDenied(_("You may not remove operators of this institution."))
    if user.pk not in operators:
        raise FilingError(_("%(person)s does not act for this institution.") % {"person": user})
    if len(operators) == 1 and not bureau:
        raise FilingError(
            _("%(person)s is the institution's only operator; invite a colleague first.") % {"person": user}
        )
    operator_revoke(user=user, institution=institution)
