"""The result explained in words: the same sentences on the result page, the notice and
the PDF. Built from the result stored at closing (rules' own JSON), never recounted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongzhi.core.timefmt import local_minute
from gongzhi.voting import rules
from gongzhi.voting.models import Assembly, Question
from gongzhi.voting.selectors import percent, result_rows


@dataclass(frozen=True)
class Figure:
    label: str
    area: str
    heads: int
    area_pct: str
    heads_pct: str


def _figure(label: str, part: dict, of: dict) -> Figure:
    return Figure(
        label=label,
        area=part["area"],
        heads=part["heads"],
        area_pct=str(percent(Decimal(part["area"]), Decimal(of["area"]))),
        heads_pct=str(percent(part["heads"], of["heads"])),
    )


@dataclass(frozen=True)
class QuestionReport:
    question: Question
    figures: list[Figure]
    quorum_met: bool
    quorum: str
    threshold: str
    verdict: str
    passed: bool | None
    candidates: list[dict]


def candidate_outcome(row: dict) -> str:
    """Every candidate's result in words, on the page and in the PDF (never a blank cell):
    elected, run-off, not more than half (not qualified), or qualified but outranked."""
    if row["elected"]:
        return _("当选")
    if row["runoff"]:
        return _("须决选")
    if not row["qualified"]:
        return _("未过半数")
    return _("未当选")


def question_report(question: Question) -> QuestionReport | None:
    result = question.result
    if not result:
        return None
    total = result["total"]
    participating = result["participating"]
    # The conditions are explained in the language of the request (the stored result
    # holds them in the language of the moment it was counted).
    quorum = rules.QUORUM.description
    threshold = question.threshold_description
    figures = [
        _figure(_("全体业主"), total, total),
        _figure(_("参与表决"), participating, total),
    ]
    if question.is_election:
        rows = [{**r, "outcome": candidate_outcome(r)} for r in result_rows(question)]
        elected = [r["label"] for r in rows if r["elected"]]
        runoff = [r["label"] for r in rows if r["runoff"]]
        separator = pgettext("list separator", "、")
        if not result["quorum_met"]:
            verdict = _(
                "参与表决的业主未达到专有部分面积和人数的三分之二，本轮选举无效，无人当选。"
            )
        else:
            sentences = [
                _("当选 %(n)s 人：%(names)s。")
                % {"n": len(elected), "names": separator.join(elected) or pgettext("nobody", "无")}
            ]
            if runoff:
                sentences.append(
                    _("得票完全相同、须另行决选：%(names)s。") % {"names": separator.join(runoff)}
                )
            if result["unfilled"]:
                sentences.append(
                    _("尚有 %(n)s 个席位未选出，须另行选举。") % {"n": result["unfilled"]}
                )
            verdict = " ".join(sentences)
        return QuestionReport(
            question, figures, result["quorum_met"], quorum, threshold, verdict, None, rows,
        )  # fmt: skip
    for choice in (
        rules.Choice.AGREE,
        rules.Choice.OPPOSE,
        rules.Choice.ABSTAIN,
        rules.Choice.SPOILT,
    ):
        if choice.value in result:
            figures.append(
                _figure(str(rules.CHOICE_LABELS[choice]), result[choice.value], participating)
            )
    if not result["quorum_met"]:
        verdict = _("参与表决的业主未达到专有部分面积和人数的三分之二，表决不成立，事项未通过。")
    elif result["passed"]:
        verdict = _("达到“%(threshold)s”的要求，事项通过。") % {"threshold": threshold}
    else:
        verdict = _("未达到“%(threshold)s”的要求，事项未通过。") % {"threshold": threshold}
    return QuestionReport(
        question, figures, result["quorum_met"], quorum, threshold,
        verdict, result["passed"], [],
    )  # fmt: skip


def assembly_reports(assembly: Assembly) -> list[QuestionReport]:
    return [
        r
        for r in (question_report(q) for q in assembly.questions.order_by("position"))
        if r is not None
    ]


def result_text(assembly: Assembly, verify_url: str = "") -> str:
    """The result notice's body: every question's figures, threshold and outcome."""
    lines = [
        _(
            "%(compound)s%(title)s于 %(closed)s 结束表决，"
            "计票结果如下（面积单位：平方米；百分比仅供阅读，判定按精确比例）。"
        )
        % {
            "compound": assembly.compound.name,
            "title": assembly.title,
            "closed": local_minute(assembly.closed_at),
        },
        "",
    ]
    for report in assembly_reports(assembly):
        q = report.question
        lines.append(
            _("第%(n)s项：%(title)s（%(matter)s）")
            % {"n": q.position, "title": q.title, "matter": q.matter_label}
        )
        for f in report.figures:
            lines.append(
                "  "
                + _("%(label)s：面积 %(area)s（%(area_pct)s%%），人数 %(heads)s（%(heads_pct)s%%）")
                % {
                    "label": f.label,
                    "area": f.area,
                    "area_pct": f.area_pct,
                    "heads": f.heads,
                    "heads_pct": f.heads_pct,
                }
            )
        if report.quorum_met:
            quorum = _("参与条件：%(quorum)s——已达到") % {"quorum": report.quorum}
        else:
            quorum = _("参与条件：%(quorum)s——未达到") % {"quorum": report.quorum}
        lines.append("  " + quorum)
        lines.append("  " + _("通过条件：%(threshold)s") % {"threshold": report.threshold})
        for row in report.candidates:
            if row["elected"]:
                line = _("%(label)s：面积 %(area)s，人数 %(heads)s 当选")
            elif row["runoff"]:
                line = _("%(label)s：面积 %(area)s，人数 %(heads)s 决选")
            else:
                line = _("%(label)s：面积 %(area)s，人数 %(heads)s")
            lines.append(
                "    " + line % {"label": row["label"], "area": row["area"], "heads": row["heads"]}
            )
        lines.append("  " + _("结果：%(verdict)s") % {"verdict": report.verdict})
        lines.append("")
    lines.append(
        _("计入选票 %(n)s 张。选票清单（回执码、议题序号、选择）的 SHA-256 哈希：")
        % {"n": assembly.ballots_count}
    )
    lines.append(assembly.ballots_hash)
    if verify_url:
        lines.append(_("业主可凭投票回执在此核验本人选票是否计入：%(url)s") % {"url": verify_url})
    return "\n".join(lines)


CHOICE_LABELS = {c.value: label for c, label in rules.CHOICE_LABELS.items()}
