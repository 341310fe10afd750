"""The register's workbook export and the certification-rate table of the admin."""

import datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from registry.models import Institution, Region
from registry.selectors import jurisdiction_codes
from registry.spreadsheets import append, stream_workbook

from .models import Certificate
from .selectors import CARE_ROLES, certification_rates, certification_total

CHUNK = 2000


def roster_workbook(employments, today: datetime.date, *, health: bool = True):
    """The employments (annotated by `selectors.roster`) as a workbook, read in chunks; yields the file's
    bytes. Identity numbers are masked, as on the list; without `health`, the certificate and health
    columns are left out (public security's copy)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Staff register"))
    header = [
        pgettext("person", "name"),
        _("document number"),
        _("institution"),
        _("Unified social credit code"),
        _("county"),
        pgettext("staff", "role"),
        _("employed from"),
        _("last day"),
        _("certified"),
        _("certificates"),
        _("health check valid until"),
        _("no-criminal-record certificate"),
        _("the person is banned"),
    ]
    health_columns = {_("certified"), _("certificates"), _("health check valid until")}
    kept = [i for i, title in enumerate(header) if health or title not in health_columns]
    append(sheet, [header[i] for i in kept], font=Font(bold=True))
    date = "yyyy-mm-dd"
    formats = [None, None, None, None, None, None, date, date, None, None, date, None, None]
    valid = Certificate.objects.select_related("certificate_type").order_by("issued_on")
    rows = employments.select_related("person", "institution__region").prefetch_related(
        Prefetch("person__certificates", queryset=valid)
    )
    yes, no = _("yes"), _("no")
    for employment in rows.iterator(chunk_size=CHUNK):
        certificates = "、".join(
            c.certificate_type.name + (f"（{c.level}）" if c.level else "")
            for c in employment.person.certificates.all()
            if c.expires_on is None or c.expires_on >= today
        )
        certified = yes if employment.certified else (no if employment.role in CARE_ROLES else "")
        values = [
            employment.person.name,
            employment.person.document_masked,
            employment.institution.name,
            employment.institution.uscc,
            employment.institution.region.name,
            employment.get_role_display(),
            employment.starts_on,
            employment.ends_on,
            certified,
            certificates,
            employment.health_until,
            yes if employment.has_no_criminal_record else no,
            yes if employment.ban_flagged and employment.ends_on is None else "",
        ]
        append(sheet, [values[i] for i in kept], formats=[formats[i] for i in kept])
    yield from stream_workbook(workbook)


def certification_table(employments, user, today: datetime.date) -> dict:
    """The certification rate one level below the person's own: a county's institutions, a city's
    counties, a province's cities (every city for a platform administrator); lowest rate first."""
    codes = [] if user.is_superuser else jurisdiction_codes(user)
    if len(codes) == 1:
        level, by = _("institution"), "institution"
    elif codes and Region.objects.filter(pk__in=codes, level=Region.Level.CITY).count() == 1:
        level, by = _("county"), "institution__region"
    else:
        level, by = _("city"), "institution__region__parent"
    rows = certification_rates(employments, today, by)
    keys = [row["key"] for row in rows]
    changelist = reverse("admin:workforce_employment_changelist")
    if by == "institution":
        names = dict(Institution.objects.filter(pk__in=keys).values_list("pk", "name"))
        links = {k: f"{changelist}?institution__id__exact={k}&open=yes" for k in keys}
    else:
        names = dict(Region.objects.filter(pk__in=keys).values_list("pk", "name"))
        links = {k: f"{changelist}?county={k}&open=yes" for k in keys}
    for row in rows:
        row["name"] = names.get(row["key"], row["key"])
        row["url"] = links[row["key"]] + "&certified=no"
        row["missing"] = row["staff"] - row["certified"]
    rows.sort(key=lambda row: (row["rate"] is None, row["rate"] or 0, row["name"]))
    return {"level": level, "rows": rows, "total": certification_total(employments, today), "today": today}
