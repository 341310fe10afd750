"""The register's portal forms: they parse what operators type; workforce.services checks the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Certificate, DocumentType, HealthCheck, NoCriminalRecord, StaffRole, Training

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SCAN_HELP = _("PDF, JPG or PNG, at most 10 MB.")


class HireForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=64)
    document_type = forms.ChoiceField(label=_("document type"), choices=DocumentType.choices)
    document_number = forms.CharField(
        label=_("document number"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label=pgettext_lazy("staff", "role"), choices=[("", _("Choose a role…")), *StaffRole.choices]
    )
    starts_on = forms.DateField(label=_("employed from"), widget=DATE)
    phone = forms.CharField(
        label=_("phone"), max_length=32, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    police_station = forms.CharField(
        label=_("no-criminal-record certificate: police station"),
        max_length=128,
        required=False,
        help_text=_("Required unless the register already holds one for this person."),
    )
    ncr_issued_on = forms.DateField(
        label=_("no-criminal-record certificate: date"), required=False, widget=DATE
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("police_station")) != bool(data.get("ncr_issued_on")) and not self.errors:
            self.add_error("ncr_issued_on", _("Give both the police station and the date."))
        return data


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("last day"), widget=DATE)


class RecordForm(forms.ModelForm):
    scan = forms.FileField(label=_("scan"), required=False, help_text=SCAN_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = _("Choose…")


class CertificateForm(RecordForm):
    class Meta:
        model = Certificate
        fields = ["certificate_type", "number", "level", "issuer", "issued_on", "expires_on"]
        widgets = {"issued_on": DATE, "expires_on": DATE}

    def __init__(self, *args, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate_type"].queryset = self.fields["certificate_type"].queryset.filter(
            pk__in=[t.pk for t in types]
        )
        levels = list(dict.fromkeys(level for t in types for level in t.levels.split("、") if level))
        if levels:
            self.fields["level"].help_text = _("For example: %(levels)s") % {"levels": "、".join(levels[:6])}


class HealthCheckForm(RecordForm):
    class Meta:
        model = HealthCheck
        fields = ["checked_on", "examined_by", "result", "valid_until"]
        widgets = {
            "checked_on": DATE,
            "valid_until": forms.DateInput(
                attrs={"type": "date", "data-year-after": "id_health-check-checked_on"}, format="%Y-%m-%d"
            ),
        }


class TrainingForm(RecordForm):
    class Meta:
        model = Training
        fields = ["course", "hours", "provider", "completed_on"]
        widgets = {
            "completed_on": DATE,
            "hours": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
        }


class NoCriminalRecordForm(RecordForm):
    class Meta:
        model = NoCriminalRecord
        fields = ["police_station", "issued_on"]
        widgets = {"issued_on": DATE}


class ImportForm(forms.Form):
    sheet = forms.FileField(label=_("roster workbook (.xlsx)"), required=False)
