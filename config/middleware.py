from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from registry.api.errors import error_body


class LanguageMiddleware:
    """Pages speak Chinese unless the person chose another language (the language cookie set by
    /i18n/setlang/); a browser's Accept-Language does not switch them. The API, called by other
    systems, answers in the language each request asks for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = translation.get_supported_language_variant(chosen) if chosen else None
            language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query string is never valid input, and PostgreSQL refuses it inside
    a string, so a filter or lookup that passed it on would fail with a server error. Answer 400 first:
    in the API's documented error shape under /api/, as a plain page elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or "\x00" in value for key, value in _pairs(request)):
            return _bad_request(request)
        return self.get_response(request)


def _pairs(request):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value


def _bad_request(request):
    message = _("The address contains a NUL character, which is never valid.")
    if request.path_info.startswith("/api/"):
        return JsonResponse(error_body(400, "invalid_characters", message), status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
