"""Writes for the registry. Callers import from here; the modules below group them by subject."""

from .clients import api_client_create, api_client_revoke, api_client_touch
from .conflicts import ConflictAlreadyResolved, conflict_resolve
from .idempotency import (
    IdempotencyConflict,
    IdempotencyInProgress,
    idempotency_begin,
    idempotency_complete,
    idempotency_purge,
    request_fingerprint,
)
from .people import authority_ensure, operator_grant, operator_revoke, roles_sync, staff_user_ensure
from .pushes import PushOutcome, registration_push, registration_push_many
from .regions import RegionRow, institutions_moved, regions_load
from .scope import scope_decide

__all__ = [
    "ConflictAlreadyResolved",
    "IdempotencyConflict",
    "IdempotencyInProgress",
    "PushOutcome",
    "RegionRow",
    "api_client_create",
    "api_client_revoke",
    "api_client_touch",
    "authority_ensure",
    "conflict_resolve",
    "idempotency_begin",
    "idempotency_complete",
    "idempotency_purge",
    "institutions_moved",
    "operator_grant",
    "operator_revoke",
    "regions_load",
    "registration_push",
    "registration_push_many",
    "request_fingerprint",
    "roles_sync",
    "scope_decide",
    "staff_user_ensure",
]
