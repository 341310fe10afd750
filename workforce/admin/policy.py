"""The certificate types each jurisdiction recognises, as policy data (national rows, a region's own)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from filing.admin.policy import RegionalPolicyAdmin
from registry.admin_scoping import NationalOrLocal

from ..models import CertificateType, StaffRole


class CertificateTypeForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("qualifies for"),
        choices=StaffRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CertificateType
        fields = ["region", "code", "name", "roles", "levels", "position"]


@admin.register(CertificateType)
class CertificateTypeAdmin(RegionalPolicyAdmin):
    form = CertificateTypeForm
    list_display = ["name", "region_name", "roles_text", "levels", "position"]
    list_filter = [NationalOrLocal]
    search_fields = ["name", "code"]

    def get_fields(self, request, obj=None):
        fields = list(self.form.Meta.fields)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only (a national row for a county): the roles by their names, not as stored.
            return ["region_name", "code", "name", "roles_text", "levels", "position"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return self.get_fields(request, obj)
        return super().get_readonly_fields(request, obj)

    @admin.display(description=_("qualifies for"))
    def roles_text(self, obj):
        labels = dict(StaffRole.choices)
        return "、".join(str(labels.get(role, role)) for role in obj.roles) or gettext("none")
