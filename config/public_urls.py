"""Everything under /public/ (no sign-in), one namespace: receipts (filing), the directory's supervision
results, published random inspection draws."""

from filing import public_urls as filing_public
from inspections import public_urls as inspections_public

app_name = "public"

urlpatterns = [*filing_public.urlpatterns, *inspections_public.urlpatterns]
