"""core.capabilities: apps declare their capabilities and grant them to roles."""

from __future__ import annotations

from enum import StrEnum

import pytest

from gongzhi.bodies import rules as roles
from gongzhi.core import capabilities
from gongzhi.core.capabilities import Cap, CapabilityError


@pytest.fixture
def registry():
    """The registry, restored after the test (and its version moved on, so no cached
    merged table of the test survives it)."""
    saved = (
        dict(capabilities._declared),
        dict(capabilities._granted),
        {k: set(v) for k, v in capabilities._appoints.items()},
    )
    yield capabilities
    capabilities._declared, capabilities._granted, capabilities._appoints = saved
    capabilities._version += 1


class Bees(StrEnum):
    KEEP = "bees.keep"


def test_core_declares_only_the_platform_capabilities():
    core = {c for c in capabilities.known() if capabilities.app_of(c) == "core"}
    assert core == {c.value for c in Cap}
    assert {c.split(".")[0] for c in core} == {
        "place",
        "roster",
        "people",
        "bodies",
        "audit",
        "figures",
    }


def test_every_app_capability_is_named_after_its_app():
    for cap in capabilities.known():
        app = capabilities.app_of(cap)
        assert app == "core" or cap.startswith(f"{app}."), cap
    assert {"demands", "voting", "notices", "plugin_app"} <= {
        capabilities.app_of(c) for c in capabilities.known()
    }


def test_a_declared_capability_granted_to_a_group_reaches_the_role_table(registry):
    registry.declare(Bees, app="bees")
    before = registry.version()
    registry.grant([*roles.PROPERTY_CLERKS, registry.OWNER], {Bees.KEEP})
    assert registry.version() > before  # merged tables are rebuilt
    assert Bees.KEEP in roles.capabilities_of("property_company", "clerk")
    assert Bees.KEEP not in roles.capabilities_of("property_company", "manager")
    assert Bees.KEEP in registry.standing(registry.OWNER)
    assert Bees.KEEP not in registry.standing(registry.RESIDENT)


def test_a_capability_must_be_declared_before_it_is_granted(registry):
    with pytest.raises(CapabilityError, match="bees.keep"):
        registry.grant(roles.PROPERTY_CLERKS, {"bees.keep"})
    assert "bees.keep" not in roles.capabilities_of("property_company", "clerk")


def test_an_app_declares_only_its_own_names_and_nobody_else_s(registry):
    class Stolen(StrEnum):
        DISPATCH = "demands.dispatch"

    with pytest.raises(CapabilityError, match="already declared by 'demands'"):
        registry.declare(Stolen, app="bees")

    class Misnamed(StrEnum):
        KEEP = "hive.keep"

    with pytest.raises(CapabilityError, match="must start with bees."):
        registry.declare(Misnamed, app="bees")
    assert "hive.keep" not in registry.known()


def test_appointing_to_a_capability_one_does_not_hold(registry):
    registry.declare(Bees, app="bees")
    with pytest.raises(CapabilityError, match="not declared"):
        registry.appoints("bees.keep", "bees.swarm")
    assert registry.appointable_with({"demands.dispatch"}) == {"demands.dispatch", "demands.handle"}
    assert registry.appointable_with({"bees.keep"}) == {"bees.keep"}
