"""What each app plugs into the platform, declared in its own ``AppConfig.ready``.

Decidim's component manifest is the model: an app says, in one place of its own, which
links it adds to a compound, which items to the navigation, which sections to the home
page's role cards, which figures it reports for a place, which audit actions it records
and how its demo is loaded. Core reads these registries and imports no feature app; a
new app plugs in without editing core or another app (tests/plugin_app proves it).

URL names are checked when they are used: a mistyped name raises ``NoReverseMatch``
instead of silently hiding a link. (Capabilities and role rows: ``core.capabilities``
and ``bodies.rules``; grant providers: ``core.access``; periodic jobs:
``core.schedules``; notification kinds: ``notifications.kinds``.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.urls import reverse

# -- URLs -----------------------------------------------------------------------------------


def app_url_modules(module: str) -> list[str]:
    """The ``<app>.<module>`` of every installed app that has one (``urls``, ``api_urls``),
    in INSTALLED_APPS order: each app's pages and API routes are included without being
    named anywhere else, as the admin discovers ``admin.py``."""
    import sysconfig
    from importlib.util import find_spec
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    root = Path(settings.BASE_DIR).resolve()
    installed = Path(sysconfig.get_paths()["purelib"]).resolve()
    found = []
    for config in apps.get_app_configs():  # the project's own apps, not Django's or others'
        where = Path(config.path).resolve()
        if config.name == "gongzhi.core" or not where.is_relative_to(root):
            continue
        if where.is_relative_to(installed):
            continue
        name = f"{config.name}.{module}"
        if find_spec(name) is not None:
            found.append(name)
    return found


# -- links ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A link to a named URL. ``href`` raises NoReverseMatch for a name that does not exist."""

    label: str
    url_name: str
    args: tuple = ()

    @cached_property
    def href(self) -> str:
        return reverse(self.url_name, args=self.args)


@dataclass(frozen=True)
class CompoundLink:
    """Work a role may do at one compound: shown on the home page's compound entries.

    ``needs``: the link shows when the role holds any of these capabilities at the
    compound (empty: always). ``per_compound``: the URL takes the compound's id; else it
    takes none (the dispatch board, the inbox). Lower ``order`` first.
    """

    app: str
    label: Any
    url_name: str
    needs: frozenset[str] = frozenset()
    per_compound: bool = True
    order: int = 100

    def shown_for(self, caps: Iterable[str]) -> bool:
        return not self.needs or bool(self.needs & set(caps))

    def link(self, compound) -> Link:
        return Link(str(self.label), self.url_name, (compound.pk,) if self.per_compound else ())


_compound_links: list[CompoundLink] = []


def add_compound_link(
    app: str, label, url_name: str, *, needs: Iterable[str] = (), per_compound: bool = True,
    order: int = 100,
) -> CompoundLink:  # fmt: skip
    entry = CompoundLink(app, label, url_name, frozenset(needs), per_compound, order)
    if entry not in _compound_links:
        _compound_links.append(entry)
    return entry


def compound_links(compound, caps: Iterable[str]) -> list[Link]:
    """The links of every app that a role with ``caps`` may follow at ``compound``."""
    caps = frozenset(caps)
    seen: set[tuple[str, tuple]] = set()
    links = []
    for entry in sorted(_compound_links, key=lambda e: (e.order, e.app, e.url_name)):
        if not entry.shown_for(caps):
            continue
        link = entry.link(compound)
        if (link.url_name, link.args) in seen:
            continue
        seen.add((link.url_name, link.args))
        links.append(link)
    return links


# -- navigation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    """An item of the site navigation, for signed-in users for whom ``visible(user)``.

    ``namespace``: the URL namespace whose pages mark the item active; ``badge(user)``: a
    count shown next to it (unread messages). Lower ``order`` first.
    """

    app: str
    label: Any
    url_name: str
    icon: str
    visible: Callable[[Any], bool]
    namespace: str = ""
    badge: Callable[[Any], int] | None = None
    order: int = 100
    active_url_name: str = ""  # active only on this page of the namespace (home)


_nav: list[NavItem] = []


def add_nav_item(
    app: str, label, url_name: str, *, icon: str, visible: Callable[[Any], bool],
    namespace: str = "", badge: Callable[[Any], int] | None = None, order: int = 100,
    active_url_name: str = "",
) -> NavItem:  # fmt: skip
    item = NavItem(app, label, url_name, icon, visible, namespace, badge, order, active_url_name)
    if not any(i.app == app and i.url_name == url_name for i in _nav):
        _nav.append(item)
    return item


def nav_items(user, here: tuple[str, str] = ("", "")) -> list[dict]:
    """The navigation of ``user`` on the page ``here`` (namespace, url name)."""
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in sorted(_nav, key=lambda i: (i.order, i.app)):
        if not item.visible(user):
            continue
        active = bool(item.namespace) and here[0] == item.namespace
        if item.active_url_name:
            active = active and here[1] == item.active_url_name
        items.append(
            {
                "label": str(item.label),
                "href": reverse(item.url_name),
                "icon": item.icon,
                "active": active,
                "badge": item.badge(user) if item.badge else 0,
            }
        )
    return items


# -- home page: figures and card sections ---------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Figures an app reports for a place (e.g. demands received, solved, satisfaction),
    shown on the home card of a role holding ``needs`` there. ``compute(path)`` returns a
    dict for the app's template ``template`` (rendered with ``figures`` in its context),
    or None when there is nothing to show."""

    app: str
    key: str
    label: Any
    compute: Callable[[str], dict | None]
    template: str
    needs: str = "figures.view"
    order: int = 100


