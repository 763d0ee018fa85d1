"""What the lists app puts in the registries (core.registry)."""

from django.utils.translation import gettext_lazy as _

from gongzhi.core import registry


def _demo(ctx) -> None:
    from gongzhi.core.demo import story_001
    from gongzhi.lists.demo import load_lists_demo

    load_lists_demo(ctx.worlds[story_001.KEY].compound)  # story 001: 67 needs, 36 solved


def register() -> None:
    registry.add_compound_link("lists", _("需求清单"), "lists:compound", order=20)
    registry.add_demo_loader("lists", _demo, order=20)
