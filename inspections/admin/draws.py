"""Random inspection plans (双随机) and their draws: a department plans, commits a draw (its seed
commitment published at once), draws, and may redraw with a reason; the monthly directory of sites is
downloadable here too."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from filing.admin.common import show_service_error
from registry.admin_scoping import ReadOnlyAdminMixin, ScopedAdmin
from registry.models import Region
from registry.selectors import jurisdiction_regions

from ..directory import directory_filename, directory_workbook
from ..models import Checklist, Draw, InspectionPlan
from ..selectors import colleagues, department_of, plan_counts
from ..services import InspectionError, draw_commit, draw_perform
from .inspections import ReadOnlyInline, confirm_page


class PlanForm(forms.ModelForm):
    checklist_code = forms.ChoiceField(label=_("checklist"))

    class Meta:
        model = InspectionPlan
        fields = [
            "title",
            "region",
            "stratum",
            "starts_on",
            "ends_on",
            "sample_size",
            "sample_percent",
            "checklist_code",
            "inspectors",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "region" not in self.fields:
            return  # shown read-only (a plan with a draw, a history page)
        department = department_of(user) if user else ""
        codes = Checklist.objects.filter(current=True)
        if department:
            codes = codes.filter(department=department)
        self.fields["checklist_code"].choices = sorted(
            set(codes.values_list("code", "name")), key=lambda c: c[1]
        )
        if user is not None and not user.is_superuser:
            self.fields["region"].queryset = jurisdiction_regions(user).exclude(level=Region.Level.PROVINCE)
            self.fields["inspectors"].queryset = colleagues(user.authority_id)
        self.fields["inspectors"].help_text = _("At least two; pairs are drawn from them.")

    def clean(self):
        data = super().clean()
        if bool(data.get("sample_size")) == bool(data.get("sample_percent")):
            self.add_error("sample_size", _("Give either a number of institutions or a share, not both."))
        if data.get("sample_percent") is not None and not 0 < data["sample_percent"] <= 100:
            self.add_error("sample_percent", _("A share between 0 and 100."))
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The period ends before it starts."))
        if data.get("inspectors") is not None and len(data["inspectors"]) < 2:
            self.add_error("inspectors", _("Name at least two inspectors."))
        return data


class DrawInline(ReadOnlyInline):
    model = Draw
    fields = ["number", "status", "reason", "committed_at", "drawn_at", "public_page"]

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        url = reverse("public:draw", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, gettext("Open the public page")
        )


class RedrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the redraw"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published with the redraw; the earlier draw stays on record."),
    )


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ScopedAdmin):
    form = PlanForm
    inlines = [DrawInline]
    list_display = ["title", "department", "region", "starts_on", "ends_on", "stratum"]
    list_filter = ["department", "stratum"]
    search_fields = ["title"]
    list_select_related = ["region"]
    filter_horizontal = ["inspectors"]
    change_form_template = "admin/inspections/inspectionplan/change_form.html"
    change_list_template = "admin/inspections/inspectionplan/change_list.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class WithUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return WithUser

    def has_add_permission(self, request):
        return bool(department_of(request.user)) and super().has_add_permission(request)

    def get_fields(self, request, obj=None):
        fields = list(PlanForm.Meta.fields)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only: the checklist by its name, and how far the drawn inspections have got.
            return [("checklist_name" if f == "checklist_code" else f) for f in fields] + ["progress"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return self.get_fields(request, obj)
        return super().get_readonly_fields(request, obj)

    @admin.display(description=_("checklist"))
    def checklist_name(self, obj):
        found = Checklist.objects.filter(
            code=obj.checklist_code, department=obj.department, current=True
        ).first()
        return found.name if found else obj.checklist_code

    @admin.display(description=_("inspections"))
    def progress(self, obj):
        counts = plan_counts(obj)
        url = reverse("admin:inspections_inspection_changelist") + f"?draw__plan__id__exact={obj.pk}"
        return format_html(
            '<a href="{}">{}</a>',
            url,
            gettext("%(planned)d planned, %(under_way)d under way, %(closed)d closed") % counts,
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and (obj.draws.exists() or obj.authority_id != request.user.authority_id):
            return False  # a plan that has a draw is what the draw published
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.authority_id = request.user.authority_id
            obj.department = department_of(request.user)
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        plan = self.get_object(request, object_id)
        extra = {}
        if plan is not None:
            latest = plan.draws.order_by("-number").first()
            own = request.user.is_superuser or request.user.authority_id == plan.authority_id
            extra = {
                "latest": latest,
                "can_commit": own and latest is None,
                "can_draw": own and latest is not None and latest.status == Draw.Status.COMMITTED,
                "can_redraw": own and latest is not None and latest.status == Draw.Status.DRAWN,
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(
            request, {**(extra_context or {}), "can_download": request.user.authority_id}
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/commit/",
                self.admin_site.admin_view(require_POST(self.commit_view)),
                name="inspections_inspectionplan_commit",
            ),
            path(
                "<int:pk>/redraw/",
                self.admin_site.admin_view(self.redraw_view),
                name="inspections_inspectionplan_redraw",
            ),
            path(
                "<int:pk>/draw/",
                self.admin_site.admin_view(require_POST(self.draw_view)),
                name="inspections_inspectionplan_draw",
            ),
            path(
                "directory.xlsx",
                self.admin_site.admin_view(self.directory_view),
                name="inspections_directory",
            ),
            *super().get_urls(),
        ]

    def _plan(self, request, pk):
        plan = self.get_object(request, str(pk))
        if plan is None:
            raise Http404
        if not request.user.is_superuser and request.user.authority_id != plan.authority_id:
            raise PermissionDenied  # only the planning body draws
        return plan

    def commit_view(self, request, pk):
        plan = self._plan(request, pk)
        try:
            draw = draw_commit(plan=plan, acting_user=request.user)
        except InspectionError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                gettext("Draw %(n)s committed: its seed commitment is published. Draw it when ready.")
                % {"n": draw.number},
            )
        return redirect(reverse("admin:inspections_inspectionplan_change", args=[pk]))

    def draw_view(self, request, pk):
        plan = self._plan(request, pk)
        draw = plan.draws.filter(status=Draw.Status.COMMITTED).first()
        if draw is None:
            messages.error(request, gettext("There is no committed draw to draw."))
        else:
            try:
                draw_perform(draw=draw, acting_user=request.user)
            except InspectionError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    gettext(
                        "Drawn: %(n)d institutions, each with a pair of inspectors; the result is published."
                    )
                    % {"n": len(draw.result)},
                )
        return redirect(reverse("admin:inspections_inspectionplan_change", args=[pk]))

    def redraw_view(self, request, pk):
        plan = self._plan(request, pk)
        change_url = reverse("admin:inspections_inspectionplan_change", args=[pk])
        form = RedrawForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                draw = draw_commit(plan=plan, acting_user=request.user, reason=form.cleaned_data["reason"])
            except InspectionError as error:
                show_service_error(form, error)
            else:
                messages.success(
                    request,
                    gettext("Redraw %(n)s committed with its reason; draw it to replace the earlier result.")
                    % {"n": draw.number},
                )
                return redirect(change_url)
        return confirm_page(
            self,
            request,
            plan,
            form,
            title=gettext("Redraw this plan?"),
            text=gettext(
                "A redraw is a new draw with a new seed commitment. The earlier draw and its result stay "
                "published, marked as replaced, with your reason."
            ),
            button=gettext("Commit the redraw"),
            change_url=change_url,
        )

    def directory_view(self, request):
        if request.user.is_superuser:
            raise Http404  # the directory is per jurisdiction; a platform administrator has none
        region = Region.objects.filter(authorities=request.user.authority_id).first()
        if region is None or not request.user.has_perm("inspections.view_inspectionplan"):
            raise PermissionDenied
        response = HttpResponse(
            directory_workbook(region.pk),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(True, directory_filename(region.pk))
        return response


@admin.register(Draw)
class DrawAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = ["__str__", "status", "sample_size", "committed_at", "drawn_at"]
    list_filter = ["status"]
    search_fields = ["plan__title"]
    list_select_related = ["plan"]
    fields = [
        "plan",
        "number",
        "status",
        "reason",
        "seed_commitment",
        "roster_digest",
        "pool_digest",
        "sample_size",
        "committed_by",
        "committed_at",
        "drawn_by",
        "drawn_at",
        "public_page",
    ]
    readonly_fields = fields

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        url = reverse("public:draw", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)
