"""The notices app's capability, declared in core's registry; the manifest grants it."""

from enum import StrEnum

from gongzhi.core import capabilities


class NoticeCap(StrEnum):
    POST_NOTICE = "notices.post"  # post on a compound's notice board (公告栏)


capabilities.declare(NoticeCap, app="notices")
