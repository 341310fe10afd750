from django import forms
from django.utils.translation import gettext_lazy as _

from filing.portal.forms import NUMBER
from registry.models import ServiceType


class InclusiveForm(forms.Form):
    """An inclusive recognition application: a fee per service the institution offers, its slots, and the
    undertaking."""

    slots = forms.IntegerField(label=_("slots"), min_value=1, widget=forms.NumberInput(attrs=NUMBER))
    inclusive_slots = forms.IntegerField(
        label=_("inclusive slots"),
        min_value=0,
        help_text=_("Slots offered at the inclusive fees."),
        widget=forms.NumberInput(attrs=NUMBER),
    )
    undertaking = forms.BooleanField(label=_("I accept the undertaking above."), required=False)

    def __init__(self, *args, offered: list[str], fees: dict, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ServiceType.choices)
        self.offered = offered
        for service in offered:
            self.fields[f"fee_{service}"] = forms.IntegerField(
                label=_("%(type)s monthly fee (yuan)") % {"type": labels.get(service, service)},
                min_value=0,
                initial=fees.get(service),
                widget=forms.NumberInput(attrs={**NUMBER, "step": "1"}),
            )
        self.order_fields([f"fee_{s}" for s in offered] + ["slots", "inclusive_slots", "undertaking"])

    def fees(self) -> dict[str, int]:
        return {
            s: self.cleaned_data[f"fee_{s}"]
            for s in self.offered
            if self.cleaned_data.get(f"fee_{s}") is not None
        }


class DemonstrationForm(forms.Form):
    undertaking = forms.BooleanField(label=_("I accept the undertaking above."), required=False)


class ApplicationForm(forms.Form):
    """An application to one programme: the period, the count it pays on (prefilled from the platform's
    records), a note and evidence files."""

    period = forms.ChoiceField(label=_("period"))
    units = forms.IntegerField(
        label=_("count"), min_value=1, required=False, widget=forms.NumberInput(attrs=NUMBER)
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, periods: list[str], unit_label, award: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p, _("once") if p == "once" else p) for p in periods]
        if award:
            del self.fields["units"]
        else:
            self.fields["units"].label = unit_label
