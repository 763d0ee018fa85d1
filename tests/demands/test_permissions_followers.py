"""A follower reads and comments on a demand only while they still see its compound."""

import datetime as dt

from gongzhi.core import access
from gongzhi.demands import permissions
from gongzhi.demands.models import Follower, FollowReason
from gongzhi.people.models import Ownership


def test_an_owner_who_sold_no_longer_reads_the_demand_merged_from_his(cast, file_demand):
    demand = file_demand(is_public=False)  # the resident's, about room 101
    Follower.objects.create(demand=demand, person=cast.owner.person, reason=FollowReason.MERGED)
    assert permissions.can_view(cast.owner, demand)
    assert permissions.can_comment(cast.owner, demand)

    Ownership.objects.filter(person=cast.owner.person).update(until=dt.date(2026, 1, 1))
    access.forget(cast.owner)
    assert not permissions.follows(cast.owner, demand)
    assert not permissions.can_view(cast.owner, demand)
    assert not permissions.can_comment(cast.owner, demand)
