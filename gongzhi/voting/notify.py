"""Notifications of the voting app, sent by the task worker after the change commits
(notifications.outbox): a proxy waiting for a check, and the check's outcome."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

PROXY_PENDING_KIND = "voting.proxy_pending"
PROXY_REVIEWED_KIND = "voting.proxy_reviewed"


def proxy_pending_words(params) -> tuple[str, str]:
    title = _("待核验委托：%(holder)s 代理 %(principal)s") % {
        "holder": params["holder"],
        "principal": params["principal"],
    }
    body = _("请查看授权委托书，核验通过后受托人才能代为投票。（%(assembly)s）") % {
        "assembly": params["assembly"]
    }
    return title, body


def proxy_reviewed_words(params) -> tuple[str, str]:
    if params["accepted"]:
        title = _("委托已核验：您可以代 %(principal)s 投票") % {"principal": params["principal"]}
        body = _("%(assembly)s") % {"assembly": params["assembly"]}
    else:
        title = _("委托被退回：代 %(principal)s 投票") % {"principal": params["principal"]}
        body = _("退回原因：%(note)s（%(assembly)s）") % {
            "note": params["note"],
            "assembly": params["assembly"],
        }
    return title, body


def _proxy(pk: int):
    from gongzhi.voting.models import Proxy

    return (
        Proxy.objects.select_related("assembly__compound", "principal", "holder__account")
        .filter(pk=pk)
        .first()
    )


def proxy_awaits_review(pk: int) -> None:
    """Tell the compound's vote managers (the holder excepted) that a proxy waits."""
    from gongzhi.notifications.services import notify
    from gongzhi.voting.models import ProxyStatus
    from gongzhi.voting.selectors import vote_managers_of

    proxy = _proxy(pk)
    if proxy is None or proxy.status != ProxyStatus.PENDING:
        return
    assembly = proxy.assembly
    recipients = [a for a in vote_managers_of(assembly.compound) if a.person_id != proxy.holder_id]
    if recipients:
        notify(
            recipients=recipients,
            kind=PROXY_PENDING_KIND,
            params={
                "holder": proxy.holder.name,
                "principal": proxy.principal.voter_label,
                "assembly": assembly.title,
            },
            url=reverse("voting:proxies", args=[assembly.pk]),
            obj=proxy,
            place_path=assembly.compound.path,
        )


def proxy_reviewed(pk: int) -> None:
    """Tell the holder whether their proxy may vote."""
    from gongzhi.notifications.services import notify
    from gongzhi.voting.models import ProxyStatus

    proxy = _proxy(pk)
    account = getattr(proxy.holder, "account", None) if proxy is not None else None
    if account is None or proxy.status == ProxyStatus.PENDING:
        return
    assembly = proxy.assembly
    notify(
        recipients=[account],
        kind=PROXY_REVIEWED_KIND,
        params={
            "accepted": proxy.status == ProxyStatus.ACCEPTED,
            "principal": proxy.principal.voter_label,
            "note": proxy.review_note,
            "assembly": assembly.title,
        },
        url=reverse("voting:assembly", args=[assembly.pk]),
        obj=proxy,
        place_path=assembly.compound.path,
    )
