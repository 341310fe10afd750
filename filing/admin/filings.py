"""The county health bureau's review of filings: the queue, the read-only filing, and the three decisions
(accept, return for correction, refuse), each a confirmation page that calls its service."""

import datetime
from collections import defaultdict
from itertools import groupby
from operator import attrgetter

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.admin_scoping import ScopedAdmin, county_column, county_filter
from registry.display import service_types_text
from registry.selectors import jurisdiction_codes
from registry.workdays import working_calendar

from ..models import PARTICULARS, Filing, FilingClass, Material, ReturnReason
from ..selectors import (
    days_waiting,
    filing_diff,
    return_items,
    review_limit_exceptions,
    working_days_between,
)
from ..services import FilingError, TransitionNotAllowed, filing_accept, filing_refuse, filing_return
from .common import (
    REVIEW_PERMISSION,
    FilingAdminMedia,
    ReadOnlyInline,
    fees_html,
    review_limits,
    show_service_error,
)

Status = Filing.Status
ITEM_LENGTH = ReturnReason._meta.get_field("item").max_length


def overdue_since(limit: int, today: datetime.date) -> datetime.datetime:
    """The moment before which a submission has waited more than `limit` working days by `today`:
    midnight after the latest day from which more than `limit` working days have passed."""
    day = today
    while working_days_between(day, today) <= limit:
        day -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


class OverdueFilter(admin.SimpleListFilter):
    """Submitted filings that have waited longer than their county's review limit, or not yet.

    Exact per county, not an approximation: the national limit applies everywhere except the few
    counties whose own, city's or province's policy sets another (`review_limit_exceptions`, two
    queries whatever the jurisdiction), and each limit becomes a cut-off moment counted back in working
    days from today, so the list stays one query whatever the number of filings or counties. As in
    `days_waiting`, working days are Monday to Friday: public holidays are not known to the platform yet."""

    title = _("review time")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Over the limit")), ("no", _("Within the limit"))]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        submitted = queryset.filter(status=Status.SUBMITTED, submitted_at__isnull=False)
        today = timezone.localdate()
        jurisdiction = None if request.user.is_superuser else jurisdiction_codes(request.user)
        national, exceptions = review_limit_exceptions(jurisdiction)
        overdue = Q(submitted_at__lt=overdue_since(national, today)) & ~Q(
            institution__region__in=list(exceptions)
        )
        counties_by_cutoff = defaultdict(list)
        for county, limit in exceptions.items():
            counties_by_cutoff[overdue_since(limit, today)].append(county)
        for cutoff, codes in counties_by_cutoff.items():
            overdue |= Q(institution__region__in=codes, submitted_at__lt=cutoff)
        return submitted.filter(overdue) if self.value() == "yes" else submitted.exclude(overdue)


class QueueChangeList(ChangeList):
    """Gives each submitted filing on the page its county's review limit: the page's counties resolved
    together, two queries whatever their number."""

    def get_results(self, request):
        super().get_results(request)
        # The counties of every row on the page, not only the submitted ones: the same two queries
        # whether or not this page happens to hold a submitted filing.
        limits = review_limits(request, {f.institution.region_id for f in self.result_list})
        for filing in self.result_list:
            if filing.status == Status.SUBMITTED:
                filing.review_limit = limits[filing.institution.region_id]


class ClassInline(ReadOnlyInline):
    model = FilingClass
    fields = ["class_type", "name", "slots", "enrolled", "carers"]
    readonly_fields = fields


class MaterialInline(ReadOnlyInline):
    model = Material
    fields = ["material", "link", "size", "uploaded_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requirement")

    @admin.display(description=_("material"))
    def material(self, obj):
        return obj.requirement.name

    @admin.display(description=_("file"))
    def link(self, obj):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("filing:material", args=[obj.pk]),
            obj.original_name,
        )


def _particular_value(field, value):
    """A filed value as a person reads it: choice labels, service type names, fees, yes or no."""
    if field is not None and field.choices:
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return service_types_text(value) or "—"
    if isinstance(value, dict):
        return fees_html(value)
    if value is None or value == "":
        return "—"
    return formats.localize(value)


