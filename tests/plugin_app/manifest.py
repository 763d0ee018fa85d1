"""Everything the test app plugs in: nav, compound link, figures, card section, audit
actions, a periodic job, a notification kind, a demo loader, and a capability granted to
a standing role and a group of posts."""

from gongzhi.bodies import rules as roles
from gongzhi.core import capabilities, registry, schedules
from gongzhi.core.capabilities import Cap
from tests.plugin_app.capabilities import GardenCap

DEMO_RUNS: list = []


def _figures(path):
    return {"gardens": 7}


def _section(user, card):
    return {"title": "花园"} if card.kind == "resident" else None


def _demo(ctx):
    DEMO_RUNS.append(ctx)


def register() -> None:
    registry.add_nav_item(
        "plugin_app", "花园", "plugin_app:index", icon="home", visible=lambda user: True,
        namespace="plugin_app", order=25,
    )  # fmt: skip
    registry.add_compound_link(
        "plugin_app", "小区花园", "plugin_app:garden", needs={Cap.VIEW_PLACE}, order=99
    )
    registry.add_figures(
        "plugin_app", "plugin_app", "花园", _figures, template="plugin_app/_figures.html"
    )
    registry.add_card_section("plugin_app", "plugin_app", "plugin_app/_section.html", _section)
    registry.add_audit_actions("plugin_app", {"plugin_app.water": "浇水"})
    registry.add_demo_loader("plugin_app", _demo, order=99)
    capabilities.grant([capabilities.RESIDENT, *roles.BUILDING_LEADERS], {GardenCap.WATER})
    capabilities.appoints(Cap.MANAGE_BODIES, GardenCap.WATER)  # whoever names building leaders
    registry.add_feature("plugin_app", "小区花园", "一起种花、浇水。", order=99)
    schedules.register("plugin_app.water", "tests.plugin_app.manifest._figures", 60)

    from gongzhi.notifications.kinds import register_kind

    register_kind("plugin_app.watered", "花已浇水")
