"""The demands app's capabilities, declared in core's registry; the manifest grants them."""

from enum import StrEnum

from gongzhi.core import capabilities


class DemandCap(StrEnum):
    FILE_DEMAND = "demands.file"  # 居民点单: file a demand in one's compound
    DISPATCH = "demands.dispatch"  # 支部派单: dispatch, the board, the settings
    HANDLE = "demands.handle"  # 楼长/物业接单: accept and handle what is dispatched


capabilities.declare(DemandCap, app="demands")
