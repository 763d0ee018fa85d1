"""The admin site: for active superusers only, and an inspector rather than an editor.

Domain data changes through the services (which check access and write the audit log),
so the domain models are registered read-only (``ReadOnlyAdmin``); accounts, which have
no other screen yet, are editable and every change is written to the audit log
(``AuditedAdminMixin``).
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gongzhi.audit import services as audit
from gongzhi.audit.services import snapshot


def superuser_only(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = superuser_only
admin.site.site_header = _("共治 · 管理后台")
admin.site.site_title = _("共治管理后台")
admin.site.index_title = _("数据查看")


class ReadOnlyAdmin(admin.ModelAdmin):
    """View and search only: writes go through the services."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AuditedAdminMixin:
    """Writes an audit event for every addition and change made in the admin."""

    def _audit(self, request, obj, verb: str) -> None:
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action=f"admin.{obj._meta.model_name}.{verb}",
                obj=obj,
                after=snapshot(obj),
            )

    def log_addition(self, request, obj, message):
        self._audit(request, obj, "add")
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, obj, "change")
        return super().log_change(request, obj, message)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deactivate instead; audit events refer to their actors
