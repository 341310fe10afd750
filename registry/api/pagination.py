"""Cursor pagination that answers a bad `cursor` or `page_size` with a 400 naming it, instead of a 404 or
silently using the default."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework.exceptions import ErrorDetail, NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from .params import single


def _invalid(parameter: str, message: str) -> ValidationError:
    return ValidationError({parameter: [ErrorDetail(message, code="invalid")]})


class StrictCursorPagination(CursorPagination):
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"

    def decode_cursor(self, request):
        single(request, self.cursor_query_param)
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise _invalid(
                self.cursor_query_param,
                _("This cursor was not issued by the platform: follow the `next` link, or start without it."),
            ) from None

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor is signed by nobody: a hand-made one decodes but names a position that is no date.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise _invalid(
                self.cursor_query_param,
                _("This cursor was not issued by the platform: follow the `next` link, or start without it."),
            ) from None

    def get_page_size(self, request):
        raw = single(request, self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = int(raw) if raw.isascii() and raw.isdigit() else 0
        if not 1 <= size <= self.max_page_size:
            raise _invalid(
                self.page_size_query_param,
                _("Give a whole number from 1 to %(max)d.") % {"max": self.max_page_size},
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters
