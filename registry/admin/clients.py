"""API clients in the admin: create one (the token is shown once), see when it was last used, revoke."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from ..admin_scoping import ScopedAdmin, date_set_filter
from ..models import ApiClient, Authority
from ..selectors import visible
from ..services import api_client_create, api_client_revoke

PUSHING_KINDS = [
    Authority.Kind.ESTABLISHMENT,
    Authority.Kind.CIVIL_AFFAIRS,
    Authority.Kind.MARKET_REGULATION,
    Authority.Kind.ADMIN_APPROVAL,
    Authority.Kind.EDUCATION,
]


class ApiClientAddForm(forms.ModelForm):
    authority = forms.ModelChoiceField(queryset=Authority.objects.none(), label=_("registration body"))

    class Meta:
        model = ApiClient
        fields = ["name", "expires_at"]


@admin.register(ApiClient)
class ApiClientAdmin(ScopedAdmin):
    list_display = ["name", "authority_name", "key_hint", "created_at", "last_used_at", "expires_at", "state"]
    list_filter = [
        date_set_filter("revoked_at", pgettext_lazy("filter", "revoked"), _("Revoked"), _("In use")),
        "user__authority__kind",
    ]
    search_fields = ["name", "key_hint", "user__authority__name"]
    list_select_related = ["user__authority"]
    readonly_fields = ["user", "key_hint", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description=_("registration body"), ordering="user__authority__name")
    def authority_name(self, obj):
        return obj.user.authority

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.revoked_at:
            return _("Revoked")
        return _("Active") if obj.is_usable else _("Expired")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiClientAddForm
            form = super().get_form(request, obj, change=change, **kwargs)
            form.base_fields["authority"].queryset = visible(
                Authority.objects.filter(kind__in=PUSHING_KINDS).select_related("region"), request.user
            )
            return form
        kwargs["fields"] = ["name", "expires_at"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["authority", "name", "expires_at"]})]
        return [
            (
                None,
                {
                    "fields": [
                        "name",
                        "user",
                        "key_hint",
                        "created_at",
                        "last_used_at",
                        "expires_at",
                        "revoked_at",
                    ]
                },
            )
        ]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        client, token = api_client_create(
            authority=form.cleaned_data["authority"], name=obj.name, expires_at=obj.expires_at
        )
        obj.__dict__.update({k: v for k, v in client.__dict__.items() if k != "_state"})
        obj._state.adding = False
        obj._state.db = client._state.db
        messages.warning(
            request,
            _("Copy the token now; it is stored only as a hash and cannot be shown again: %(token)s")
            % {"token": token},
        )

    @admin.action(description=_("Revoke the selected API clients"), permissions=["change"])
    def revoke(self, request, queryset):
        if request.POST.get("post") != "yes":
            return TemplateResponse(
                request,
                "admin/registry/apiclient/revoke_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Revoke API clients?"),
                    "opts": self.model._meta,
                    "clients": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        count = 0
        for client in queryset:
            if client.revoked_at is None:
                api_client_revoke(client=client)
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d API client revoked.", "%(count)d API clients revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )
        return None
