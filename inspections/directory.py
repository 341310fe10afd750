"""The monthly directory of sites (the list fire rescue enters into its 双随机 roster, also sent by
webhook): every filed institution of a jurisdiction, and the registered-but-unfiled ones marked as such,
streamed into a workbook."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from filing.selectors import unfiled_institutions
from registry.models import Institution, Region
from registry.models.institutions import FilingStatus
from registry.spreadsheets import append


def directory_workbook(region_code: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Sites"))
    for column, width in zip("ABCDEF", (14, 22, 40, 48, 16, 22), strict=True):
        sheet.column_dimensions[column].width = width
    append(
        sheet,
        [_("County"), _("USCC"), _("Name"), _("Address"), _("Form of care"), _("Filing")],
        font=Font(bold=True),
    )
    filed = (
        Institution.objects.filter(
            region__in=Region.objects.subtree(region_code).values("pk"), filing_status=FilingStatus.FILED
        )
        .select_related("region")
        .order_by("region_id", "name")
    )
    for institution in filed.iterator(chunk_size=2000):
        append(
            sheet,
            [
                institution.region.name,
                institution.uscc,
                institution.name,
                institution.address,
                institution.get_care_form_display(),
                _("Filed"),
            ],
        )
    for row in unfiled_institutions(region_code).iterator(chunk_size=2000):
        append(
            sheet,
            [row["region__name"], row["uscc"], row["name"], row["address"], "", _("Registered, not filed")],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def directory_filename(region_code: str) -> str:
    return f"directory-{region_code}-{timezone.localdate():%Y-%m}.xlsx"
