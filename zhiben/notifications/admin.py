from django.contrib import admin

from zhiben.core.admin import ReadOnlyAdmin
from zhiben.notifications.models import Notification, OutboundMessage


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "kind", "title", "created_at", "read_at", "acknowledged_at"]
    list_filter = ["kind"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["channel", "recipient_name", "address", "subject", "state", "created_at", "sent_at"]
    list_filter = ["channel", "state"]
