from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.admin_flags import problem_badges
from registry.admin_scoping import ReadOnlyAdminMixin, ScopedAdmin, county_filter
from registry.roles import Role

from ..models import Employment, Person, StaffRole
from ..selectors import document_digests, visible_people
from ..services import person_document


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


@admin.register(Employment)
class EmploymentAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    list_display = [
        "person_name",
        "document",
        "institution",
        "county",
        "role",
        "starts_on",
        "ends_on",
        "flags",
    ]
    region_columns = ("county",)
    list_filter = ["role", OpenFilter, "ban_flagged", county_filter("institution__region")]
    search_fields = ["person__name", "institution__name"]
    search_help_text = _("Name or institution; or a whole identity document number.")
    list_select_related = ["person", "institution__region"]
    fields = ["person", "institution", "role", "starts_on", "ends_on", "ban_flagged"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        health = user.groups.filter(name__in=[Role.COUNTY_HEALTH, Role.SUPERVISING_HEALTH]).exists()
        if not user.is_superuser and not health and user.groups.filter(name=Role.PUBLIC_SECURITY).exists():
            queryset = queryset.filter(role=StaffRole.SECURITY)  # public security sees security staff only
        return queryset

    def get_search_results(self, request, queryset, search_term):
        digests = document_digests(search_term.strip())
        if digests:  # a whole document number: matched by its digest, never by a LIKE on the number
            return queryset.filter(person__document_digest__in=digests), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("name"), ordering="person__name")
    def person_name(self, obj):
        return obj.person.name

    @admin.display(description=_("document number"))
    def document(self, obj):
        return obj.person.document_masked

    @admin.display(description=_("county"), ordering="institution__region")
    def county(self, obj):
        return obj.institution.region.name

    @admin.display(description=_("flags"))
    def flags(self, obj):
        return problem_badges(
            (obj.ban_flagged and obj.ends_on is None, gettext("banned: end the employment"))
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
