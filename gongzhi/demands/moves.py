"""Every move on a demand a person makes, as data: the service it calls with the fields of
its form or serializer. The web (views.ACTS) and the API (api.ACTIONS) read this one table;
each adds only its own form or serializer and its words."""

from __future__ import annotations

from collections.abc import Callable

from gongzhi.demands import services

# name → call(actor, demand, cleaned data). The names are the web's; the API's address
# spells them with a hyphen (report-in).
Call = Callable[[object, object, dict], object]


def _dispatch(actor, demand, data):
    body, person = services.resolve_handler(
        demand, data.get("handler_body"), data.get("handler_person")
    )
    return services.demand_dispatch(
        actor=actor, demand=demand, handler_body=body, handler_person=person, note=data["note"]
    )


def _merge(actor, demand, data):
    into = services.resolve_merge_target(actor, demand, data["into"])
    return services.demand_merge(actor=actor, demand=demand, into=into, note=data["note"])


MOVES: dict[str, Call] = {
    "dispatch": _dispatch,
    "accept": lambda a, d, v: services.demand_accept(actor=a, demand=d, note=v["note"]),
    "return": lambda a, d, v: services.demand_return(actor=a, demand=d, reason=v["reason"]),
    "whistle": lambda a, d, v: services.demand_whistle(actor=a, demand=d, reason=v["reason"]),
    "report_in": lambda a, d, v: services.demand_report_in(actor=a, demand=d, note=v["note"]),
    "resolve": lambda a, d, v: services.demand_resolve(
        actor=a, demand=d, note=v["note"], photos=v["photos"]
    ),
    "evaluate": lambda a, d, v: services.demand_evaluate(
        actor=a, demand=d, rating=v["rating"], comment=v["comment"]
    ),
    "feedback": lambda a, d, v: services.demand_feedback(actor=a, demand=d, text=v["text"]),
    "close": lambda a, d, v: services.demand_close(actor=a, demand=d, summary=v["summary"]),
    "withdraw": lambda a, d, v: services.demand_withdraw(actor=a, demand=d, reason=v["reason"]),
    "merge": _merge,
    "follow": lambda a, d, v: services.demand_follow(actor=a, demand=d),
    "unfollow": lambda a, d, v: services.demand_unfollow(actor=a, demand=d),
    "comment": lambda a, d, v: services.demand_comment(actor=a, demand=d, text=v["text"]),
}


def perform(name: str, actor, demand, data: dict):
    """Make the move ``name`` (the web's name or the API's ``report-in``)."""
    return MOVES[name.replace("-", "_")](actor, demand, data)
