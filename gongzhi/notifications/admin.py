"""Admin: group bots are configured here; batches and deliveries are read-only records."""

from __future__ import annotations

from django.contrib import admin

from gongzhi.notifications.models import Batch, Delivery, Notification, WebhookTarget


@admin.register(WebhookTarget)
class WebhookTargetAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "place_path", "active", "created_at"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "place_path"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["channel", "target_label", "status", "attempts", "last_error", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "title", "place_path", "created_at"]
    list_filter = ["kind"]
    search_fields = ["title", "place_path"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "channel", "target_label", "status", "attempts", "updated_at"]
    list_filter = ["status", "channel"]
    readonly_fields = ["last_error"]
    list_select_related = ["batch"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "recipient", "kind", "title", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    raw_id_fields = ["recipient"]
