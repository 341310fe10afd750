from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from filing.admin.policy import RegionalPolicyAdmin
from registry.admin_export import XLSX
from registry.admin_scoping import NationalOrLocal
from registry.models import Region
from registry.selectors import jurisdiction_codes, visible
from registry.spreadsheets import append, stream_workbook

from .. import indicators
from ..models import IndicatorSnapshot, SupplyTarget


@admin.register(SupplyTarget)
class SupplyTargetAdmin(RegionalPolicyAdmin):
    list_display = [
        "region_name",
        "by_year",
        "slots_per_1000_children",
        "slots_per_1000_population",
        "inclusive_share",
        "kindergarten_share",
        "certification_rate",
        "fee_to_income",
    ]
    list_filter = [NationalOrLocal]
    search_fields = ["region__code", "region__name"]
    fields = [
        "region",
        "by_year",
        "slots_per_1000_children",
        "slots_per_1000_population",
        "inclusive_share",
        "kindergarten_share",
        "certification_rate",
        "fee_to_income",
    ]


def _shown(value, unit) -> str:
    if value is None:
        return "—"
    return f"{value}{unit}"


@admin.register(IndicatorSnapshot)
class IndicatorAdmin(admin.ModelAdmin):
    """The supply indicators page: a region of the person's jurisdiction and the regions one level below
    it, each indicator against its target; the region's trend over the years; an Excel copy."""

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _region(self, request) -> Region:
        user = request.user
        wanted = request.GET.get("region", "")
        if wanted and (user.is_superuser or wanted in jurisdiction_codes(user)):
            region = Region.objects.filter(pk=wanted).first()
            if region is not None:
                return region
        if user.authority_id:
            return Region.objects.filter(authorities=user.authority_id).first()
        if user.is_superuser:
            return None
        raise PermissionDenied

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year))
        except ValueError:
            year = today.year
        year = min(max(year, 2000), today.year)
        region = self._region(request)
        if region is None:
            below = list(Region.objects.filter(level=Region.Level.PROVINCE).order_by("pk"))
            codes = [r.pk for r in below]
        else:
            below = list(Region.objects.filter(parent=region).order_by("pk"))
            codes = [region.pk, *[r.pk for r in below]]
        names = {region.pk: region.name} if region else {}
        names |= {r.pk: r.name for r in below}
        rows = indicators.table(codes, year, today) if year == today.year else self._kept(codes, year)
        for row in rows:
            row["name"] = names.get(row["code"], row["code"])
            for cell in row["rows"]:
                cell["shown"] = _shown(cell["value"], cell["unit"])
                cell["goal"] = _shown(cell["target"], cell["unit"])
        if request.GET.get("format") == "xlsx":
            return self._export(rows, region, year)
        trend = indicators.trend(region.pk, year, today) if region else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Supply indicators"),
            "region": region,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "rows": rows,
            "labels": [label for _key, label, *_rest in indicators.INDICATORS],
            "charts": self._charts(trend),
            "below": below,
            "up": region.parent_id
            if region and (request.user.is_superuser or region.parent_id in jurisdiction_codes(request.user))
            else None,
        }
        return TemplateResponse(request, "admin/subsidies/indicators.html", context)

    def _kept(self, codes, year):
        kept = {
            s.region_id: s.figures for s in IndicatorSnapshot.objects.filter(region_id__in=codes, year=year)
        }
        targets = indicators.targets_for(codes)
        return [
            {
                "code": code,
                "counts": kept.get(code, {}),
                "rows": indicators.compared(
                    indicators.rates({**indicators._empty(), **kept[code]}) if code in kept else {},
                    targets.get(code),
                ),
            }
            for code in codes
        ]

    def _charts(self, trend):
        charts = []
        for key, label, _field, _at_least, unit in indicators.INDICATORS[:4]:
            values = [(point["year"], point["values"].get(key)) for point in trend]
            top = max([float(v) for _y, v in values if v is not None] or [1]) or 1
            charts.append(
                {
                    "label": label,
                    "bars": [
                        {
                            "month": str(y),
                            "value": v,
                            "text": "" if v is None else f"{v}",
                            "height": round(76 * float(v or 0) / top),
                            "y": 90 - round(76 * float(v or 0) / top),
                            "x": 8 + i * 48,
                        }
                        for i, (y, v) in enumerate(values)
                    ],
                    "unit": unit,
                }
            )
        return charts

    def _export(self, rows, region, year):
        def sheet_bytes():
            book = Workbook(write_only=True)
            sheet = book.create_sheet(str(year))
            bold = Font(bold=True)
            headers = [gettext("region")]
            for _key, label, *_rest in indicators.INDICATORS:
                headers += [str(label), gettext("target")]
            append(sheet, headers, font=bold)
            for row in rows:
                values = [row["name"]]
                for cell in row["rows"]:
                    values += [
                        None if cell["value"] is None else float(cell["value"]),
                        None if cell["target"] is None else float(cell["target"]),
                    ]
                append(sheet, values)
            yield from stream_workbook(book)

        response = StreamingHttpResponse(sheet_bytes(), content_type=XLSX)
        name = f"{gettext('Supply indicators')}-{region.name if region else ''}-{year}.xlsx"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
        return response
