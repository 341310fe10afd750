"""The API reads JSON only, within the same size limit as every other request, and answers a body it
cannot read with the documented error shape instead of a server error."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = _("The request body is larger than the platform accepts.")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise RequestTooLarge
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:  # json gives up on nesting about 1000 levels deep
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from None
