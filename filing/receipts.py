"""The filing receipt as a PDF (A4): the same facts as the printable page, with a verification code and a
QR code that lead to the receipt's public check. ReportLab's built-in Chinese font (STSong-Light, a CID
font every PDF reader supplies) needs no font file on the server."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from registry.models import CareForm

from .models import Filing

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

TITLE = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=28, alignment=1, spaceAfter=6 * mm)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, wordWrap="CJK")
TEXT = ParagraphStyle("text", parent=BODY, firstLineIndent=24)
RIGHT = ParagraphStyle("right", parent=BODY, alignment=2)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=9, leading=13)


class QrCode(Flowable):
    def __init__(self, text: str, size: float = 28 * mm):
        super().__init__()
        self.text, self.size = text, size
        self.width = self.height = size

    def draw(self):
        widget = QrCodeWidget(self.text)
        left, bottom, right, top = widget.getBounds()
        drawing = Drawing(
            self.size,
            self.size,
            transform=[self.size / (right - left), 0, 0, self.size / (top - bottom), 0, 0],
        )
        drawing.add(widget)
        renderPDF.draw(drawing, self.canv, 0, 0)


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def receipt_pdf(filing: Filing, verify_url: str) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title=f"{_('Filing receipt')} {filing.receipt_number}",
    )
    if filing.kind == Filing.Kind.CHANGE:
        title = _("Change filing receipt")
    elif filing.care_form == CareForm.HOME_POINT:
        title = _("Home-based care point filing receipt")
    else:
        title = _("Childcare institution filing receipt")
    classes = "；".join(f"{c.get_class_type_display()} {c.slots}" for c in filing.classes.all())
    rows = [
        (_("Unified social credit code"), filing.institution.uscc),
        (_("Address"), filing.address),
        (_("Legal representative"), filing.legal_representative),
        (_("Service types"), "、".join(str(label) for label in filing.service_type_labels)),
        (_("Classes and slots"), classes or "—"),
        (_("Inclusive"), _("Yes") if filing.inclusive else _("No")),
    ]
    table = Table(
        [
            [Paragraph(escape(str(label)), BODY), Paragraph(escape(str(value or "—")), BODY)]
            for label, value in rows
        ],
        colWidths=[40 * mm, None],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f3f5f7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    issuer = filing.decided_by.authority.name if filing.decided_by and filing.decided_by.authority else ""
    body = _(
        "The filing materials you submitted on %(date)s have been received and the filing is accepted. "
        "Operate according to the setting standard and management norms for childcare institutions, and "
        "accept the supervision of the health department and other departments."
    ) % {"date": _date(timezone.localdate(filing.submitted_at))}
    check = Table(
        [
            [
                QrCode(verify_url),
                Paragraph(
                    escape(_("Verification code: %(code)s") % {"code": filing.verification_code})
                    + "<br/>"
                    + escape(_("Scan the code, or open this address, to check the receipt:"))
                    + "<br/>"
                    + escape(verify_url),
                    SMALL,
                ),
            ]
        ],
        colWidths=[32 * mm, None],
    )
    check.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    document.build(
        [
            Paragraph(escape(str(title)), TITLE),
            Paragraph(escape(_("Receipt number") + "：" + filing.receipt_number), RIGHT),
            Spacer(1, 4 * mm),
            Paragraph(escape(filing.name + "："), BODY),
            Paragraph(escape(body), TEXT),
            Spacer(1, 5 * mm),
            table,
            Spacer(1, 10 * mm),
            Paragraph(escape(issuer) + "<br/>" + escape(_date(timezone.localdate(filing.decided_at))), RIGHT),
            Spacer(1, 12 * mm),
            check,
        ]
    )
    return out.getvalue()
