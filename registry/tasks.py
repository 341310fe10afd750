from celery import shared_task

from .services import idempotency_purge


@shared_task(ignore_result=True, soft_time_limit=300)
def purge_idempotency_keys() -> int:
    """Forget Idempotency-Keys past their retention; safe to run any number of times."""
    return idempotency_purge()
