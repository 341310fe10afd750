"""Operator accounts: the county bureau approves or rejects sign-ups and invites people by e-mail."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from registry.admin_scoping import ScopedAdmin, county_column, county_filter
from registry.selectors import visible_institutions

from ..models import OperatorInvitation, OperatorSignup
from ..services import FilingError, invitation_create, signup_approve, signup_reject
from .common import FilingAdminMedia, person


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("note"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Why the sign-up is rejected; kept with the sign-up."),
    )


@admin.register(OperatorSignup)
class OperatorSignupAdmin(ScopedAdmin):
    """People who signed up to act for an institution; the county bureau approves the confirmed ones."""

    Media = FilingAdminMedia

    list_display = ["person", "user_email", "institution", "county", "status", "created_at", "confirmed_at"]
    region_columns = ("county",)
    list_filter = ["status", county_filter("region")]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__email",
        "institution__name",
        "institution__uscc",
    ]
    list_select_related = ["user", "institution", "region"]
    fields = [
        "person",
        "user_email",
        "user_phone",
        "institution",
        "status",
        "created_at",
        "confirmed_at",
        "decided_by_person",
        "decided_at",
        "note",
    ]
    readonly_fields = fields
    decided_by_person = person("decided_by", _("decided by"))
    county = county_column()
    actions = ["approve", "reject"]

    def get_ordering(self, request):
        """County by county (the index's order), within a county sign-ups awaiting approval first, then
        those awaiting e-mail confirmation, then the decided."""
        return ["region", "queue_priority", "-created_at", "-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The list's actions decide; a single sign-up is only read.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("user"), ordering="user__username")
    def person(self, obj):
        return obj.user

    @admin.display(description=_("e-mail"), ordering="user__email")
    def user_email(self, obj):
        return obj.user.email

    @admin.display(description=_("phone"))
    def user_phone(self, obj):
        return obj.user.phone

    def _confirm(self, request, queryset, *, action, title, intro, form=None):
        return TemplateResponse(
            request,
            "admin/filing/operatorsignup/decide_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "intro": intro,
                "signups": queryset,
                "form": form,
                "action": action,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "media": self.media + (form.media if form else forms.Media()),
            },
        )

    def _decide(self, request, queryset, decide, done):
        """Call the service for each sign-up and report each outcome: one refusal does not stop the rest."""
        for signup in queryset:
            try:
                decide(signup)
            except (FilingError, PermissionDenied) as error:
                reason = error.message if isinstance(error, FilingError) else str(error)
                self.message_user(request, f"{signup} — {reason}", messages.ERROR)
            else:
                self.message_user(request, f"{signup} — {done}", messages.SUCCESS)

    @admin.action(description=_("Approve the selected sign-ups"), permissions=["change"])
    def approve(self, request, queryset):
        queryset = queryset.select_related("user", "institution")
        if request.POST.get("post") != "yes":
            return self._confirm(
                request,
                queryset,
                action="approve",
                title=gettext("Approve these sign-ups?"),
                intro=gettext(
                    "Each approved person may act for the institution in the operator portal. Only sign-ups "
                    "whose e-mail is confirmed can be approved."
                ),
            )
        self._decide(
            request,
            queryset,
            lambda signup: signup_approve(signup=signup, acting_user=request.user),
            gettext("approved"),
        )
        return None

    @admin.action(description=_("Reject the selected sign-ups"), permissions=["change"])
    def reject(self, request, queryset):
        queryset = queryset.select_related("user", "institution")
        form = RejectForm(request.POST if request.POST.get("post") == "yes" else None)
        if not form.is_valid():
            return self._confirm(
                request,
                queryset,
                action="reject",
                title=gettext("Reject these sign-ups?"),
                intro=gettext("The people below will not be able to act for these institutions."),
                form=form,
            )
        note = form.cleaned_data["note"].strip()
        self._decide(
            request,
            queryset,
            lambda signup: signup_reject(signup=signup, acting_user=request.user, note=note),
            gettext("rejected"),
        )
        return None


class InvitationForm(forms.ModelForm):
    class Meta:
        model = OperatorInvitation
        fields = ["institution", "email"]


class InvitationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("accepted", pgettext_lazy("invitation", "Accepted")),
            ("open", _("Not yet accepted")),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if self.value() == "open":
            return queryset.filter(accepted_at__isnull=True, expires_at__gt=now)
        if self.value() == "expired":
            return queryset.filter(accepted_at__isnull=True, expires_at__lte=now)
        return queryset


@admin.register(OperatorInvitation)
class OperatorInvitationAdmin(ScopedAdmin):
    """The bureau invites a person by e-mail to act for an institution of its jurisdiction; the service
    sends the link. Invitations are not edited afterwards."""

    Media = FilingAdminMedia

    form = InvitationForm
    list_display = [
        "email",
        "institution",
        "invited_by_person",
        "created_at",
        "expires_at",
        "accepted",
        "accepted_at",
    ]
    list_filter = [InvitationStateFilter, county_filter("institution__region")]
    search_fields = ["email", "institution__name", "institution__uscc"]
    list_select_related = ["institution", "invited_by"]
    autocomplete_fields = ["institution"]
    readonly_fields = ["invited_by_person", "created_at", "expires_at", "accepted_at", "accepted_by_person"]
    invited_by_person = person("invited_by", _("invited by"))
    accepted_by_person = person("accepted_by", _("accepted by"))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["institution", "email"]
        return ["institution", "email", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["institution", "email", *self.readonly_fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "institution":
            kwargs["queryset"] = visible_institutions(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=pgettext_lazy("invitation", "Accepted"), boolean=True, ordering="accepted_at")
    def accepted(self, obj):
        return obj.accepted_at is not None

    def save_model(self, request, obj, form, change):
        # build_absolute_uri would percent-encode the braces, so the placeholder is added after it.
        accept_url = request.build_absolute_uri("/portal/invitation/") + "{token}/"
        invitation = invitation_create(
            institution=form.cleaned_data["institution"],
            email=form.cleaned_data["email"],
            acting_user=request.user,
            accept_url=accept_url,
        )
        obj.__dict__.update({k: v for k, v in invitation.__dict__.items() if k != "_state"})
        obj._state.adding = False
        obj._state.db = invitation._state.db
