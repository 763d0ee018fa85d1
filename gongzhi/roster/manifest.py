"""What the roster app puts in the registries (core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import registry
from gongzhi.core.capabilities import Cap


def register() -> None:
    for order, (label, url_name) in enumerate(
        ((_("导入名册"), "roster:import"), (_("导出名册"), "roster:export")), start=95
    ):
        registry.add_compound_link("roster", label, url_name, needs={Cap.EDIT_ROSTER}, order=order)
    registry.add_audit_actions(
        "roster", {"roster.import": _("导入名册"), "roster.export": _("导出名册")}
    )
