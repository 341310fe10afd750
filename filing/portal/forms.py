"""The portal's forms. They only parse what people type; the rules are checked by filing.services."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import CareForm, ServiceType, User

from ..models import PARTICULARS, ClassType, Filing

NUMBER = {"inputmode": "numeric", "min": "0"}
DECIMAL = {"inputmode": "decimal", "min": "0", "step": "0.01"}


def show_errors(form, error) -> None:
    """A service's refusal on a form (a FilingError, a WorkforceError: `message` and `errors` by field): the
    explanation above the form, and each field's problem next to it."""
    form.add_error(None, error.message)
    for item, problems in error.errors.items():
        if item in form.fields:
            for problem in problems:
                form.add_error(item, problem)


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
            widget=forms.NumberInput(attrs={**NUMBER, "step": "1"}),
        )


def fees_from(cleaned: dict) -> dict[str, int]:
    return {
        t: int(cleaned[f"fee_{t}"]) for t, _l in ServiceType.choices if cleaned.get(f"fee_{t}") is not None
    }


class PasswordTwiceMixin:
    """Two equal passwords that pass the project's password validators."""

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password and password != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        elif password:
            user = None
            if cleaned.get("username"):
                user = User(
                    username=cleaned["username"],
                    email=cleaned.get("email", ""),
                    first_name=cleaned.get("full_name", ""),
                )
            try:
                validate_password(password, user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


def _password_fields():
    return {
        "password": forms.CharField(
            label=_("Password"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
            help_text=password_validators_help_text_html(),
        ),
        "password_again": forms.CharField(
            label=_("Password again"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    }


class SignupForm(PasswordTwiceMixin, forms.Form):
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        min_length=18,
        max_length=18,
        help_text=_("18 characters, as on the business licence or registration certificate."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    legal_representative = forms.CharField(
        label=_("Legal representative"),
        max_length=64,
        help_text=_("Exactly as registered; together with the code it identifies your institution."),
    )
    full_name = forms.CharField(
        label=_("Your name"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("phone"),
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("e-mail"),
        help_text=_("We send a confirmation link here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password, password_again = _password_fields().values()

    def clean_uscc(self):
        return "".join(self.cleaned_data["uscc"].split()).upper()


class ColleagueInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Colleague's e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )


class InvitationForm(PasswordTwiceMixin, forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    full_name = forms.CharField(
        label=_("Your name"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password, password_again = _password_fields().values()


FILING_FIELDS = [f for f in PARTICULARS if f not in ("monthly_fees", "service_types")]


class FilingForm(forms.Form):
    """The particulars of a filing. Nothing is required here: a draft may be saved half done, and
    `filing_submit` says what is missing."""

    service_types = forms.MultipleChoiceField(
        label=_("Service types"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    commitment = forms.BooleanField(label=_("I make the commitment above"), required=False)

    def __init__(self, *args, filing: Filing, staff: dict[str, int] | None = None, **kwargs):
        initial = model_to_dict(filing, fields=[*FILING_FIELDS, "service_types"])
        initial.update(staff or {})
        initial["commitment"] = filing.commitment_accepted_at is not None
        for name in ("building_area", "outdoor_area"):
            if initial[name] is not None and initial[name] == initial[name].to_integral_value():
                initial[name] = initial[name].quantize(1)  # 420, not 420.00
        super().__init__(*args, initial=initial, **kwargs)
        widgets = {
            "contact_phone": forms.TextInput(
                attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}
            ),
            "building_area": forms.NumberInput(attrs=DECIMAL),
            "outdoor_area": forms.NumberInput(attrs=DECIMAL),
            "lease_starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "lease_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{name: forms.NumberInput(attrs=NUMBER) for name in FILING_FIELDS if name.startswith("staff_")},
            "care_form": forms.RadioSelect,
        }
        self.fields.update(fields_for_model(Filing, fields=FILING_FIELDS, widgets=widgets))
        for field in self.fields.values():
            field.required = False  # checked on submission, so a draft can be saved half done
        self.fields["tenure"].choices = [("", _("Choose…")), *Filing.Tenure.choices]
        self.fields["care_form"].help_text = _(
            "A home-based care point cares for at most 5 children in a residence; with more, file as an "
            "institution."
        )
        self.fields["employer_run"].help_text = _(
            "Run by an employer (an authority, enterprise or public institution) for its own staff."
        )
        self.fields["inclusive"].help_text = _(
            "Affordable, price-capped service supported by public money, as agreed with the government."
        )
        add_fee_fields(self, filing.monthly_fees)
        # The commitment and the buttons sit below the materials' own upload forms, outside this form.
        self.fields["commitment"].widget.attrs["form"] = "filing-form"
        self.staff_from_register = staff is not None
        if staff is not None:  # the register decides; the counts are shown, not typed
            for name in staff:
                self.fields[name].disabled = True

    def service_rows(self):
        """Each service type's checkbox beside its monthly-fee field."""
        boxes = {box.data["value"]: box for box in self["service_types"]}
        return [(boxes[t], self[f"fee_{t}"]) for t, _label in ServiceType.choices]

    def fee_fields(self):
        return [self[f"fee_{t}"] for t, _label in ServiceType.choices]

    def draft_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in FILING_FIELDS}
        for name in FILING_FIELDS:
            if name.startswith("staff_") and data[name] is None:
                data[name] = 0  # an empty count is none
            elif isinstance(self.fields[name], forms.CharField) and data[name] is None:
                data[name] = ""
        data["care_form"] = data["care_form"] or CareForm.INSTITUTION
        if data["tenure"] != Filing.Tenure.LEASED:  # lease dates belong to leased premises only
            data["lease_starts_on"] = data["lease_ends_on"] = None
        data["service_types"] = self.cleaned_data["service_types"]
        data["monthly_fees"] = fees_from(self.cleaned_data)
        return data


class ClassForm(forms.Form):
    class_type = forms.ChoiceField(label=_("class type"), choices=ClassType.choices)
    name = forms.CharField(label=_("class name"), max_length=64, required=False)
    slots = forms.IntegerField(
        label=_("slots"), min_value=1, max_value=99, required=False, widget=forms.NumberInput(attrs=NUMBER)
    )
    enrolled = forms.IntegerField(
        label=_("enrolled children"),
        min_value=0,
        max_value=99,
        required=False,
        widget=forms.NumberInput(attrs=NUMBER),
    )
    carers = forms.IntegerField(
        label=_("carers"), min_value=0, max_value=20, required=False, widget=forms.NumberInput(attrs=NUMBER)
    )

    def clean(self):
        """A row left blank is no class; a row with anything in it needs its slots."""
        cleaned = super().clean()
        started = cleaned.get("name") or cleaned.get("enrolled") or cleaned.get("carers")
        if started and not cleaned.get("slots"):
            self.add_error("slots", _("Give the class's slots, or clear the row."))
        return cleaned


ClassFormSet = forms.formset_factory(ClassForm, extra=1, can_delete=True, max_num=30)


class MaterialForm(forms.Form):
    """One uploaded file, checked by Django's file field (empty files, over-long names)."""

    file = forms.FileField(label=_("file"))


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2019, widget=forms.NumberInput(attrs=NUMBER))
    enrolled_children = forms.IntegerField(
        label=_("enrolled children"), min_value=0, widget=forms.NumberInput(attrs=NUMBER)
    )
    staff_total = forms.IntegerField(label=_("staff"), min_value=0, widget=forms.NumberInput(attrs=NUMBER))
    incidents = forms.CharField(
        label=_("safety incidents"),
        required=False,
        help_text=_("Describe any, or leave empty."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, fees: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = self.initial.get("year", timezone.localdate().year - 1)
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year
        add_fee_fields(self, fees)

    def fee_fields(self):
        return [self[f"fee_{t}"] for t, _label in ServiceType.choices]

    def report_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("fee_")}
        data["monthly_fees"] = fees_from(self.cleaned_data)
        return data


class TerminationForm(forms.Form):
    planned_on = forms.DateField(
        label=_("stops on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    children_plan = forms.CharField(
        label=_("plan for the children"),
        help_text=_("Where the children go, and how the parents were told."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    staff_plan = forms.CharField(
        label=_("plan for the staff"),
        help_text=_("Contracts, compensation, help finding work."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    understood = forms.BooleanField(label=_("I understand the filing ends once the bureau confirms."))
