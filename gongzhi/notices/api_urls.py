from django.urls import path

from gongzhi.notices import api

urlpatterns = [
    path("compounds/<int:pk>/notices/", api.NoticeList.as_view(), name="notices-list"),
    path("notices/<int:pk>/", api.NoticeDetail.as_view(), name="notices-detail"),
]
