from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Outcome


class StartForm(forms.Form):
    checklist = forms.ChoiceField(label=_("checklist"), widget=forms.RadioSelect)
    inspected_on = forms.DateField(
        label=_("inspected on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    inspectors = forms.MultipleChoiceField(
        label=_("inspectors"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two, from your body."),
    )

    def __init__(self, *args, checklists, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].choices = [(c.pk, str(c)) for c in checklists]
        if len(checklists) == 1:
            self.fields["checklist"].initial = checklists[0].pk
        self.fields["inspectors"].choices = [(u.pk, str(u)) for u in colleagues]


class RecordForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=[("", "—"), *Outcome.choices])
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    suspend_reason = forms.CharField(
        label=_("why the institution is suspended"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only with the outcome “suspended”: a serious item must be non-compliant."),
    )
