"""Excel export of any admin list: the rows the person sees with the filters, search and ordering they set,
every page of them, the list's own columns under their Chinese headers, dates as dates. Written with
openpyxl's write-only workbook a chunk of rows at a time to a temporary file and streamed from it, so
200,000 rows take bounded memory."""

import datetime

from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.styles import Font

from .spreadsheets import append, stream_workbook

CHUNK = 2000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExcelExportMixin:
    """Adds 导出 Excel to a ModelAdmin's list. `export_columns` names the columns (list_display's when
    empty); each is read as the list reads it (a field, a method of the admin or the model)."""

    export_columns: tuple[str, ...] = ()
    export_xlsx = True  # False where the list has its own export (the staff register's)

    def _export_name(self) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_export_xlsx"

    def get_urls(self):
        if not self.export_xlsx:
            return super().get_urls()
        return [
            path(
                "export.xlsx",
                self.admin_site.admin_view(self.export_xlsx_view),
                name=self._export_name(),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.export_xlsx:
            return super().changelist_view(request, extra_context)
        url = reverse(f"admin:{self._export_name()}")
        return super().changelist_view(request, {**(extra_context or {}), "export_xlsx_url": url})

    def export_columns_for(self, request) -> list[str]:
        columns = self.export_columns or self.get_list_display(request)
        return [c for c in columns if c != "action_checkbox"]

    def export_xlsx_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        rows = changelist.get_queryset(request)
        columns = self.export_columns_for(request)
        response = StreamingHttpResponse(self._workbook(rows, columns), content_type=XLSX)
        name = f"{self.model._meta.verbose_name_plural}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
        response["Cache-Control"] = "private, no-store"
        return response

    def _workbook(self, rows, columns):
        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(self.model._meta.verbose_name_plural)[:31])
        headers = [str(label_for_field(c, self.model, model_admin=self)) for c in columns]
        append(sheet, headers, font=Font(bold=True))
        for obj in rows.iterator(chunk_size=CHUNK):
            values = [self._cell(obj, c) for c in columns]
            formats = [_format(v) for v in values]
            append(sheet, values, formats=formats)
        yield from stream_workbook(book)

    def _cell(self, obj, column):
        try:
            field, _attr, value = lookup_field(column, obj, self)
        except (AttributeError, ObjectDoesNotExist):
            return ""
        if field is not None and getattr(field, "flatchoices", None):
            return str(dict(field.flatchoices).get(value, value if value is not None else ""))
        if isinstance(value, datetime.datetime):
            return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if value is None:
            return ""
        if isinstance(value, datetime.date | int | float):
            return value
        if isinstance(value, models.Model):
            return str(value)
        return strip_tags(str(value)).strip()


def _format(value):
    if isinstance(value, datetime.datetime):
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, datetime.date):
        return "yyyy-mm-dd"
    return None
