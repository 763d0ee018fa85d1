"""The test app's capability, declared as every app declares its own."""

from enum import StrEnum

from gongzhi.core import capabilities


class GardenCap(StrEnum):
    WATER = "plugin_app.water"  # water the compound's garden


capabilities.declare(GardenCap, app="plugin_app")
