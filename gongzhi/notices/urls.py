from django.urls import path

from gongzhi.notices import views

app_name = "notices"
urlpatterns = [
    path("compounds/<int:pk>/notices/", views.board, name="board"),
    path("compounds/<int:pk>/notices/new", views.notice_new, name="new"),
    path("notices/<int:pk>/", views.detail, name="detail"),
    path("notices/<int:pk>/attachment", views.attachment, name="attachment"),
]
