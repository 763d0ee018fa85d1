from django.urls import path

from gongzhi.people import views

app_name = "people"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/sms/", views.login_sms, name="login_sms"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