@admin.register(Filing)
class FilingAdmin(ScopedAdmin):
    """The review queue. Filings come from the operator portal and change only through the decisions,
    so the filing itself is read-only here: no add, no edit, no delete."""

    Media = FilingAdminMedia

    list_display = [
        "name",
        "uscc",
        "county",
        "kind",
        "status",
        "submitted",
        "waited",
        "finding_count",
    ]
    region_columns = ("county",)
    list_filter = [
        "status",
        "kind",
        "care_form",
        OverdueFilter,
        "inclusive",
        county_filter("institution__region"),
    ]
    search_fields = ["name", "address"]
    search_exact_fields = ("institution__uscc", "receipt_number")
    search_help_text = _("Name or address; or a whole USCC or receipt number.")
    list_select_related = ["institution__region"]
    show_full_result_count = False
    inlines = [ClassInline, MaterialInline]
    change_form_template = "admin/filing/filing/change_form.html"
    fieldsets = [
        (
            _("Particulars"),
            {
                "fields": [
                    "institution",
                    "care_form",
                    "name",
                    "address",
                    "legal_representative",
                    "contact_person",
                    "contact_phone",
                ]
            },
        ),
        (
            _("Premises"),
            {"fields": ["building_area", "outdoor_area", "tenure", "lease_starts_on", "lease_ends_on"]},
        ),
        (
            _("Services and fees"),
            {"fields": ["service_types_text", "monthly_fees_text", "inclusive", "employer_run"]},
        ),
        (
            _("Staff"),
            {
                "fields": [
                    "staff_management",
                    "staff_carers",
                    "staff_health",
                    "staff_security",
                    "staff_cooks",
                    "staff_from_register",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decisions have their own pages; nothing on the filing is edited here

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def get_ordering(self, request):
        """The work first: submitted filings, oldest first; then returned, decided, and drafts (a stored
        column kept from the status, so the queue's index serves the order)."""
        return ["queue_priority", "submitted_at", "id"]

    @admin.display(description=_("USCC"), ordering="institution__uscc")
    def uscc(self, obj):
        return obj.institution.uscc

    county = county_column("institution__region")

    @admin.display(description=_("submitted"), ordering="submitted_at")
    def submitted(self, obj):
        if obj.submitted_at is None:
            return "—"
        return formats.date_format(timezone.localtime(obj.submitted_at), "Y-m-d H:i")

    @admin.display(description=_("waited (working days)"))
    def waited(self, obj):
        days, limit = days_waiting(obj), getattr(obj, "review_limit", None)
        if days is None or limit is None:
            return "—"
        return format_html(
            '<span class="{}">{} / {}</span>', "waited-over" if days > limit else "waited-ok", days, limit
        )

    @admin.display(description=_("findings"))
    def finding_count(self, obj):
        if obj.submitted_at is None:
            return "—"
        count = len(obj.findings)
        return format_html('<span class="finding-count">{}</span>', count) if count else 0

    @admin.display(description=Filing._meta.get_field("service_types").verbose_name)
    def service_types_text(self, obj):
        return service_types_text(obj.service_types) or "—"

    @admin.display(description=Filing._meta.get_field("monthly_fees").verbose_name)
    def monthly_fees_text(self, obj):
        return fees_html(obj.monthly_fees)

    def changelist_view(self, request, extra_context=None):
        working_calendar()  # read once for the page, whether or not a row has waited
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        filing = self.get_object(request, unquote(object_id))
        if filing is not None:
            extra_context = {**(extra_context or {}), **self.review_context(request, filing)}
        return super().change_view(request, object_id, form_url, extra_context)

    def review_context(self, request, filing: Filing) -> dict:
        """What the reviewer reads besides the fields: time waited, findings, the change, the history."""
        days = days_waiting(filing)
        region = filing.institution.region_id
        limit = review_limits(request, [region])[region] if days is not None else None
        reasons = list(filing.return_reasons.all())
        labels = dict(return_items(filing)) if reasons else {}
        context = {
            "can_decide": filing.status == Status.SUBMITTED and request.user.has_perm(REVIEW_PERMISSION),
            "waited": days,
            "limit": limit,
            "overdue": days is not None and days > limit,
            "transitions": filing.transitions.select_related("actor"),
            "return_rounds": [
                (number, [(labels.get(r.item, r.item), r.reason, r.created_at) for r in rows])
                for number, rows in groupby(reasons, key=attrgetter("round"))
            ],
            "receipt_url": (
                reverse("filing:receipt", args=[filing.pk]) if filing.status == Status.ACCEPTED else None
            ),
        }
        if filing.kind == Filing.Kind.CHANGE:
            by_label = {str(f.verbose_name): f for f in map(Filing._meta.get_field, PARTICULARS)}
            context["diff"] = []
            for label, old, new in filing_diff(filing):
                field = by_label.get(label)
                context["diff"].append((label, _particular_value(field, old), _particular_value(field, new)))
            if filing.amends_id:
                context["amends_url"] = reverse("admin:filing_filing_change", args=[filing.amends_id])
        return context

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:pk>/decide/<str:decision>/", decide, name="filing_filing_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk, decision):
        """Accept, return or refuse: a confirmation form; the service checks the rules and permission."""
        form_class = DECISION_FORMS.get(decision)
        if form_class is None:
            raise Http404
        if not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied
        filing = self.get_object(request, str(pk))
        if filing is None:
            raise Http404
        change_url = reverse("admin:filing_filing_change", args=[filing.pk])
        if request.method != "POST" and filing.status != Status.SUBMITTED:
            messages.warning(request, gettext("This filing is not awaiting a decision."))
            return redirect(change_url)
        form = form_class(request.POST if request.method == "POST" else None, filing=filing)
        if request.method == "POST" and form.is_valid():
            try:
                filing = form.decide(filing=filing, acting_user=request.user)
            except (TransitionNotAllowed, FilingError) as error:
                show_service_error(form, error)
            else:
                messages.success(request, form.done_message(filing))
                return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": filing,
            "title": form.title,
            "form": form,
            "decision": decision,
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/filing/filing/decide.html", context)


class DecisionForm(forms.Form):
    title = ""

    def __init__(self, *args, filing: Filing, **kwargs):
        super().__init__(*args, **kwargs)
        self.filing = filing

    def done_message(self, filing: Filing):
        return gettext("Done: the operator has been told.")


class AcceptForm(DecisionForm):
    title = _("Accept this filing and issue a receipt number?")
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def decide(self, *, filing, acting_user):
        return filing_accept(filing=filing, acting_user=acting_user, note=self.cleaned_data["note"])

    def done_message(self, filing):
        return format_html(
            '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
            gettext("Filed. Receipt number:"),
            reverse("filing:receipt", args=[filing.pk]),
            filing.receipt_number,
        )


class ReturnForm(DecisionForm):
    """Rows of (item, reason), at least one: the item is a part of the filing or one of its materials.
    The reason is stored with the item's name, which is what the operator reads in the portal."""

    title = _("Return for correction")
    ROWS = 6

    def __init__(self, *args, filing, **kwargs):
        super().__init__(*args, filing=filing, **kwargs)
        self.items = dict(return_items(filing))
        choices = [("", "---------"), *self.items.items()]
        for row in range(self.ROWS):
            self.fields[f"item_{row}"] = forms.ChoiceField(label=_("item"), choices=choices, required=False)
            self.fields[f"reason_{row}"] = forms.CharField(
                label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60})
            )

    def rows(self):
        return [(self[f"item_{row}"], self[f"reason_{row}"]) for row in range(self.ROWS)]

    def clean(self):
        cleaned = super().clean()
        reasons = []
        for row in range(self.ROWS):
            item = cleaned.get(f"item_{row}")
            reason = (cleaned.get(f"reason_{row}") or "").strip()
            if reason and not item:
                self.add_error(f"item_{row}", _("Choose the item this reason is about."))
            elif item and not reason:
                self.add_error(f"reason_{row}", _("Give the reason."))
            elif item:
                # The operator reads the item's name; a long material name is cut to what the row holds.
                reasons.append((str(self.items[item])[:ITEM_LENGTH], reason))
        if not reasons and not self.errors:
            raise forms.ValidationError(_("Give at least one reason, so the operator knows what to correct."))
        cleaned["reasons"] = reasons
        return cleaned

    def decide(self, *, filing, acting_user):
        return filing_return(filing=filing, acting_user=acting_user, reasons=self.cleaned_data["reasons"])


class RefuseForm(DecisionForm):
    title = _("Refuse this filing?")
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}))

    def decide(self, *, filing, acting_user):
        return filing_refuse(filing=filing, acting_user=acting_user, reason=self.cleaned_data["reason"])


DECISION_FORMS = {"accept": AcceptForm, "return": ReturnForm, "refuse": RefuseForm}
