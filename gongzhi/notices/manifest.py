"""What the notices app puts in the registries (core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import registry


def register() -> None:
    registry.add_compound_link("notices", _("公告栏"), "notices:board", order=10)
    registry.add_audit_actions("notices", {"notice.post": _("发布公告")})
