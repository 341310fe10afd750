from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from ..models import ApiClient, hash_token
from ..services import api_client_touch


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <token>`; the token is looked up by its hash. The request then acts as the
    client's service user (request.user) with the client in request.auth."""

    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Authorization: Token <token>."))
        try:
            token = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token contains invalid characters.")) from None
        client = (
            ApiClient.objects.select_related("user__authority__region")
            .filter(key_hash=hash_token(token))
            .first()
        )
        if client is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if not client.is_usable or not client.user.is_active or client.user.authority is None:
            raise exceptions.AuthenticationFailed(_("The token has been revoked or has expired."))
        api_client_touch(client=client)
        return client.user, client

    def authenticate_header(self, request):
        return self.keyword


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "registry.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>`, as printed by `manage.py create_api_token`.",
        }
