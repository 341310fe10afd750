from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.admin_scoping import ScopedAdmin

from . import selectors, services
from .forms import SubscriptionForm
from .models import Delivery, DeliveryAttempt, Notification, OutboxEvent, WebhookSubscription


class ReadFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", _("Unread")), ("yes", _("Read"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(read_at=None)
        if self.value() == "yes":
            return queryset.exclude(read_at=None)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Each person's inbox: only their own notifications, newest first, unread in bold."""

    list_display = ["headline", "created_at", "read_state"]
    list_filter = [ReadFilter]
    search_fields = ["title", "body"]
    actions = ["mark_read"]
    list_display_links = None
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.inbox(request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request) and (obj is None or obj.recipient_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("notification"), ordering="title")
    def headline(self, obj):
        link = reverse("notifications:open", args=[obj.pk])
        tag = "strong" if obj.unread else "span"
        return format_html(
            '<a href="{}"><{}>{}</{}></a><div class="help">{}</div>',
            link,
            tag,
            obj.title,
            tag,
            obj.body[:140],
        )

    @admin.display(description=_("state"), ordering="read_at")
    def read_state(self, obj):
        return _("Unread") if obj.unread else _("Read")

    @admin.action(description=_("Mark as read"))
    def mark_read(self, request, queryset):
        for notification in queryset.filter(read_at=None):
            services.mark_read(notification)


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["number", "at", "status_code", "error", "response", "duration_ms"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ScopedAdmin):
    form = SubscriptionForm
    list_display = ["authority", "url", "event_list", "active", "disabled_reason", "created_at"]
    list_filter = ["active", "authority__kind"]
    search_fields = ["authority__name", "url"]
    list_select_related = ["authority"]
    autocomplete_fields = ["authority"]
    readonly_fields = ["disabled_at", "disabled_reason", "created_at"]
    actions = ["rotate_secret", "reactivate"]

    @admin.action(description=_("Issue a new signing secret"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        if request.POST.get("post") != "yes":
            return TemplateResponse(
                request,
                "admin/notifications/webhooksubscription/rotate_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": _("Issue new signing secrets?"),
                    "subscriptions": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        count = services.webhooks.subscriptions_rotate_secret(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d subscription has a new secret; give it to the receiver.",
                "%(count)d subscriptions have new secrets; give them to the receivers.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reactivate"), permissions=["change"])
    def reactivate(self, request, queryset):
        count = services.webhooks.subscriptions_reactivate(queryset)
        self.message_user(
            request,
            ngettext("%(count)d subscription reactivated.", "%(count)d subscriptions reactivated.", count)
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.display(description=_("event types"))
    def event_list(self, obj):
        return "、".join(obj.event_types)


@admin.register(Delivery)
class DeliveryAdmin(ScopedAdmin):
    """Every delivery with its attempts; a stuck or failed one can be retried at once."""

    list_display = [
        "event_key",
        "subscription",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_error",
    ]
    list_filter = ["status", "event__event_type"]
    search_fields = ["event__key", "subscription__url", "subscription__authority__name"]
    list_select_related = ["event", "subscription__authority"]
    readonly_fields = [
        "event",
        "subscription",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_error",
        "created_at",
    ]
    fields = readonly_fields
    inlines = [DeliveryAttemptInline]
    actions = ["retry_now"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("event"), ordering="event__key")
    def event_key(self, obj):
        return obj.event.key

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_now(self, request, queryset):
        count = services.retry_now(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery will be retried now.", "%(count)d deliveries will be retried now.", count
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(OutboxEvent)
class OutboxEventAdmin(ScopedAdmin):
    list_display = ["key", "event_type", "region_code", "created_at"]
    list_filter = ["event_type"]
    search_fields = ["key", "message_id"]
    readonly_fields = ["message_id", "event_type", "key", "region_code", "payload", "created_at"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
