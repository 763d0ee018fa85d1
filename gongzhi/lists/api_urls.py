"""Lists API v1 routes (included under api/<version>/ by core.api_urls)."""

from django.urls import path

from gongzhi.lists import api

app_name = "lists"

urlpatterns = [
    path("lists", api.ListCollectionView.as_view(), name="collection"),
    path("lists/<int:pk>", api.ListDetailView.as_view(), name="detail"),
    *[
        path(f"lists/<int:pk>/{slug}", view.as_view(), name=slug)
        for slug, view in api.LIST_ACTIONS.items()
    ],
    path("lists/items/<int:pk>", api.ItemDetailView.as_view(), name="item"),
    *[
        path(f"lists/items/<int:pk>/{slug}", view.as_view(), name=f"item-{slug}")
        for slug, view in api.ITEM_ACTIONS.items()
    ],
    path("lists/milestones/<int:pk>/done", api.MilestoneDoneView.as_view(), name="milestone-done"),
    path("figures/lists", api.FiguresView.as_view(), name="figures"),
]
