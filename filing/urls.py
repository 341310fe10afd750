from django.urls import path

from . import views

app_name = "filing"

urlpatterns = [
    path("materials/<int:pk>/", views.material_download, name="material"),
    path("receipts/<int:pk>/", views.receipt, name="receipt"),
    path("receipts/<int:pk>.pdf", views.receipt_pdf, name="receipt-pdf"),
    path("reports/<int:pk>/workbook.xlsx", views.report_workbook, name="report-workbook"),
]
