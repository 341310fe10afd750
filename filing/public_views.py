"""The public directory for parents (no sign-in): search and filters, a page per county, and the open-data
CSV. Every page reads only `DirectoryEntry`, so nothing private can appear; each client address has a budget
of requests a minute (PUBLIC_REQUESTS_PER_MINUTE), answered with 429 when spent."""

import csv
import functools
import json

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from config.lockout import client_ip
from registry.models import Region
from registry.models.registrations import ServiceType
from registry.spreadsheets import csv_row

from . import directory

PER_PAGE = 20


def rate_limited(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = f"public-rate:{client_ip(request)}"
        cache.add(key, 0, timeout=60)
        try:
            spent = cache.incr(key)
        except ValueError:  # expired between add and incr
            spent = 1
        if spent > settings.PUBLIC_REQUESTS_PER_MINUTE:
            response = render(request, "public/too_many.html", {"title": _("Too many requests")}, status=429)
            response["Retry-After"] = "60"
            return response
        return view(request, *args, **kwargs)

    return wrapper


@rate_limited
def directory_page(request):
    entries = directory.search(request.GET).select_related("region")
    key = "&".join(f"{k}={v}" for k, v in sorted(request.GET.items()) if k != "page")
    page = directory.CachedCountPaginator(entries, PER_PAGE, key).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "public/directory.html",
        {
            "title": _("Childcare institutions"),
            "page": page,
            "counties": directory.counties(),
            "grades": directory.grades(),
            "services": ServiceType.choices,
            "filters": request.GET,
            "query": query.urlencode(),
            "filtered": bool(key),
        },
    )


@rate_limited
def county_page(request, code):
    region = Region.objects.filter(pk=code).select_related("parent").first()
    if region is None:
        raise Http404
    figures = directory.county_figures(code)
    return render(
        request,
        "public/county.html",
        {"title": region.name, "region": region, "figures": figures},
    )


class _Echo:
    def write(self, value):
        return value


@rate_limited
def directory_csv(request):
    """The open data as CSV (UTF-8 with a BOM, so Excel opens the Chinese), streamed a chunk at a time."""
    writer = csv.writer(_Echo())
    entries = directory.search(request.GET).order_by("uscc")

    def rows():
        yield "\ufeff" + writer.writerow(directory.OPEN_FIELDS)
        for entry in entries.iterator(2000):
            row = directory.open_row(entry)
            yield writer.writerow(
                csv_row(
                    json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
                    for value in row.values()
                )
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="institutions.csv"'
    return response
