"""What the audit app puts in the registries (core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import registry


def _may_view(user) -> bool:
    from gongzhi.audit.permissions import may_view_audit

    return may_view_audit(user)


def register() -> None:
    registry.add_nav_item(
        "audit", _("审计日志"), "audit:event_list", icon="log", visible=_may_view,
        namespace="audit", order=40,
    )  # fmt: skip
    registry.add_audit_actions("audit", {"audit.export": _("导出审计日志")})
