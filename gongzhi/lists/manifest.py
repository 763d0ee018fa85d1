"""What the lists app puts in the registries (core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import registry

# lists.services audits item moves as "lists.item_<verb>" (services._common.audit_item).
ITEM_VERBS = ("add", "drop", "finish", "plan", "progress", "solve", "claim", "assign", "release")


def _demo(ctx) -> None:
    from gongzhi.core.demo import story_001
    from gongzhi.lists.demo import load_lists_demo

    load_lists_demo(ctx.worlds[story_001.KEY].compound)  # story 001: 67 needs, 36 solved


def register() -> None:
    registry.add_feature(
        "lists",
        _("需求清单 · 问题清单"),
        _("居民的需求和小区的问题列成清单公开,党员、单位认领,办到哪一步大家都看得见。"),
        order=20,
    )
    registry.add_compound_link("lists", _("需求清单"), "lists:compound", order=20)
    registry.add_demo_loader("lists", _demo, order=20)
    registry.add_audit_actions(
        "lists",
        {
            "lists.create": _("新建清单"),
            "lists.publish": _("发布清单"),
            "lists.archive": _("归档清单"),
            "lists.items_add": _("诉求加入清单"),
            "lists.milestone_done": _("完成节点"),
            **{f"lists.item_{verb}": _("清单事项") for verb in ITEM_VERBS},
        },
    )
