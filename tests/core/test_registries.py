"""Apps plug into the platform through core.registry from their own AppConfig.ready.

tests/plugin_app is installed only by the test settings and edits nothing outside itself;
it must appear in the navigation, on the home page (compound link, figures, card
section), in the demo, among the audit actions, the schedules and the notification kinds,
and its URLs must be routed. And core imports no feature app.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from gongzhi.core import registry, schedules
from tests.plugin_app import manifest as plugin

ROOT = Path(__file__).resolve().parents[2]
# The platform's base: core may build on these; every other app is a feature app.
FOUNDATION = {"core", "places", "people", "bodies", "audit"}


def feature_apps() -> set[str]:
    return {
        c.name.split(".")[1]
        for c in apps.get_app_configs()
        if c.name.startswith("gongzhi.") and c.name.split(".")[1] not in FOUNDATION
    }


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("app", sorted(FOUNDATION))
def test_the_foundation_imports_no_feature_app(app):
    features = feature_apps()
    assert {"demands", "voting", "lists"} <= features
    offending = []
    for path in sorted((ROOT / "gongzhi" / app).rglob("*.py")):
        for module in imported_modules(path):
            parts = module.split(".")
            if parts[0] == "gongzhi" and len(parts) > 1 and parts[1] in features:
                offending.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offending == []


def test_the_project_urls_name_no_app():
    text = (ROOT / "gongzhi" / "urls.py").read_text() + (
        ROOT / "gongzhi" / "core" / "api_urls.py"
    ).read_text()
    for app in feature_apps():
        assert f"gongzhi.{app}" not in text


def test_the_plugin_pages_and_api_are_routed(client):
    assert client.get(reverse("plugin_app:index")).content.decode() == "插件"
    assert client.get("/api/v1/plugin/ping").json() == {"plugin": "pong"}


def home_html(client, account) -> str:
    client.force_login(account)
    return client.get("/").content.decode()


def test_the_plugin_is_in_the_navigation(client, cast):
    html = home_html(client, cast.resident)
    assert f'href="{reverse("plugin_app:index")}"' in html
    assert "花园" in html


def test_the_plugin_links_every_compound_of_a_role(client, cast):
    html = home_html(client, cast.secretary)
    assert f'href="{reverse("plugin_app:garden", args=[cast.a.pk])}"' in html


def test_the_plugin_link_is_on_the_compound_page(client, cast):
    client.force_login(cast.resident)
    html = client.get(f"/compounds/{cast.a.pk}/").content.decode()
    assert f'href="{reverse("plugin_app:garden", args=[cast.a.pk])}"' in html


def test_the_plugin_figures_are_shown_to_those_who_see_figures(client, cast):
    assert "花园数 7" in home_html(client, cast.street_official)
    assert "花园数 7" not in home_html(client, cast.resident)


def test_the_plugin_card_section(client, cast):
    assert "插件小节:花园" in home_html(client, cast.resident)
    assert "插件小节" not in home_html(client, cast.street_official)


def test_the_plugin_tells_visitors_what_it_does_on_the_landing_page(client):
    html = client.get("/").content.decode()
    assert "小区花园" in html and "一起种花、浇水。" in html


def test_the_plugin_demo_loader_runs_with_the_others(monkeypatch):
    from gongzhi.core.demo import activity

    loaders = registry.demo_loaders()
    assert [d.app for d in loaders][-1] == "plugin_app"
    assert {"demands", "voting", "lists"} <= {d.app for d in loaders}
    # Run only the plugin's (the others build the whole demo: tests/core/test_demo.py).
    monkeypatch.setattr(registry, "_demo", [d for d in loaders if d.app == "plugin_app"])
    activity.build("ctx")
    assert plugin.DEMO_RUNS[-1] == "ctx"


def test_the_plugin_audit_action_schedule_and_notification_kind():
    from gongzhi.notifications.kinds import kind_label

    assert registry.audit_action_label("plugin_app.water") == "浇水"
    assert "plugin_app.water" in {job.name for job in schedules.registered()}
    assert str(kind_label("plugin_app.watered")) == "花已浇水"


def test_every_audit_action_written_in_the_code_is_declared():
    """Audit actions are declared in the apps' manifests (core.registry), and audit.record
    refuses any other: a typo cannot slip into the log as a new action."""
    import re

    written = set()
    for path in (ROOT / "gongzhi").rglob("*.py"):
        written.update(re.findall(r'action="([a-z_]+(?:\.[a-z_]+)+)"', path.read_text()))
    assert len(written) > 40
    assert sorted(a for a in written if not registry.is_audit_action(a)) == []


@pytest.mark.django_db
def test_audit_record_refuses_an_undeclared_action(cast):
    from django.db import transaction

    from gongzhi.audit import services as audit

    with pytest.raises(ValueError, match="not declared"), transaction.atomic():
        audit.record(actor=None, action="membership.apoint", obj=cast.a)
    with transaction.atomic():
        audit.record(actor=None, action="plugin_app.water", obj=cast.a)


@pytest.mark.django_db
def test_the_plugin_capability_is_granted_through_the_role_table(cast):
    from gongzhi.bodies import rules as roles
    from gongzhi.core import access, capabilities
    from tests.plugin_app.capabilities import GardenCap
    from tests.plugin_app.permissions import can_water

    assert capabilities.app_of(GardenCap.WATER) == "plugin_app"
    assert GardenCap.WATER in roles.capabilities_of("compound_party_branch", "building_leader")
    assert GardenCap.WATER in capabilities.standing(capabilities.RESIDENT)
    assert GardenCap.WATER not in capabilities.standing(capabilities.OWNER)
    assert can_water(cast.building_leader, cast.room_a.path)
    assert not can_water(cast.building_leader, cast.room_b.path)  # outside the building
    assert not can_water(cast.clerk, cast.room_a.path)
    assert cast.building_leader in access.holders(GardenCap.WATER, cast.room_a.path)
