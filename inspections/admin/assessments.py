"""Quality assessments in the admin: the bureau opens rounds, publishes and decides appeals; the assessor
(the bureau's own staff or a third-party body's, which sees only what it was assigned) scores each
requirement, with photos; the assessment rules (appeal days, re-assessment) per jurisdiction."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from filing.admin.policy import RegionalPolicyAdmin
from registry.admin_scoping import NationalOrLocal, ScopedAdmin, county_filter
from registry.models import Authority, Institution
from registry.models.institutions import FilingStatus
from registry.selectors import jurisdiction_codes, jurisdiction_regions, most_specific, region_ancestry

from ..models import Assessment, AssessmentAppeal, AssessmentItem, AssessmentPolicy, AssessmentRound, Rubric
from ..selectors import grade_distribution, requirements_not_met
from ..services import (
    InspectionError,
    appeal_decide,
    assessment_publish,
    assessment_rectify,
    assessment_score,
    evidence_add,
    round_open,
)
from ..services.assessments import round_problems
from .inspections import ReadOnlyInline, SupervisionAdmin, confirm_page
from .rubrics import plain


class TwoBoxes(FilteredSelectMultiple):
    """The admin's two-box chooser for a plain form field: wrapped as the admin wraps a many-to-many field's,
    since its script puts the boxes first in the widget's parent (before the label otherwise)."""

    def render(self, *args, **kwargs):
        return format_html('<div class="related-widget-wrapper">{}</div>', super().render(*args, **kwargs))


