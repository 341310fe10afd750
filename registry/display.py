"""Values as a person reads them: a choice by its label, a boolean as 是/否, an empty value as a dash,
times in the platform's time zone, service types and fees by their names. Used wherever a stored value
is shown outside a form (history, notes, exports)."""

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import ServiceType

EMPTY = "—"


def service_type_label(code) -> str:
    try:
        return str(ServiceType(code).label)
    except ValueError:
        return str(code)


def service_types_text(codes) -> str:
    """Service types by their names, in the order given."""
    return "、".join(service_type_label(code) for code in codes or [])


def fees_text(fees) -> str:
    """Monthly fees by service type, on one line."""
    return "；".join(
        f"{service_type_label(code)} {_('%(fee)s yuan/month') % {'fee': fee}}"
        for code, fee in (fees or {}).items()
    )


def value_text(field: models.Field | None, value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "Y-m-d H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "Y-m-d")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    name = getattr(field, "name", "")
    if name == "service_types" or name.endswith("_service_types"):
        return service_types_text(value)
    if name in ("monthly_fees", "fees") and isinstance(value, dict):
        return fees_text(value)
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, dict):
        return "；".join(f"{key}：{item}" for key, item in value.items())
    return str(value)
