"""The demo's data tables (names, plans of the compounds, texts of demands and list
items …) live in TOML files, apart from the code that loads them: a story is edited by
changing its data, and the loaders keep only the logic.

``load(package, name)`` reads ``<package>/data/<name>.toml`` (``gongzhi/core/demo/data/``
for the stories, ``gongzhi/<app>/data/`` for an app's own demo), once per process. The
files are package data: they sit inside ``gongzhi/`` and are found through
``importlib.resources``, wherever the package is installed.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any


@cache
def load(package: str, name: str) -> MappingProxyType[str, Any]:
    """The table file ``data/<name>.toml`` of ``package`` (read-only: loaders share it)."""
    with resources.files(package).joinpath("data", f"{name}.toml").open("rb") as file:
        return MappingProxyType(tomllib.load(file))
