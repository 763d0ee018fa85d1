from django.urls import path

from gongzhi.lists import views

app_name = "lists"
urlpatterns = [
    path("compounds/<int:pk>/lists/", views.compound_lists, name="compound"),
    path("compounds/<int:pk>/lists/new", views.list_new, name="new"),
    path("lists/<int:pk>/", views.list_detail, name="detail"),
    path("lists/<int:pk>/compile", views.list_compile, name="compile"),
    path("lists/<int:pk>/items/new", views.item_new, name="item_new"),
    path("lists/<int:pk>/publish", views.list_publish, name="publish"),
    path("lists/<int:pk>/archive", views.list_archive, name="archive"),
    path("lists/items/<int:pk>/", views.item_detail, name="item"),
    path("lists/items/<int:pk>/claim", views.item_claim, name="item_claim"),
    path("lists/items/<int:pk>/progress", views.item_progress, name="item_progress"),
    path("lists/items/<int:pk>/finish", views.item_finish, name="item_finish"),
    path("lists/items/<int:pk>/solve", views.item_solve, name="item_solve"),
    path("lists/items/<int:pk>/release", views.item_release, name="item_release"),
    path("lists/items/<int:pk>/drop", views.item_drop, name="item_drop"),
    path("lists/items/<int:pk>/plan", views.item_plan, name="item_plan"),
    path("lists/milestones/<int:pk>/done", views.milestone_done, name="milestone_done"),
    path("lists/photos/<int:pk>", views.progress_photo, name="photo"),
]
