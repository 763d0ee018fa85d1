from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from gongzhi.core.admin import AuditedAdminMixin, ReadOnlyAdmin
from gongzhi.people.models import Account, Household, Ownership, Person, Residency


class AccountCreationForm(AdminUserCreationForm):
    class Meta:
        model = Account
        fields = ("phone", "person")


class AccountChangeForm(UserChangeForm):
    class Meta:
        model = Account
        fields = "__all__"


@admin.register(Account)
class AccountAdmin(AuditedAdminMixin, UserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    list_display = ("phone", "person", "is_active", "is_superuser", "last_login")
    list_select_related = ("person",)
    list_filter = ("is_active", "is_superuser")
    search_fields = ("phone", "person__name")
    ordering = ("phone",)
    raw_id_fields = ("person",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("phone", "password", "person")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("phone", "person", "usable_password", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ()


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("name", "gender", "masked_phone", "is_vulnerable")
    list_filter = ("is_vulnerable", "gender")
    search_fields = ("name", "phone", "id_number")
    exclude = ("id_number",)  # shown masked in the list; the full number stays in the roster


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "is_renting", "moved_in", "moved_out")
    list_select_related = ("room__building", "head")
    search_fields = ("room__name", "head__name")


@admin.register(Residency)
class ResidencyAdmin(ReadOnlyAdmin):
    list_display = ("person", "household", "relation", "is_tenant", "since", "until")
    list_select_related = ("person", "household__room__building", "household__head")
    search_fields = ("person__name",)


@admin.register(Ownership)
class OwnershipAdmin(ReadOnlyAdmin):
    list_display = ("person", "room", "share", "is_designated_voter", "since", "until")
    list_select_related = ("person", "room__building")
    search_fields = ("person__name", "room__name", "certificate_no")
