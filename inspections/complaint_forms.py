import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.complaints import complaint_counties


class ComplaintForm(forms.Form):
    region = forms.ChoiceField(label=_("County (district) where the institution is"))
    institution_text = forms.CharField(
        label=_("Institution"),
        max_length=255,
        help_text=_("Its name as on its sign, or its address."),
    )
    what_happened = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("When, where and what you saw or heard. Do not give children's full names."),
    )
    occurred_on = forms.DateField(
        label=_("When (if you know)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=64, required=False)
    contact_phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=32,
        required=False,
        help_text=_(
            "Only the authorities handling the complaint see your name and phone; never the institution."
        ),
    )
    # Left empty by people; filled in by form-filling robots.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for county in complaint_counties().select_related("parent__parent"):
            city = county.parent
            heading = " ".join(r.name for r in (city.parent if city else None, city) if r) if city else ""
            groups.setdefault(heading, []).append((county.pk, county.name))
        choices: list = [("", "—"), *groups.pop("", [])]
        choices += sorted(groups.items())
        self.fields["region"].choices = choices

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        digits = re.sub(r"[\s()+-]", "", phone)
        if phone and not (digits.isdigit() and 7 <= len(digits) <= 15):
            raise forms.ValidationError(
                _("A phone number of 7 to 15 digits (a mobile or a landline with its area code).")
            )
        return phone


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=16)
