from django.urls import path

from gongzhi.notifications import api

urlpatterns = [
    path("notifications", api.NotificationListAPI.as_view(), name="notification-list"),
    path(
        "notifications/unread-count",
        api.UnreadCountAPI.as_view(),
        name="notification-unread-count",
    ),
    path(
        "notifications/read-all", api.NotificationReadAllAPI.as_view(), name="notification-read-all"
    ),
    path(
        "notifications/<int:pk>/read", api.NotificationReadAPI.as_view(), name="notification-read"
    ),
]
