"""The education bureau's ledger of kindergarten nursery classes (托班): per kindergarten, each class with
its places, children and carers. Education staff keep it for their region; health staff read it."""

from django import forms
from django.contrib import admin, messages
from django.db.models import F
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from registry.admin_flags import problem_badges
from registry.admin_scoping import ScopedAdmin, county_column, county_filter
from registry.models import Institution, Route
from registry.selectors import visible

from ..models import NurseryClass
from ..selectors import nursery_class_problems


class OverFullFilter(admin.SimpleListFilter):
    title = _("places")
    parameter_name = "full"

    def lookups(self, request, model_admin):
        return [("over", _("More children than places"))]

    def queryset(self, request, queryset):
        return queryset.filter(children__gt=F("places")) if self.value() == "over" else queryset


class NurseryClassForm(forms.ModelForm):
    class Meta:
        model = NurseryClass
        fields = ["institution", "name", "class_type", "places", "children", "carers"]

    def clean_institution(self):
        institution = self.cleaned_data["institution"]
        if institution.route != Route.KINDERGARTEN:
            raise forms.ValidationError(
                _("Only a kindergarten (registered on the kindergarten route) has nursery classes.")
            )
        return institution

    def clean(self):
        data = super().clean()
        institution, name = data.get("institution"), data.get("name")
        taken = NurseryClass.objects.filter(institution=institution, name=name).exclude(pk=self.instance.pk)
        if institution and name and taken.exists():
            self.add_error(
                "name",
                _("%(kindergarten)s already has a class called “%(name)s”; choose another name.")
                % {"kindergarten": institution.name, "name": name},
            )
        return data

    def _get_validation_exclusions(self):
        # The one constraint (a name once per kindergarten) is checked in clean(), with the error at the name.
        return {*super()._get_validation_exclusions(), "name"}


@admin.register(NurseryClass)
class NurseryClassAdmin(ScopedAdmin):
    form = NurseryClassForm
    list_display = [
        "institution",
        "county",
        "name",
        "class_type",
        "places",
        "children",
        "carers",
        "flags",
        "updated_at",
    ]
    region_columns = ("county",)
    list_filter = ["class_type", OverFullFilter, county_filter("institution__region")]
    search_fields = ["institution__name", "name"]
    search_exact_fields = ("institution__uscc",)
    list_select_related = ["institution__region"]
    autocomplete_fields = ["institution"]
    readonly_fields = ["updated_at", "updated_by"]

    county = county_column("institution__region")

    @admin.display(description=_("flags"))
    def flags(self, obj):
        return problem_badges((obj.children > obj.places, gettext("more children than places")))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "institution":
            kwargs["queryset"] = visible(Institution.objects.filter(route=Route.KINDERGARTEN), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        for problem in nursery_class_problems(obj):
            messages.warning(request, problem)
