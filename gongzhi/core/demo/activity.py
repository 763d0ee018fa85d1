"""What happens in the demo compounds once they stand: votes, lists, demands.

Each app owns the demo of its own work and registers its loader in its
``AppConfig.ready`` (core.registry.add_demo_loader); this module runs them in order,
after every story's places, bodies and people exist.
"""

from __future__ import annotations

from gongzhi.core import registry
from gongzhi.core.demo.context import DemoContext


def build(ctx: DemoContext) -> None:
    for loader in registry.demo_loaders():
        loader.load(ctx)
