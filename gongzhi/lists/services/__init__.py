"""Every write on lists (清单). Keyword-only, actor first (None = the system: a command or
the demo loader, trusted as in bodies.services), one transaction, an audit row,
notifications after the commit (lists.notify).

Each item move locks the item, checks the actor's role (permissions.roles_of against
rules.MOVES), then that the item's and the list's states allow it (rules.check_item_move).
Refusals are PermissionDenied or ListError (a ValidationError), in Chinese, and nothing
is written.
"""

from gongzhi.lists.services.compiling import item_add, item_plan, items_add_from_demands
from gongzhi.lists.services.items import (
    item_claim,
    item_drop,
    item_finish,
    item_release,
    item_report_progress,
    item_solve,
    milestone_complete,
)
from gongzhi.lists.services.lists import worklist_archive, worklist_create, worklist_publish

__all__ = [
    "item_add",
    "item_claim",
    "item_drop",
    "item_finish",
    "item_plan",
    "item_release",
    "item_report_progress",
    "item_solve",
    "items_add_from_demands",
    "milestone_complete",
    "worklist_archive",
    "worklist_create",
    "worklist_publish",
]
