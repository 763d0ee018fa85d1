import datetime as dt

import pytest
from django.utils import timezone

from gongzhi.core import access
from tests.voting.helpers import open_assembly


@pytest.fixture
def staff(cast):
    """Two managers of compound A (VotingCap.MANAGE_VOTES): the community worker and the
    owners' committee chair. Paper ballots need both: one enters, the other confirms."""
    for user in (cast.community_worker, cast.owners_chair):
        access.forget(user)
    return cast.community_worker, cast.owners_chair


@pytest.fixture
def open_a(cast, staff):
    """Compound A's assembly, open now, one decision question; cast.owner is on its roll."""
    return open_assembly(staff[0], cast.a)


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def later(now):
    return now + dt.timedelta(days=2)
