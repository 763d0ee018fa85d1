from django.contrib import admin

from gongzhi.core.admin import ReadOnlyAdmin
from gongzhi.places.models import (
    Building,
    Community,
    Compound,
    District,
    Entrance,
    Grid,
    Room,
    Street,
)  # fmt: skip


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "path")
    search_fields = ("name", "code")


@admin.register(Street)
class StreetAdmin(ReadOnlyAdmin):
    list_display = ("name", "district", "path")
    list_select_related = ("district",)
    search_fields = ("name",)


@admin.register(Community)
class CommunityAdmin(ReadOnlyAdmin):
    list_display = ("name", "street", "path")
    list_select_related = ("street",)
    search_fields = ("name",)


@admin.register(Compound)
class CompoundAdmin(ReadOnlyAdmin):
    list_display = (
        "name", "community", "owners_body_kind", "has_property_company", "households",
        "residents", "buildings_count", "path",
    )  # fmt: skip
    list_select_related = ("community",)
    list_filter = ("owners_body_kind", "has_property_company")
    search_fields = ("name", "address")


@admin.register(Grid)
class GridAdmin(ReadOnlyAdmin):
    list_display = ("name", "compound", "path")
    list_select_related = ("compound",)
    search_fields = ("name", "compound__name")


@admin.register(Building)
class BuildingAdmin(ReadOnlyAdmin):
    list_display = ("name", "compound", "grid", "floors", "has_elevator", "path")
    list_select_related = ("compound", "grid")
    search_fields = ("name", "compound__name")


@admin.register(Entrance)
class EntranceAdmin(ReadOnlyAdmin):
    list_display = ("name", "building", "path")
    list_select_related = ("building",)
    search_fields = ("name", "building__name")


@admin.register(Room)
class RoomAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "compound", "floor", "exclusive_area", "use", "held_by_developer")
    list_select_related = ("compound", "building")
    list_filter = ("use", "area_source", "held_by_developer")
    search_fields = ("name", "building__name", "compound__name")
