"""Small pieces the filing admin classes share."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from registry.display import service_type_label

from ..selectors import policies_for
from ..services import FilingError

REVIEW_PERMISSION = "filing.review_filing"


def review_limits(request, region_codes) -> dict[str, int]:
    """Each county's review limit in working days, resolved for all the counties asked at once (two
    queries) and kept for the request: the queue's column and its overdue filter share the answers."""
    limits = request.__dict__.setdefault("_filing_review_limits", {})
    missing = set(region_codes) - limits.keys()
    if missing:
        limits.update({code: p.review_working_days for code, p in policies_for(missing).items()})
    return limits


def fees_html(fees):
    """Monthly fees by service type, one per line."""
    if not fees:
        return "—"
    return format_html_join(
        "",
        "<div>{}: {}</div>",
        ((service_type_label(code), _("%(fee)s yuan/month") % {"fee": fee}) for code, fee in fees.items()),
    )


def show_service_error(form: forms.Form, error: FilingError) -> None:
    """Put a refused service call on the form: its message on top, each item's errors at its field."""
    form.add_error(None, error.message)
    for item, problems in error.errors.items():
        form.add_error(item if item in form.fields else None, problems)


class FilingAdminMedia:
    css = {"all": ["platform/filing-admin.css"]}


class ReadOnlyInline(admin.TabularInline):
    """A list of rows under a read-only record; seen by whoever may see the record."""

    extra = 0
    can_delete = False
    classes = ["filing-readonly"]

    def has_view_permission(self, request, obj=None):
        parent = self.parent_model._meta
        return request.user.has_perm(f"{parent.app_label}.view_{parent.model_name}")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def person(field: str, label):
    """A read-only column or field showing the user in `field`, under a translated label (the models
    leave these foreign keys without a verbose name)."""

    @admin.display(description=label, ordering=field)
    def show(self, obj):
        return getattr(obj, field) or "—"

    show.__name__ = f"{field}_person"
    return show
