"""Query parameters shared by the API's lists, parsed once with a clear error for every bad value."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ErrorDetail, ValidationError


def single(request, name: str) -> str | None:
    """A query parameter given at most once: the value, None when absent, a 400 naming it when repeated."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ValidationError({name: [ErrorDetail(_("Give this parameter once."), code="invalid")]})
    return values[0] if values else None


def updated_since(request) -> datetime.datetime | None:
    """`updated_since` as an aware datetime in UTC, or None when absent. A value that is not an ISO-8601
    date and time, names an impossible date (2026-13-45) or an offset outside ±24 h, or lies so close
    to year 1 that UTC cannot hold it, is a 400 naming the parameter."""
    raw = single(request, "updated_since")
    if raw is None:
        return None
    try:
        value = parse_datetime(raw.strip())
        if value is not None:
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            value = value.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        message = _("Give an ISO-8601 date and time, e.g. 2026-11-01T00:00:00+08:00.")
        raise ValidationError({"updated_since": [ErrorDetail(message, code="invalid")]})
    return value
