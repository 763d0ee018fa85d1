"""Demands API v1 routes (included under api/<version>/ by core.api_urls)."""

from django.urls import path

from gongzhi.demands import api

app_name = "demands"

urlpatterns = [
    path("demands", api.DemandCollectionView.as_view(), name="collection"),
    path("demands/inbox", api.DemandInboxView.as_view(), name="inbox"),
    path("demands/board", api.DemandBoardView.as_view(), name="board"),
    path("demands/categories", api.CategoryListView.as_view(), name="categories"),
    path("demands/categories/<int:pk>", api.CategoryDetailView.as_view(), name="category_detail"),
    path("demands/<int:pk>", api.DemandDetailView.as_view(), name="detail"),
    path("demands/<int:pk>/similar", api.DemandSimilarView.as_view(), name="similar"),
    *[
        path(f"demands/<int:pk>/{slug}", view.as_view(), name=slug)
        for slug, view in api.ACTIONS.items()
    ],
    path("figures/demands", api.DemandFiguresView.as_view(), name="figures"),
]