_figures: list[Figures] = []


def add_figures(
    app: str, key: str, label, compute: Callable[[str], dict | None], *, template: str,
    needs: str = "figures.view", order: int = 100,
) -> Figures:  # fmt: skip
    entry = Figures(app, key, label, compute, template, needs, order)
    if not any(f.key == key for f in _figures):
        _figures.append(entry)
    return entry


@dataclass
class ShownFigures:
    key: str
    label: str
    template: str
    figures: dict = field(default_factory=dict)


def figures_at(path: str, caps: Iterable[str]) -> list[ShownFigures]:
    """The figures of every app for the place ``path``, for a role holding ``caps``."""
    caps = frozenset(caps)
    shown = []
    for entry in sorted(_figures, key=lambda f: (f.order, f.key)):
        if entry.needs not in caps:
            continue
        figures = entry.compute(path)
        if figures is not None:
            shown.append(ShownFigures(entry.key, str(entry.label), entry.template, figures))
    return shown


def figure_sources() -> list[Figures]:
    return sorted(_figures, key=lambda f: (f.order, f.key))


@dataclass(frozen=True)
class CardSection:
    """A section an app adds to a home-page role card: ``build(user, card)`` returns the
    context of ``template`` (rendered with ``section`` in its context), or None to add
    nothing. ``card`` is core.selectors.RoleCard (kind, post, scope, ownerships ...)."""

    app: str
    key: str
    template: str
    build: Callable[[Any, Any], Any]
    order: int = 100


_card_sections: list[CardSection] = []


def add_card_section(
    app: str, key: str, template: str, build: Callable[[Any, Any], Any], *, order: int = 100
) -> CardSection:
    entry = CardSection(app, key, template, build, order)
    if not any(s.key == key for s in _card_sections):
        _card_sections.append(entry)
    return entry


@dataclass
class ShownSection:
    key: str
    template: str
    section: Any


def card_sections(user, card) -> list[ShownSection]:
    shown = []
    for entry in sorted(_card_sections, key=lambda s: (s.order, s.key)):
        section = entry.build(user, card)
        if section is not None:
            shown.append(ShownSection(entry.key, entry.template, section))
    return shown


# -- demo ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLoader:
    """How an app loads its demo once every story's places, bodies and people stand:
    ``load(ctx)`` with core.demo.context.DemoContext. Lower ``order`` first."""

    app: str
    load: Callable[[Any], None]
    order: int = 100


_demo: list[DemoLoader] = []


def add_demo_loader(app: str, load: Callable[[Any], None], *, order: int = 100) -> DemoLoader:
    entry = DemoLoader(app, load, order)
    if not any(d.app == app for d in _demo):
        _demo.append(entry)
    return entry


def demo_loaders() -> list[DemoLoader]:
    return sorted(_demo, key=lambda d: (d.order, d.app))


# -- what the platform does, on the landing page --------------------------------------------


@dataclass(frozen=True)
class Feature:
    """One thing the platform does, told to a visitor on the landing page: only the
    apps that are installed say what they do, so the page never promises a missing one."""

    app: str
    title: Any
    text: Any
    order: int = 100


_features: list[Feature] = []


def add_feature(app: str, title, text, *, order: int = 100) -> Feature:
    entry = Feature(app, title, text, order)
    if not any(f.app == app and f.title == title for f in _features):
        _features.append(entry)
    return entry


def features() -> list[Feature]:
    return sorted(_features, key=lambda f: (f.order, f.app))


# -- audit actions ---------------------------------------------------------------------------

_actions: dict[str, tuple[str, Any]] = {}  # action → (app, label)
_families: dict[str, tuple[str, Any]] = {}  # prefix → (app, label): "admin." for the admin


def add_audit_actions(app: str, actions: dict[str, Any]) -> None:
    """Declare the audit actions an app records (``"membership.appoint": _("任命成员")``),
    as Zulip registers its event types: ``audit.record`` refuses an action nobody declared."""
    for action, label in actions.items():
        known = _actions.get(action)
        if known is not None and known[0] != app:
            raise ValueError(f"audit action {action!r} is already declared by {known[0]}")
        _actions[action] = (app, label)


def add_audit_action_family(app: str, prefix: str, label) -> None:
    """Declare every action starting with ``prefix`` (the admin's "admin.<model>.<verb>")."""
    if not prefix.endswith("."):
        raise ValueError(f"an audit action family ends with a dot, not {prefix!r}")
    _families[prefix] = (app, label)


def _declared(action: str):
    known = _actions.get(action)
    if known is None:
        known = next((v for p, v in _families.items() if action.startswith(p)), None)
    return known


def audit_action_label(action: str) -> str:
    known = _declared(action)
    return str(known[1]) if known else action


def is_audit_action(action: str) -> bool:
    return _declared(action) is not None


def audit_actions() -> dict[str, tuple[str, Any]]:
    return dict(_actions)
