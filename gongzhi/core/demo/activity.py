"""What happens in the demo compounds once they stand: votes, lists, demands.

Each app owns the demo of its own work (``<app>/demo.py``); this module calls them with the
compounds of the stories, after every story's places, bodies and people exist.
"""

from __future__ import annotations

from gongzhi.core.demo import story_001, story_002
from gongzhi.core.demo.context import DemoContext


def build(ctx: DemoContext) -> None:
    from gongzhi.demands.demo import load_demands_demo
    from gongzhi.lists.demo import load_lists_demo
    from gongzhi.voting.demo import load_voting_demo

    pacific = ctx.worlds[story_002.KEY].compound
    load_voting_demo(pacific)  # story 002: the election and the elevator vote, one open assembly
    load_lists_demo(ctx.worlds[story_001.KEY].compound)  # story 001: 67 needs, 36 solved
    load_demands_demo(ctx)  # stories 004 and 002: 58 suggestions / 48 handled, 21 micro-wishes
