from django.urls import path

from gongzhi.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="open"),
    path("notifications/read-all/", views.notification_read_all, name="read_all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/deliveries/", views.delivery_list, name="deliveries"),
]
