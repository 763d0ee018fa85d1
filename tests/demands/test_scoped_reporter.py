"""Filing on behalf names a reporter: only a person living in or owning a room of the
compound, resolved in scope (core.refs). The hole: a reporter of elsewhere was accepted,
and that outsider then saw and could withdraw the demand."""

from __future__ import annotations

import pytest

from gongzhi.demands import services
from gongzhi.demands.models import Demand, PlaceKind
from gongzhi.demands.rules import DemandError
from tests.demands.test_api import file_via_api
from tests.factories import (
    HouseholdFactory,
    OwnershipFactory,
    PersonFactory,
    ResidencyFactory,
    RoomFactory,
    resident_of,
)

REFUSED = {"reporter": ["本小区没有这位住户或业主。"]}


@pytest.mark.parametrize("where", ["b", "z", None])
def test_api_refuses_a_reporter_of_elsewhere_as_a_missing_one(cast, repair, api, where):
    reporter = resident_of(getattr(cast, where)) if where else PersonFactory()
    client = api(cast.community_worker)
    foreign = file_via_api(client, cast, repair, channel="phone", reporter=reporter.pk)
    missing = file_via_api(client, cast, repair, channel="phone", reporter=99999999)
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == missing.json() == REFUSED
    assert reporter.name not in foreign.content.decode()
    assert not Demand.objects.exists()


def test_the_outsider_neither_sees_nor_withdraws(cast, repair):
    outsider = cast.outsider  # lives in Z
    with pytest.raises(DemandError) as error:
        services.demand_file_on_behalf(
            actor=cast.community_worker, reporter=outsider.person, channel="phone",
            compound=cast.a, category=repair, description="楼道灯坏了",
            place_kind=PlaceKind.COMMON,
        )  # fmt: skip
    assert error.value.message_dict == REFUSED
    assert not Demand.objects.exists()


def test_an_owner_who_lives_elsewhere_may_be_the_reporter(cast, repair):
    owner = PersonFactory()
    OwnershipFactory(room=RoomFactory(building=cast.building_a1), person=owner)
    demand = services.demand_file_on_behalf(
        actor=cast.community_worker, reporter=owner, channel="phone", compound=cast.a,
        category=repair, description="楼道灯坏了", place_kind=PlaceKind.COMMON,
    )  # fmt: skip
    assert demand.reporter == owner


def test_a_reporter_of_the_compound_is_accepted_by_the_api(cast, repair, api):
    reporter = PersonFactory()
    ResidencyFactory(household=HouseholdFactory(room=cast.room_a, head=reporter))
    response = file_via_api(api(cast.grid_worker), cast, repair, channel="visit",
                            reporter=reporter.pk)  # fmt: skip
    assert response.status_code == 201, response.json()
    assert Demand.objects.get().reporter == reporter
