"""API v1 routes of the audit log (included under /api/<version>/). Read-only."""

from django.urls import path

from gongzhi.audit.api import AuditEventViewSet

urlpatterns = [
    path(
        "audit-events",
        AuditEventViewSet.as_view({"get": "list"}),
        name="audit-event-list",
    ),
    path(
        "audit-events/<int:pk>",
        AuditEventViewSet.as_view({"get": "retrieve"}),
        name="audit-event-detail",
    ),
]
