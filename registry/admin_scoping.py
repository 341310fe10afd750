"""The admin side of the one scoping rule: every scoped admin list and choice starts from `visible`."""

from simple_history.admin import SimpleHistoryAdmin

from .selectors import visible


class ScopedAdmin(SimpleHistoryAdmin):
    """Admin for a model with a `scope`: lists, detail pages, history and foreign-key choices show
    only what the signed-in person may see."""

    def get_queryset(self, request):
        return visible(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related, "scope") and "queryset" not in kwargs:
            kwargs["queryset"] = visible(related._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
