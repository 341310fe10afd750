"""The served OpenAPI schema describes every answer the API gives: each operation lists, besides its
own successes, the error answers any request can meet on the way (authentication, permission, parsing,
throttling), all in the one error shape. A drf-spectacular post-processing hook, so a new operation is
described the same way without repeating the list."""

ERROR_REF = {"$ref": "#/components/schemas/Error"}

COMMON = {
    "400": "Invalid input: `errors` names each bad field or parameter with a code.",
    "401": "No token, or a token that is not valid, revoked or expired.",
    "403": "The token's authority may not do this.",
    "406": "The Accept header asks for something other than JSON.",
    "429": "Too many requests from this client; the Retry-After header says when to try again.",
}
WITH_BODY = {
    "413": "The body is larger than the platform accepts.",
    "415": "The body is not JSON (Content-Type: application/json).",
}
WITH_PATH_PARAMETER = {"404": "No such record among those this client may read."}
# Answered by the web server (gunicorn) before the platform, as a short HTML page.
TOO_LONG = {
    "description": "The request line (the address with its query) is longer than the web server accepts.",
    "content": {"text/html": {"schema": {"type": "string"}}},
}


def add_error_responses(result, generator, request, public):
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            wanted = dict(COMMON)
            if method in {"post", "put", "patch"}:
                wanted.update(WITH_BODY)
            if "{" in path:
                wanted.update(WITH_PATH_PARAMETER)
            responses = operation.setdefault("responses", {})
            for status, description in wanted.items():
                entry = responses.setdefault(status, {"content": {"application/json": {"schema": ERROR_REF}}})
                if not entry.get("description"):
                    entry["description"] = description
            responses.setdefault("414", TOO_LONG)
            if "429" in responses:
                responses["429"].setdefault("headers", {})["Retry-After"] = {
                    "schema": {"type": "integer"},
                    "description": "Seconds to wait before the next request.",
                }
    return result
