"""Demands pages (included at the site root) and the Open311 GeoReport v2 endpoint."""

from django.urls import include, path

from gongzhi.demands.views import detail, filing, lists, settings

app_name = "demands"
urlpatterns = [
    path("demands/", filing.index, name="index"),
    path("demands/new/", filing.file_demand, name="new"),
    path("demands/new/behalf/", filing.file_on_behalf, name="new_behalf"),
    path("demands/new/suggest/", filing.suggest_category, name="suggest"),
    path("demands/new/residents/", filing.resident_search, name="resident_search"),
    path("demands/wishes/new/", filing.file_wish, name="new_wish"),
    path("demands/wishes/new/behalf/", filing.file_wish_on_behalf, name="new_wish_behalf"),
    path("demands/mine/", lists.mine, name="mine"),
    path("demands/inbox/", lists.inbox, name="inbox"),
    path("demands/board/", lists.board, name="board"),
    path("demands/<int:pk>/", detail.detail, name="detail"),
    path("demands/<int:pk>/filed/", filing.filed, name="filed"),
    path("demands/<int:pk>/photos/<int:photo_pk>/", detail.photo, name="photo"),
    path("demands/<int:pk>/<slug:action>/", detail.act, name="act"),
    path("compounds/<int:pk>/demands/new/", filing.compound_new, name="compound_new"),
    path("compounds/<int:pk>/demands/settings/", settings.settings_page, name="settings"),
    path(
        "compounds/<int:pk>/demands/settings/categories/",
        settings.category_add,
        name="category_add",
    ),
    path(
        "compounds/<int:pk>/demands/settings/categories/<int:category_pk>/",
        settings.category_edit,
        name="category_edit",
    ),
    path(
        "compounds/<int:pk>/demands/settings/categories/<int:category_pk>/active/",
        settings.category_active,
        name="category_active",
    ),
    path("compounds/<int:pk>/demands/settings/rules/", settings.rule_add, name="rule_add"),
    path(
        "compounds/<int:pk>/demands/settings/rules/<int:rule_pk>/delete/",
        settings.rule_delete,
        name="rule_delete",
    ),
    path("compounds/<int:pk>/demands/settings/chain/", settings.chain_set, name="chain_set"),
    path("compounds/<int:pk>/demands/qr/", settings.qr_page, name="qr"),
    path("compounds/<int:pk>/demands/qr.svg", settings.qr_svg, name="qr_svg"),
    path("compounds/<int:pk>/demands/qr.png", settings.qr_png, name="qr_png"),
    path("open311/v2/", include("gongzhi.demands.open311_urls")),
]
