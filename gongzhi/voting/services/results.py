"""Closing the vote, counting it, and publishing the result (tally, hash, notice, PDF)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from gongzhi.audit import services as audit
from gongzhi.core.access import ensure
from gongzhi.notices.models import NoticeKind
from gongzhi.notices.services import notice_publish
from gongzhi.voting import ledger, permissions, rules, selectors
from gongzhi.voting.models import Assembly, PaperSheet, SheetStatus
from gongzhi.voting.services._common import fmt_time, lock_assembly, moment, move_assembly, refuse

S = rules.AssemblyState


def _stored_result(question, result) -> dict:
    data = result.to_json()
    if question.is_election:
        data["labels"] = {str(c.pk): str(c) for c in question.candidates.select_related("person")}
    return data


@transaction.atomic
def assembly_close(*, actor, assembly: Assembly, now: dt.datetime | None = None) -> Assembly:
    """End the vote after its deadline: count every question in the database, store the
    results and the SHA-256 of the ballot list, and apply election results."""
    ensure(
        actor is None or permissions.can_manage_assembly(actor, assembly),
        _("只有社区工作人员或业委会主任可以结束表决。"),
    )
    now = moment(now)
    assembly = lock_assembly(assembly)  # waits for ballots being cast
    move_assembly(assembly, S.CLOSED)
    if now < assembly.closes_at:
        refuse(
            _("投票截止时间（%(closes)s）未到，不能提前结束表决。")
            % {"closes": fmt_time(assembly.closes_at)}
        )
    pending = PaperSheet.objects.filter(assembly=assembly, status=SheetStatus.PENDING).count()
    if pending:
        refuse(_("尚有 %(n)s 张纸质表决票待复核，请先复核或退回后再结束表决。") % {"n": pending})
    results = selectors.tally(assembly)
    lines = selectors.ledger_lines(assembly)
    questions = list(assembly.questions.select_related("election").order_by("position"))
    for question in questions:
        result = results[question.pk]
        question.result = _stored_result(question, result)
        question.passed = result.passed if isinstance(result, rules.DecisionResult) else None
        question.save(update_fields=["result", "passed"])
    assembly.state = S.CLOSED
    assembly.closed_at = now
    assembly.ballots_hash = ledger.ledger_hash(lines)
    assembly.ballots_count = len(lines)
    assembly.save(update_fields=["state", "closed_at", "ballots_hash", "ballots_count"])
    audit.record(
        actor=actor,
        action="assembly.close",
        obj=assembly,
        before={"state": S.OPEN},
        after={
            "state": assembly.state,
            "ballots_hash": assembly.ballots_hash,
            "ballots_count": assembly.ballots_count,
            "results": {q.position: q.result for q in questions},
        },
    )
    from gongzhi.voting.services.elections import apply_election_result

    for question in questions:
        if question.election_id:
            apply_election_result(
                actor=actor, question=question, result=results[question.pk], now=now
            )
    return assembly


@transaction.atomic
def assembly_publish_result(
    *, actor, assembly: Assembly, verify_url: str, now: dt.datetime | None = None
) -> Assembly:
    """Post the result notice (公示) with the printable PDF attached."""
    ensure(
        actor is None or permissions.can_manage_assembly(actor, assembly),
        _("只有社区工作人员或业委会主任可以公布表决结果。"),
    )
    now = moment(now)
    assembly = lock_assembly(assembly)
    move_assembly(assembly, S.RESULT_PUBLISHED)
    check = selectors.check_ledger(assembly)
    if not check.matches:
        refuse(_("选票数据与结束表决时的哈希不一致，不能公布结果，请核查选票是否被改动。"))
    from gongzhi.voting.pdf import result_pdf
    from gongzhi.voting.report import result_text

    pdf = result_pdf(assembly, verify_url=verify_url)
    notice = notice_publish(
        actor=actor,
        compound=assembly.compound,
        title=_("%(title)s：表决结果公示") % {"title": assembly.title},
        body=result_text(assembly, verify_url),
        kind=NoticeKind.VOTE_RESULT,
        related=assembly,
        attachment=ContentFile(pdf, name=_("表决结果-%(pk)s.pdf") % {"pk": assembly.pk}),
        pinned=True,
    )
    assembly.state = S.RESULT_PUBLISHED
    assembly.result_published_at = now
    assembly.result_notice = notice
    assembly.save(update_fields=["state", "result_published_at", "result_notice"])
    audit.record(
        actor=actor,
        action="assembly.publish_result",
        obj=assembly,
        before={"state": S.CLOSED},
        after={"state": assembly.state, "notice": notice.pk, "ballots_hash": assembly.ballots_hash},
    )
    return assembly
