from django.db import models


class QueueOrder(models.Model):
    """A work queue's order kept in a column from the status on every save, so that an index serves the
    queue instead of a sort over every visible row. Subclasses set QUEUE_PRIORITY (status → rank, lower
    first; any other status ranks QUEUE_DEFAULT) and declare `queue_priority` in their own column order."""

    QUEUE_PRIORITY: dict[str, int] = {}
    QUEUE_DEFAULT = 2

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.queue_priority = self.QUEUE_PRIORITY.get(self.status, self.QUEUE_DEFAULT)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "queue_priority"}
        super().save(*args, **kwargs)
