"""What the conference admin classes share: visibility by conference (jurisdiction or membership),
choices limited to visible conferences, and the service-error plumbing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from registry.admin_scoping import ScopedAdmin

from ..models import Conference
from ..selectors import in_visible_conferences, visible_conferences
from ..services import ConferenceError


class ConferenceMedia:
    css = {"all": ["conference/conference.css"]}


class ConferenceScopedAdmin(ScopedAdmin):
    """A `ScopedAdmin` whose rows are those of the conferences the person may see. `visible()` alone
    would miss member units from outside the conference's region, so the list goes through
    `conference.selectors.visible_conferences` (which itself starts from `visible()`)."""

    conference_path = "conference"
    Media = ConferenceMedia

    def get_queryset(self, request):
        queryset = SimpleHistoryAdmin.get_queryset(self, request)
        if self.conference_path == "pk":
            return queryset.filter(pk__in=visible_conferences(request.user).values("pk"))
        return in_visible_conferences(queryset, request.user, self.conference_path)

    def _conference_choices(self, model, request):
        if model is Conference:
            return visible_conferences(request.user)
        if any(f.name == "conference" for f in model._meta.fields):
            return in_visible_conferences(model._default_manager.all(), request.user)
        return None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = self._conference_choices(db_field.related_model, request)
        if choices is not None and "queryset" not in kwargs:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = self._conference_choices(db_field.related_model, request)
        if choices is not None and "queryset" not in kwargs:
            kwargs["queryset"] = choices.select_related("conference")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def report_error(request, error: Exception) -> None:
    """A refused service call, as a message."""
    if isinstance(error, ConferenceError):
        messages.error(request, error.message)
    elif isinstance(error, PermissionDenied):
        messages.error(request, str(error) or PermissionDenied.__name__)
    else:  # pragma: no cover - only the two kinds above are caught
        raise error


def same_conference(form: forms.ModelForm, conference, *fields) -> None:
    """Every unit chosen in `fields` must belong to `conference`."""
    for name in fields:
        value = form.cleaned_data.get(name)
        units = value if hasattr(value, "__iter__") else [value]
        for unit in units:
            if unit is not None and conference is not None and unit.conference_id != conference.pk:
                form.add_error(name, _not_member(unit))


def _not_member(unit):
    from django.utils.translation import gettext as _

    return _("%(unit)s is not a member unit of this conference.") % {"unit": unit}
