from django.contrib import admin

from gongzhi.bodies.models import Body, CentralHouseholdLink, Membership, PartyMember
from gongzhi.core.admin import ReadOnlyAdmin


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "compound", "community", "has_party_organisation", "place_path")
    list_select_related = ("compound", "community")
    list_filter = ("kind", "has_party_organisation")
    search_fields = ("name", "legal_name")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("person", "body", "post", "start", "end", "scope_path")
    list_select_related = ("person", "body")
    list_filter = ("post", "body__kind")
    search_fields = ("person__name", "body__name")


@admin.register(CentralHouseholdLink)
class CentralHouseholdLinkAdmin(ReadOnlyAdmin):
    list_display = ("membership", "household")
    list_select_related = ("membership__person", "membership__body", "household__room__building")


@admin.register(PartyMember)
class PartyMemberAdmin(ReadOnlyAdmin):
    list_display = (
        "person",
        "organisation",
        "organisation_name",
        "is_in_service",
        "registered_community",
    )
    list_select_related = ("person", "organisation", "registered_community")
    list_filter = ("is_in_service",)
    search_fields = ("person__name", "organisation_name")
