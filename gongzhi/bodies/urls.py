from django.urls import path

from gongzhi.bodies import views

app_name = "bodies"
urlpatterns = [
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/members/", views.member_appoint, name="member_appoint"),
    path("bodies/<int:pk>/members/<int:mpk>/end/", views.member_end, name="member_end"),
    path("bodies/<int:pk>/dissolve/", views.body_dissolve, name="body_dissolve"),
]
