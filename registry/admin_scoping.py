"""The admin side of the one scoping rule: every scoped admin list and choice starts from `visible`."""

import json
import re

from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import ManyToManyField
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import SIMPLE_HISTORY_REVERSE_ATTR_NAME, DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from .admin_export import ExcelExportMixin
from .display import EMPTY, value_text
from .models import Region
from .selectors import jurisdiction_codes, visible


class ReadableHistory(HistoricalRecordContextHelper):
    """Each change in a history list as a person reads it: labels for choices, 是/否, dashes for empty
    values, local times, service types and fees by name."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(value, DeletedObject):  # a foreign key: empty, or a row since deleted
            return (
                EMPTY
                if value.pk is None
                else _("deleted %(what)s") % {"what": value.model._meta.verbose_name}
            )
        if isinstance(field, ManyToManyField):
            return value_text(None, [str(item) for item in super().prepare_delta_change_value(change, value)])
        return value_text(field, value)

    def stringify_delta_change_values(self, change, old, new):
        return conditional_escape(old), conditional_escape(new)


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """simple-history reads an object's history (and reverts it) from the history rows, bypassing
    `get_queryset`; both pages answer 404 unless the object itself is visible to the person.

    History is read-only everywhere: a revert would write an old row back over state that a workflow
    owns (an accepted filing's institution back to 未备案) with none of its transitions, checks or
    notices. Changes go through the change form and the services; the past is only read."""

    def revert_disabled(self, request, obj=None):
        return True

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

    def get_readonly_fields(self, request, obj=None):
        declared = super().get_readonly_fields(request, obj)
        if not getattr(request, "viewing_history", False):
            return declared
        # A past version is read, never edited: every field it shows is read-only.
        if self.fieldsets:
            shown = flatten_fieldsets(self.fieldsets)
        elif self.fields:
            shown = list(self.fields)
        else:
            fields = [*self.model._meta.concrete_fields, *self.model._meta.many_to_many]
            shown = [f.name for f in fields if f.editable and not f.primary_key]
        return list(dict.fromkeys([*shown, *declared]))

    def _require_visible(self, request, object_id):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            # Records nobody edits (reports, logs) keep no history: Django's own change log page.
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context=extra_context)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        if request.method != "GET":
            raise PermissionDenied(_("History is read-only; change the record itself."))
        request.viewing_history = True
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def history_form_view_title(self, request, obj):
        record = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        when = value_text(None, record.history_date) if record else ""
        return _("%(object)s as it was on %(date)s") % {"object": obj, "date": when}


class ReadOnlyAdminMixin:
    """For records people read but never write in the admin: reports, logs, what operators submit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _estimate(queryset) -> float | None:
    """PostgreSQL's own estimate of the rows a query returns: planning only, nothing is read. None on a
    database that gives no estimate."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (an empty IN list): no query at all
        return 0
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"]


class CappedPaginator(Paginator):
    """Counts at most CAP rows (a scan that stops there) instead of every row a person may see; the list
    then says "超过 1000 条", on PostgreSQL with the planner's estimate beside it ("估计约 100,000 条"),
    and its pages run to the cap. Filters and search narrow it. A page so costs the same for a county
    with 300 institutions and for a country with 200,000."""

    CAP = 1_000

    estimate: float | None = None

    @cached_property
    def count(self):
        rows = self.object_list.order_by()
        self.estimate = _estimate(rows)
        if self.estimate is not None and self.estimate < self.CAP:
            # Few rows expected: an exact count lets the planner use its bitmap plans, where the capped
            # count's LIMIT would lure it into walking an index that the filter then mostly discards.
            return rows.count()
        return rows[: self.CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.CAP

    @property
    def estimated(self) -> str | None:
        """The planner's estimate of the whole list, to two significant figures ("120,000"), when it is
        above the cap."""
        if not self.capped or self.estimate is None or self.estimate <= self.CAP:
            return None
        return f"{round(int(self.estimate), 2 - len(str(int(self.estimate)))):,}"


# A term that is a whole identifier (a USCC, a receipt number): 8 to 32 letters and digits, with a digit.
IDENTIFIER = re.compile(r"(?=.*[0-9])[0-9A-Za-z]{8,32}")


class ScopedAdmin(ExcelExportMixin, ScopedHistoryAdmin):
    """Admin for a model with a `scope`: lists (and their Excel export), detail pages, history and
    foreign-key choices show only what the signed-in person may see. Lists count at most
    CappedPaginator.CAP rows and never the unfiltered total, so a page costs the same for a county and
    for the whole country."""

    paginator = CappedPaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # a count per filter option is a GROUP BY over the whole list
    # Fields matched exactly (upper-cased) when the search term is a whole identifier: a USCC or a receipt
    # number finds its row through a unique index instead of a substring scan. Other terms search
    # `search_fields` by substring, which trigram indexes serve on PostgreSQL.
    search_exact_fields: tuple[str, ...] = ()
    # Columns that only name the region: left out for a person who sees one county, where every row would
    # repeat it and push the columns that matter off the screen.
    region_columns: tuple[str, ...] = ()

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        user = request.user
        if self.region_columns and not user.is_superuser and len(jurisdiction_codes(user)) == 1:
            return [column for column in columns if column not in self.region_columns]
        return columns

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if self.search_exact_fields and IDENTIFIER.fullmatch(term):
            # One small indexed query per field, then the rows by primary key: an OR across a join
            # would make PostgreSQL scan the whole table.
            model = queryset.model._default_manager
            found = set()
            for path in self.search_exact_fields:
                found.update(model.filter(**{path: term.upper()}).values_list("pk", flat=True)[:100])
            return queryset.filter(pk__in=found), False
        return super().get_search_results(request, queryset, search_term)

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related, "scope") and "queryset" not in kwargs:
            kwargs["queryset"] = visible(related._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def county_column(region_path: str = "region"):
    """A list column naming the row's county, sorted by it: put it in `list_display` as "county" and in
    `region_columns`, so that only people who see more than one county get it."""

    @admin.display(description=_("county"), ordering=region_path)
    def county(self, obj):
        region = obj
        for name in region_path.split("__"):
            region = getattr(region, name)
        return region.name

    return county


def county_filter(region_path: str):
    """A list filter by region that costs the same at any size: it offers the regions one level below the
    one chosen (or below the person's own region; provinces for a superuser), read from the small region
    table, never a DISTINCT over the list, and keeps the rows of the chosen region and everything below
    it. A county clerk, who sees one county, is offered nothing."""

    class RegionFilter(admin.SimpleListFilter):
        title = _("region")
        parameter_name = "county"

        def lookups(self, request, model_admin):
            user = request.user
            chosen = self.value()
            if chosen and (user.is_superuser or chosen in jurisdiction_codes(user)):
                parent = chosen
            elif user.is_superuser:
                parent = None
            else:
                parent = Region.objects.filter(authorities=user.authority_id).first()
            if parent is None:
                below = Region.objects.filter(level=Region.Level.PROVINCE)
            else:
                below = Region.objects.filter(parent=parent)
            options = [(r.pk, r.name) for r in below.order_by("pk")]
            if not options and chosen:  # a county: offer it among its neighbours the person also sees
                above = Region.objects.filter(pk=chosen).values_list("parent_id", flat=True).first()
                if above and (user.is_superuser or above in jurisdiction_codes(user)):
                    options = [(r.pk, r.name) for r in Region.objects.filter(parent=above).order_by("pk")]
            if chosen and chosen not in {code for code, _name in options}:
                selected = Region.objects.filter(pk=chosen).first()
                if selected is not None:
                    options.insert(0, (selected.pk, selected.name))
            return options

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            # The codes first, then a plain IN list: a subquery would leave PostgreSQL guessing how many
            # rows it brings and choosing its plan blind.
            subtree = list(Region.objects.subtree(self.value()).values_list("pk", flat=True))
            return queryset.filter(**{f"{region_path}__in": subtree})

    return RegionFilter


class NationalOrLocal(admin.SimpleListFilter):
    """National rows or a region's own, in words (not Django's "empty / not empty")."""

    title = _("applies")
    parameter_name = "national"

    def lookups(self, request, model_admin):
        return [("1", _("National defaults")), ("0", _("A region's own"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(region__isnull=self.value() == "1")
        return queryset


def date_set_filter(field: str, title, when_set, when_empty):
    """A yes/no list filter on whether a date field is set, in words ("revoked" / "in use") rather than
    Django's "empty / not empty"."""

    class DateSetFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            return [("1", when_set), ("0", when_empty)]

        def queryset(self, request, queryset):
            if self.value() in ("0", "1"):
                return queryset.filter(**{f"{field}__isnull": self.value() == "0"})
            return queryset

    DateSetFilter.title = title
    return DateSetFilter
