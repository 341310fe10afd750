import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from registry.admin_flags import problem_badges
from registry.admin_scoping import ReadOnlyAdminMixin, ScopedAdmin, county_column, county_filter
from registry.roles import Role

from .. import exports
from ..models import DocumentView, Employment, Person, StaffRole
from ..selectors import CARE_ROLES, DUE_DAYS, document_digests, health_state, roster, visible_people
from ..services import person_document


def _police_only(request) -> bool:
    """Public security staff (and not health staff as well): security staff and bans, no health data."""
    user = request.user
    if user.is_superuser:
        return False
    cached = user.__dict__.get("_police_only")
    if cached is None:
        roles = set(user.groups.values_list("name", flat=True))
        cached = user.__dict__["_police_only"] = Role.PUBLIC_SECURITY in roles and not roles & {
            Role.COUNTY_HEALTH,
            Role.SUPERVISING_HEALTH,
        }
    return cached


class OpenFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("Employed now")), ("no", _("Ended"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(ends_on__isnull=True)
        if self.value() == "no":
            return queryset.filter(ends_on__isnull=False)
        return queryset


class CertifiedFilter(admin.SimpleListFilter):
    title = _("certificate")
    parameter_name = "certified"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Holds a valid certificate for the role")),
            ("no", _("Care role without a valid certificate")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(certified=True)
        if self.value() == "no":
            return queryset.filter(certified=False, role__in=CARE_ROLES)
        return queryset


class HealthFilter(admin.SimpleListFilter):
    title = _("health check")
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [
            ("expired", _("Lapsed or none on record")),
            ("due", _("Lapses within 30 days")),
            ("valid", _("Valid for more than 30 days")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        soon = today + datetime.timedelta(days=DUE_DAYS)
        if self.value() == "expired":
            return queryset.filter(Q(health_until__isnull=True) | Q(health_until__lt=today))
        if self.value() == "due":
            return queryset.filter(health_until__gte=today, health_until__lte=soon)
        if self.value() == "valid":
            return queryset.filter(health_until__gt=soon)
        return queryset


@admin.register(Employment)
class EmploymentAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    export_xlsx = False  # its own export masks identity numbers and leaves health out for the police
    list_display = [
        "person_name",
        "document",
        "institution",
        "county",
        "role",
        "starts_on",
        "ends_on",
        "certificate",
        "health_check",
        "flags",
    ]
    region_columns = ("county",)
    list_filter = [
        "role",
        OpenFilter,
        CertifiedFilter,
        HealthFilter,
        "ban_flagged",
        county_filter("institution__region"),
    ]
    search_fields = ["person__name", "institution__name"]
    search_help_text = _("Name or institution; or a whole identity document number.")
    list_select_related = ["person", "institution__region"]
    fields = ["staff_member", "institution", "role", "starts_on", "ends_on", "ban_flagged"]
    readonly_fields = fields
    change_list_template = "admin/workforce/employment/change_list.html"

    def get_queryset(self, request):
        queryset = roster(super().get_queryset(request), timezone.localdate())
        if _police_only(request):
            # Public security sees the security staff, and anyone it must follow up under a ban.
            queryset = queryset.filter(Q(role=StaffRole.SECURITY) | Q(ban_flagged=True))
        return queryset

    def get_list_filter(self, request):
        if _police_only(request):
            return [f for f in self.list_filter if f not in (CertifiedFilter, HealthFilter)]
        return self.list_filter

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if _police_only(request):  # health data is the health bureau's
            return [c for c in columns if c not in ("certificate", "health_check")]
        return columns

    def changelist_view(self, request, extra_context=None):
        extra = {"health_view": not _police_only(request)}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def lookup_allowed(self, lookup, value, request=None):
        # The institution page's staff panel links to its roster.
        return lookup == "institution__id__exact" or super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request, queryset, search_term):
        digests = document_digests(search_term.strip())
        if digests:  # a whole document number: matched by its digest, never by a LIKE on the number
            return queryset.filter(person__document_digest__in=digests), False
        return super().get_search_results(request, queryset, search_term)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export.xlsx", view(self.export_view), name="workforce_employment_export"),
            path("certification/", view(self.certification_view), name="workforce_employment_certification"),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """The list as filtered, every page of it, as a workbook streamed in chunks."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = self.get_changelist_instance(request).get_queryset(request)
        response = StreamingHttpResponse(
            exports.roster_workbook(rows, timezone.localdate(), health=not _police_only(request)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = gettext("staff-register") + f"-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        response["Cache-Control"] = "private, no-store"
        return response

    def certification_view(self, request):
        if not self.has_view_permission(request) or _police_only(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Certification rate"),
            **exports.certification_table(super().get_queryset(request), request.user, timezone.localdate()),
        }
        return TemplateResponse(request, "admin/workforce/employment/certification.html", context)

    @admin.display(description=_("staff member"))
    def staff_member(self, obj):
        return str(obj.person)

    @admin.display(description=pgettext_lazy("person", "name"), ordering="person__name")
    def person_name(self, obj):
        return obj.person.name

    @admin.display(description=_("document number"))
    def document(self, obj):
        return obj.person.document_masked

    county = county_column("institution__region")

    @admin.display(description=_("certificate"))
    def certificate(self, obj):
        if obj.certified:
            return gettext("certified")
        return problem_badges(
            (obj.role in CARE_ROLES and obj.ends_on is None, gettext("no valid certificate"))
        )

    @admin.display(description=_("health check"), ordering="health_until")
    def health_check(self, obj):
        state = health_state(obj.health_until, timezone.localdate())
        if state == "valid":
            return obj.health_until.isoformat()
        texts = {
            "missing": gettext("none on record"),
            "expired": gettext("lapsed %(day)s") % {"day": obj.health_until},
            "due": gettext("valid until %(day)s") % {"day": obj.health_until},
        }
        return problem_badges((obj.ends_on is None, texts[state])) or texts[state]

    @admin.display(description=_("flags"))
    def flags(self, obj):
        return problem_badges(
            (obj.ban_flagged and obj.ends_on is None, gettext("banned: end the employment")),
            (not obj.has_no_criminal_record, gettext("no no-criminal-record certificate")),
        )


@admin.register(Person)
class PersonAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "document_masked", "document_type"]
    search_fields = ["name"]
    fields = ["name", "document_type", "document_masked", "phone", "created_at"]
    readonly_fields = fields
    change_form_template = "admin/workforce/person/change_form.html"

    def get_queryset(self, request):
        return visible_people(request.user)

    def get_search_results(self, request, queryset, search_term):
        digests = document_digests(search_term.strip())
        if digests:
            return queryset.filter(document_digest__in=digests), False
        return super().get_search_results(request, queryset, search_term)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        person = self.get_queryset(request).filter(pk=object_id).first() if str(object_id).isdigit() else None
        extra = {}
        if person is not None:
            extra = {
                "employments": Employment.objects.filter(person=person).select_related("institution"),
                "records": [
                    (
                        "certificate",
                        gettext("Certificates"),
                        person.certificates.select_related("certificate_type"),
                    ),
                    ("health-check", gettext("Health checks"), person.health_checks.all()),
                    ("training", gettext("Training"), person.trainings.all()),
                    (
                        "no-criminal-record",
                        gettext("No-criminal-record certificates"),
                        person.no_criminal_records.all(),
                    ),
                ],
                "today": timezone.localdate(),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def get_urls(self):
        return [
            path(
                "<int:pk>/document/",
                self.admin_site.admin_view(self.document_view),
                name="workforce_person_document",
            ),
            *super().get_urls(),
        ]

    def document_view(self, request, pk):
        """The full number, after a POST (so a prefetch or a shared link never reveals it); recorded."""
        person = self.get_queryset(request).filter(pk=pk).first()
        if person is None:
            raise Http404
        change_url = reverse("admin:workforce_person_change", args=[pk])
        if request.method != "POST":
            return redirect(change_url)
        try:
            number = person_document(person=person, viewer=request.user)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": person,
            "number": number,
            "title": gettext("Identity document of %(name)s") % {"name": person.name},
            "change_url": change_url,
        }
        response = TemplateResponse(request, "admin/workforce/person/document.html", context)
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(DocumentView)
class DocumentViewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who saw which full identity number, when (PIPL): for the bureau, over the people it may see."""

    list_display = ["at", "viewer", "person_name", "document"]
    list_filter = [("at", admin.DateFieldListFilter)]
    search_fields = ["person__name", "viewer__username", "viewer__first_name"]
    list_select_related = ["viewer", "person"]
    fields = ["at", "viewer", "person_name", "document"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(person__in=visible_people(request.user))

    @admin.display(description=pgettext_lazy("person", "name"), ordering="person__name")
    def person_name(self, obj):
        return obj.person.name

    @admin.display(description=_("document number"))
    def document(self, obj):
        return obj.person.document_masked