class RoundForm(forms.ModelForm):
    institutions = forms.ModelMultipleChoiceField(
        label=_("institutions in scope"),
        queryset=Institution.objects.none(),
        required=False,
        widget=TwoBoxes(_("institutions"), is_stacked=False),
        help_text=_("Leave empty to assess every filed institution of the region."),
    )

    class Meta:
        model = AssessmentRound
        fields = ["title", "region", "starts_on", "ends_on", "rubric", "assessor"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "region" not in self.fields or user is None:
            return
        regions = jurisdiction_regions(user) if not user.is_superuser else None
        filed = Institution.objects.filter(filing_status=FilingStatus.FILED).order_by("region_id", "name")
        if regions is not None:
            self.fields["region"].queryset = regions
            home = user.authority.region_id
            rubrics = most_specific(Rubric.objects.filter(current=True), home, key=lambda r: r.code)
            self.fields["rubric"].queryset = Rubric.objects.filter(pk__in=[r.pk for r in rubrics.values()])
            filed = filed.filter(region_id__in=jurisdiction_codes(user))
        self.fields["institutions"].queryset = filed
        assessors = Authority.objects.filter(kind__in=[Authority.Kind.HEALTH, Authority.Kind.ASSESSMENT_BODY])
        if regions is not None:
            # Its own bureaus, and third-party bodies of its jurisdiction or engaged above it (a city's).
            codes = set(jurisdiction_codes(user)) | set(region_ancestry(user.authority.region))
            assessors = assessors.filter(region_id__in=codes)
        self.fields["assessor"].queryset = assessors

    def clean(self):
        data = super().clean()
        needed = ("region", "starts_on", "ends_on", "rubric", "assessor")
        if all(data.get(name) is not None for name in needed):
            errors, _found = round_problems(
                **{name: data[name] for name in needed}, institutions=data.get("institutions")
            )
            for field, messages_ in errors.items():
                for message in messages_:
                    self.add_error(field if field in self.fields else None, message)
        return data


class AssessmentInline(ReadOnlyInline):
    model = Assessment
    fields = ["institution", "status", "grade", "percent"]
    show_change_link = True


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(ScopedAdmin):
    form = RoundForm
    inlines = [AssessmentInline]
    list_display = ["title", "region", "starts_on", "ends_on", "assessor"]
    list_select_related = ["region", "assessor"]
    search_fields = ["title"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # a new round has no assessments yet

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return WithUser

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            opened = round_open(acting_user=request.user, **form.cleaned_data)
        except InspectionError as error:
            raise PermissionDenied(error.message) from error
        obj.pk = opened.pk
        messages.success(
            request,
            gettext("The round is open: %(n)d institutions were asked for their self-assessment.")
            % {"n": opened.assessments.count()},
        )

    def save_related(self, request, form, formsets, change):
        pass  # the round and its assessments were written by round_open


def evidence_links(item) -> str:
    return format_html_join(
        mark_safe("<br>"),
        '<a href="{}">{}</a>{}',
        (
            (
                reverse("field:assessment-evidence", args=[f.pk]),
                f.name,
                gettext(" (assessor)") if f.by_assessor else "",
            )
            for f in item.files.all()
        ),
    )


class ItemInline(ReadOnlyInline):
    model = AssessmentItem
    fields = [
        "code",
        "dimension_name",
        "text",
        "points",
        "veto",
        "self_answer",
        "self_note",
        "prefill_source",
        "evidence",
        "awarded",
        "assessor_note",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("files")

    @admin.display(description=_("assessment evidence"))
    def evidence(self, obj):
        return evidence_links(obj) or "—"


class AppealInline(ReadOnlyInline):
    model = AssessmentAppeal
    fields = ["lodged_at", "lodged_by", "reason", "decision", "decision_reason", "decided_by", "decided_at"]


@admin.register(Assessment)
class AssessmentAdmin(SupervisionAdmin):
    inlines = [AppealInline, ItemInline]
    list_display = ["institution_name", "round", "status", "grade", "percent", "region"]
    region_columns = ("region",)
    list_filter = ["status", "grade", county_filter("region")]
    search_fields = ["institution__name", "round__title"]
    search_exact_fields = ("institution__uscc",)
    list_select_related = ["institution", "round", "region"]
    fields = [
        "institution",
        "round",
        "assessor",
        "status",
        "total",
        "percent",
        "grade",
        "passing",
        "vetoed_codes",
        "scored_by",
        "published_at",
        "appeal_until",
        "reassess_by",
        "rectification",
    ]
    readonly_fields = fields
    change_form_template = "admin/inspections/assessment/change_form.html"

    @admin.display(description=_("veto requirements failed"))
    def vetoed_codes(self, obj):
        return "、".join(obj.vetoed) or "—"

    change_list_template = "admin/inspections/assessment/change_list.html"

    def has_add_permission(self, request):
        return False  # a round opens the assessments

    def changelist_view(self, request, extra_context=None):
        distribution = grade_distribution(self.get_queryset(request))
        return super().changelist_view(request, {**(extra_context or {}), "distribution": distribution})

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # scored and published through the views below

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {}
        if obj is not None:
            extra = {
                "can_score": self._may_score(request, obj),
                "can_publish": obj.status == Assessment.Status.SCORED
                and request.user.has_perm("inspections.add_assessmentround"),
                "can_decide": obj.status == Assessment.Status.APPEALED
                and request.user.has_perm("inspections.add_assessmentround"),
                "can_rectify": obj.status == Assessment.Status.PUBLISHED
                and obj.passing is False
                and obj.rectification_id is None
                and request.user.has_perm("inspections.add_assessmentround"),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _may_score(self, request, obj) -> bool:
        return (
            obj.status not in (Assessment.Status.PUBLISHED, Assessment.Status.APPEALED)
            and request.user.has_perm("inspections.change_assessment")
            and (request.user.is_superuser or request.user.authority_id == obj.assessor_id)
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/score/",
                self.admin_site.admin_view(self.score_view),
                name="inspections_assessment_score",
            ),
            path(
                "<int:pk>/publish/",
                self.admin_site.admin_view(require_POST(self.publish_view)),
                name="inspections_assessment_publish",
            ),
            path(
                "<int:pk>/rectify/",
                self.admin_site.admin_view(self.rectify_view),
                name="inspections_assessment_rectify",
            ),
            path(
                "<int:pk>/appeal/",
                self.admin_site.admin_view(self.appeal_view),
                name="inspections_assessment_appeal",
            ),
            *super().get_urls(),
        ]

    def score_view(self, request, pk):
        assessment = self.get_object(request, str(pk))
        if assessment is None:
            raise Http404
        if not self._may_score(request, assessment):
            raise PermissionDenied
        change_url = reverse("admin:inspections_assessment_change", args=[pk])
        errors: dict[str, list[str]] = {}
        items = list(assessment.items.prefetch_related("files"))
        if request.method == "POST":
            try:
                for item in items:
                    photos = request.FILES.getlist(f"photos-{item.pk}")
                    if photos:
                        evidence_add(item=item, files=photos, acting_user=request.user)
                scored = assessment_score(
                    assessment=assessment,
                    scores={
                        i.pk: (request.POST.get(f"awarded-{i.pk}", ""), request.POST.get(f"note-{i.pk}", ""))
                        for i in items
                    },
                    acting_user=request.user,
                )
            except InspectionError as error:
                messages.error(request, error.message)
                errors = error.errors
            else:
                if scored.status == Assessment.Status.SCORED:
                    messages.success(
                        request,
                        gettext("Scored: %(grade)s (%(percent)s%%). The bureau publishes it.")
                        % {"grade": scored.grade, "percent": scored.percent},
                    )
                    return redirect(change_url)
                messages.success(
                    request, gettext("Saved; the grade follows when every requirement is scored.")
                )
                return redirect(reverse("admin:inspections_assessment_score", args=[pk]))
        posted = request.POST if request.method == "POST" else None
        rows = [
            {
                "item": i,
                "awarded": posted.get(f"awarded-{i.pk}", "")
                if posted
                else ("" if i.awarded is None else i.awarded),
                "note": posted.get(f"note-{i.pk}", "") if posted else i.assessor_note,
                "errors": errors.get(str(i.pk), []),
                "evidence": evidence_links(i),
            }
            for i in items
        ]
        if errors.get("files"):
            messages.error(request, "；".join(errors["files"]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": assessment,
            "rows": rows,
            "title": gettext("Score %(institution)s") % {"institution": assessment.institution.name},
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/inspections/assessment/score.html", context)

    def publish_view(self, request, pk):
        assessment = self.get_object(request, str(pk))
        if assessment is None:
            raise Http404
        try:
            assessment_publish(assessment=assessment, acting_user=request.user)
        except InspectionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("Published; the grade is on the institution's public page."))
        return redirect(reverse("admin:inspections_assessment_change", args=[pk]))

    def _bureau_assessment(self, request, pk):
        """The assessment and its page, for the bureau's own steps (publish, decide, order rectification)."""
        assessment = self.get_object(request, str(pk))
        if assessment is None:
            raise Http404
        if not request.user.has_perm("inspections.add_assessmentround"):
            raise PermissionDenied
        return assessment, reverse("admin:inspections_assessment_change", args=[pk])

    def rectify_view(self, request, pk):
        """Confirm, then order rectification of each requirement a failed assessment did not fully meet."""
        assessment, change_url = self._bureau_assessment(request, pk)
        form = forms.Form(request.POST or None)
        if request.method == "POST":
            try:
                inspection = assessment_rectify(assessment=assessment, acting_user=request.user)
            except InspectionError as error:
                messages.error(request, error.message)
                return redirect(change_url)
            messages.success(
                request,
                gettext("%(n)d rectifications ordered; the institution answers them in the portal.")
                % {"n": inspection.rectifications.count()},
            )
            return redirect(reverse("admin:inspections_inspection_change", args=[inspection.pk]))
        return confirm_page(
            self,
            request,
            assessment,
            form,
            title=gettext("Order rectification for %(institution)s?")
            % {"institution": assessment.institution.name},
            text=gettext(
                "Each requirement below becomes a rectification order of the health bureau, with its "
                "deadline by severity (a veto requirement serious, the others major). The institution is "
                "told and answers each in the portal; you verify and close them under rectifications."
            ),
            button=gettext("Order rectification"),
            change_url=change_url,
            details=[
                (
                    f"{i.code}{gettext(' (veto requirement)') if i.veto else ''}",
                    f"{i.text} · {plain(i.awarded)}/{plain(i.points)}",
                )
                for i in requirements_not_met(assessment)
            ],
        )

    def appeal_view(self, request, pk):
        assessment, change_url = self._bureau_assessment(request, pk)
        appeal = assessment.appeals.filter(decision="").first()
        if assessment.status != Assessment.Status.APPEALED or appeal is None:
            messages.error(request, gettext("There is no appeal awaiting a decision."))
            return redirect(change_url)
        form = AppealDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            upheld = form.cleaned_data["decision"] == AssessmentAppeal.Decision.UPHELD
            try:
                appeal_decide(
                    assessment=assessment,
                    upheld=upheld,
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except InspectionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    gettext("Appeal upheld: the assessor scores the assessment again.")
                    if upheld
                    else gettext("Appeal dismissed: the grade stands."),
                )
                return redirect(change_url)
        return confirm_page(
            self,
            request,
            assessment,
            form,
            title=gettext("Decide the appeal of %(institution)s")
            % {"institution": assessment.institution.name},
            text=gettext(
                "The institution reads the reason. An upheld appeal withdraws the published grade until the "
                "assessor scores again and the bureau publishes."
            ),
            button=gettext("Record the decision"),
            change_url=change_url,
            details=[
                (gettext("grade"), f"{assessment.grade}（{assessment.percent}%）"),
                (gettext("veto requirements failed"), "、".join(assessment.vetoed) or "—"),
                (gettext("appealed"), f"{appeal.lodged_at:%Y-%m-%d %H:%M} · {appeal.lodged_by}"),
                (gettext("grounds of the appeal"), appeal.reason),
            ],
        )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"), choices=AssessmentAppeal.Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("reason for the decision"), widget=forms.Textarea(attrs={"rows": 4}))


@admin.register(AssessmentPolicy)
class AssessmentPolicyAdmin(RegionalPolicyAdmin):
    list_display = ["region_name", "appeal_days", "pass_valid_months", "fail_reassess_months"]
    list_filter = [NationalOrLocal]
    fields = ["region", "appeal_days", "pass_valid_months", "fail_reassess_months"]
