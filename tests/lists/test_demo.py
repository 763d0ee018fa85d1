"""The demo's needs list (story 001): 67 collected, 36 solved, 22 claimed."""

from __future__ import annotations

from gongzhi.lists import selectors
from gongzhi.lists.demo import FIX_NOW, LONG_TERM, load_lists_demo
from gongzhi.lists.models import ItemClaim
from gongzhi.lists.rules import ListState, Mode


def test_the_demo_builds_story_001s_needs_list(cast, partners):
    assert len(FIX_NOW) + len(LONG_TERM) == 67
    work_list = load_lists_demo(cast.a)
    assert work_list.state == ListState.PUBLISHED
    figures = selectors.figures_for_list(work_list)
    assert (figures.collected, figures.solved, figures.claimed) == (67, 36, 22)
    assert (figures.fix_now, figures.long_term) == (45, 22)
    claims = ItemClaim.objects.filter(item__work_list=work_list)
    assert claims.filter(body=partners.unit).exists()
    assert claims.filter(person=partners.member.person).exists()
    # The liaison and the member have accounts: they claimed for themselves.
    assert not claims.filter(assigned=True).exists()
    done_projects = work_list.items.filter(mode=Mode.LONG_TERM, state="done")
    assert done_projects.count() == 4
    assert not done_projects.filter(milestones__done_at__isnull=True).exists()


def test_without_claimers_the_items_stay_open(cast):
    figures = selectors.figures_for_list(load_lists_demo(cast.z))
    assert (figures.collected, figures.solved, figures.claimed) == (67, 24, 0)
