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
        counties = complaint_counties().select_related("parent")
        self.fields["region"].choices = [("", "—")] + [
            (c.pk, f"{c.parent.name if c.parent_id else ''} {c.name}".strip()) for c in counties
        ]


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=16)
