from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import ServiceType

from ..models import PARTICULARS, ClassType, Filing


def add_fee_fields(form, initial: dict | None = None) -> None:
    """A monthly-fee field per service type, named fee_<type>."""
    for service_type, label in ServiceType.choices:
        form.fields[f"fee_{service_type}"] = forms.DecimalField(
            label=_("%(type)s monthly fee (yuan)") % {"type": label},
            required=False,
            min_value=0,
            max_digits=8,
            decimal_places=0,
            initial=(initial or {}).get(service_type),
        )


def fees_from(cleaned: dict) -> dict[str, int]:
    return {
        t: int(cleaned[f"fee_{t}"]) for t, _l in ServiceType.choices if cleaned.get(f"fee_{t}") is not None
    }


class SignupForm(forms.Form):
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=18)
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=64)
    full_name = forms.CharField(label=_("Your name"), max_length=64)
    phone = forms.CharField(label=_("phone"), max_length=32)
    email = forms.EmailField(label=_("e-mail"))
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        elif cleaned.get("password"):
            try:
                validate_password(cleaned["password"])
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class InvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=64)
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput)
    clean = SignupForm.clean


class FilingForm(forms.ModelForm):
    service_types = forms.MultipleChoiceField(
        label=_("Service types"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    commitment = forms.BooleanField(label=_("I make the commitment above"), required=False)

    class Meta:
        model = Filing
        fields = [f for f in PARTICULARS if f != "monthly_fees"]  # fees have a field per service type
        widgets = {
            "lease_starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "lease_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "address", "legal_representative"):
            self.fields[name].required = False  # checked on submission, so a draft can be saved half-done
        add_fee_fields(self, self.instance.monthly_fees)
        self.fields["commitment"].initial = self.instance.commitment_accepted_at is not None

    def fee_fields(self):
        return [self[f"fee_{t}"] for t, _label in ServiceType.choices]

    def draft_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["monthly_fees"] = fees_from(self.cleaned_data)
        return data


class ClassForm(forms.Form):
    class_type = forms.ChoiceField(label=_("class type"), choices=ClassType.choices)
    name = forms.CharField(label=_("class name"), max_length=64, required=False)
    slots = forms.IntegerField(label=_("slots"), min_value=1, max_value=99, required=False)
    enrolled = forms.IntegerField(label=_("enrolled children"), min_value=0, max_value=99, required=False)
    carers = forms.IntegerField(label=_("carers"), min_value=0, max_value=20, required=False)

    def clean(self):
        """A row left blank is no class; a row with anything in it needs its slots."""
        cleaned = super().clean()
        started = cleaned.get("name") or cleaned.get("enrolled") or cleaned.get("carers")
        if started and not cleaned.get("slots"):
            self.add_error("slots", _("Give the class's slots, or clear the row."))
        return cleaned


ClassFormSet = forms.formset_factory(ClassForm, extra=1, can_delete=True, max_num=30)


class MaterialForm(forms.Form):
    requirement = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("file"))


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2019)
    enrolled_children = forms.IntegerField(label=_("enrolled children"), min_value=0)
    staff_total = forms.IntegerField(label=_("staff"), min_value=0)
    incidents = forms.CharField(
        label=_("safety incidents"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1
        add_fee_fields(self)

    def report_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("fee_")}
        data["monthly_fees"] = fees_from(self.cleaned_data)
        return data


class TerminationForm(forms.Form):
    planned_on = forms.DateField(label=_("stops on"), widget=forms.DateInput(attrs={"type": "date"}))
    children_plan = forms.CharField(
        label=_("plan for the children"), widget=forms.Textarea(attrs={"rows": 4})
    )
    staff_plan = forms.CharField(label=_("plan for the staff"), widget=forms.Textarea(attrs={"rows": 4}))
    understood = forms.BooleanField(label=_("I understand the filing ends once the bureau confirms."))
