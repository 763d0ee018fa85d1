"""Every write on demands. Keyword-only, actor first (None = the system), one transaction,
a timeline event and an audit row, notifications after commit (demands.notify)."""

from gongzhi.demands.services.config import (
    category_create,
    category_update,
    escalation_chain_set,
    routing_rule_create,
    routing_rule_delete,
)
from gongzhi.demands.services.escalation import (
    close_unrated,
    demand_report_in,
    demand_whistle,
    escalate_overdue,
)
from gongzhi.demands.services.filing import (
    demand_comment,
    demand_file,
    demand_file_on_behalf,
    demand_follow,
    demand_unfollow,
    microwish_file,
)
from gongzhi.demands.services.flow import (
    demand_accept,
    demand_close,
    demand_dispatch,
    demand_evaluate,
    demand_feedback,
    demand_merge,
    demand_resolve,
    demand_return,
    demand_withdraw,
    resolve_handler,
    resolve_merge_target,
)

__all__ = [
    "category_create",
    "category_update",
    "close_unrated",
    "demand_accept",
    "demand_close",
    "demand_comment",
    "demand_dispatch",
    "demand_evaluate",
    "demand_feedback",
    "demand_file",
    "demand_file_on_behalf",
    "demand_follow",
    "demand_merge",
    "demand_report_in",
    "demand_resolve",
    "demand_return",
    "demand_unfollow",
    "demand_whistle",
    "demand_withdraw",
    "escalate_overdue",
    "escalation_chain_set",
    "microwish_file",
    "resolve_handler",
    "resolve_merge_target",
    "routing_rule_create",
    "routing_rule_delete",
]
