"""Demands pages (included at the site root) and the Open311 GeoReport v2 endpoint."""

from django.urls import include, path

from gongzhi.demands import views

app_name = "demands"
urlpatterns = [
    path("demands/", views.index, name="index"),
    path("demands/new/", views.file_demand, name="new"),
    path("demands/new/behalf/", views.file_on_behalf, name="new_behalf"),
    path("demands/new/suggest/", views.suggest_category, name="suggest"),
    path("demands/new/residents/", views.resident_search, name="resident_search"),
    path("demands/wishes/new/", views.file_wish, name="new_wish"),
    path("demands/wishes/new/behalf/", views.file_wish_on_behalf, name="new_wish_behalf"),
    path("demands/mine/", views.mine, name="mine"),
    path("demands/inbox/", views.inbox, name="inbox"),
    path("demands/board/", views.board, name="board"),
    path("demands/<int:pk>/", views.detail, name="detail"),
    path("demands/<int:pk>/filed/", views.filed, name="filed"),
    path("demands/<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
    path("demands/<int:pk>/<slug:action>/", views.act, name="act"),
    path("compounds/<int:pk>/demands/new/", views.compound_new, name="compound_new"),
    path("compounds/<int:pk>/demands/settings/", views.settings_page, name="settings"),
    path(
        "compounds/<int:pk>/demands/settings/categories/", views.category_add, name="category_add"
    ),
    path(
        "compounds/<int:pk>/demands/settings/categories/<int:category_pk>/",
        views.category_edit,
        name="category_edit",
    ),
    path(
        "compounds/<int:pk>/demands/settings/categories/<int:category_pk>/active/",
        views.category_active,
        name="category_active",
    ),
    path("compounds/<int:pk>/demands/settings/rules/", views.rule_add, name="rule_add"),
    path(
        "compounds/<int:pk>/demands/settings/rules/<int:rule_pk>/delete/",
        views.rule_delete,
        name="rule_delete",
    ),
    path("compounds/<int:pk>/demands/settings/chain/", views.chain_set, name="chain_set"),
    path("compounds/<int:pk>/demands/qr/", views.qr_page, name="qr"),
    path("compounds/<int:pk>/demands/qr.svg", views.qr_svg, name="qr_svg"),
    path("compounds/<int:pk>/demands/qr.png", views.qr_png, name="qr_png"),
    path("open311/v2/", include("gongzhi.demands.open311_urls")),
]
