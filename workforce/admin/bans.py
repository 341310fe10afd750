from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from filing.services import FilingError
from filing.services.materials import check_upload
from registry.admin_scoping import ScopedAdmin

from .. import documents
from ..models import Ban
from ..services import ban_record
from ..services.bans import ban_date_problems


class BanForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "document_type" in self.fields:  # the add form (a recorded ban is shown read-only)
            self.fields["document_type"].initial = "ric"
            self.fields["document_type"].choices = [c for c in self.fields["document_type"].choices if c[0]]

    document_number = forms.CharField(label=_("document number"), max_length=32)
    scan = forms.FileField(
        label=_("decision (scan)"), required=False, help_text=_("PDF, JPG or PNG, at most 10 MB.")
    )

    class Meta:
        model = Ban
        fields = ["document_type", "name", "reason", "decided_by_body", "decided_on", "lifetime", "until"]

    def clean(self):
        data = super().clean()
        if data.get("document_type") and data.get("document_number"):
            try:
                documents.normalise(data["document_type"], data["document_number"])
            except ValidationError as error:
                self.add_error("document_number", error)
        if data.get("scan"):
            try:
                check_upload(data["scan"])
            except FilingError as error:
                self.add_error("scan", error.message)
        for field, message in ban_date_problems(
            decided_on=data.get("decided_on"), lifetime=data.get("lifetime"), until=data.get("until")
        ).items():
            self.add_error(field, message)
        return data


ADD_FIELDS = [
    "document_type",
    "document_number",
    "name",
    "reason",
    "decided_by_body",
    "decided_on",
    "lifetime",
    "until",
    "scan",
]
SHOW_FIELDS = [
    "name",
    "document_type",
    "document_masked",
    "reason",
    "decided_by_body",
    "decided_on",
    "lifetime",
    "until",
    "decision",
    "region",
    "recorded_by",
    "recorded_at",
]


@admin.register(Ban)
class BanAdmin(ScopedAdmin):
    form = BanForm
    list_display = ["name", "document_masked", "decided_by_body", "decided_on", "lifetime", "until", "region"]
    list_filter = ["lifetime"]
    search_fields = ["name", "decided_by_body"]
    list_select_related = ["region"]

    @admin.display(description=_("decision (scan)"))
    def decision(self, obj):
        if not obj.scan:
            return gettext("no scan")
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("workforce:ban-scan", args=[obj.pk]),
            obj.scan_name,
        )

    def get_fields(self, request, obj=None):
        return ADD_FIELDS if obj is None else SHOW_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else SHOW_FIELDS

    def has_change_permission(self, request, obj=None):
        return False  # a ban is recorded once; a correction is a new record

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in ADD_FIELDS}
        ban = ban_record(acting_user=request.user, **data)
        obj.pk, obj.region_id, obj.document_masked = ban.pk, ban.region_id, ban.document_masked
