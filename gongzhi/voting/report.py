"""The result explained in words: the same sentences on the result page, the notice and
the PDF. Built from the result stored at closing (rules' own JSON), never recounted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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


def question_report(question: Question) -> QuestionReport | None:
    result = question.result
    if not result:
        return None
    total = result["total"]
    participating = result["participating"]
    figures = [
        _figure("全体业主", total, total),
        _figure("参与表决", participating, total),
    ]
    if question.is_election:
        rows = result_rows(question)
        elected = [r["label"] for r in rows if r["elected"]]
        runoff = [r["label"] for r in rows if r["runoff"]]
        if not result["quorum_met"]:
            verdict = "参与表决的业主未达到专有部分面积和人数的三分之二，本轮选举无效，无人当选。"
        else:
            verdict = f"当选 {len(elected)} 人：{'、'.join(elected) or '无'}。"
            if runoff:
                verdict += f" 得票完全相同、须另行决选：{'、'.join(runoff)}。"
            if result["unfilled"]:
                verdict += f" 尚有 {result['unfilled']} 个席位未选出，须另行选举。"
        return QuestionReport(
            question, figures, result["quorum_met"], result["quorum"], result["threshold"],
            verdict, None, rows,
        )  # fmt: skip
    for name, label in (
        ("agree", "同意"),
        ("oppose", "反对"),
        ("abstain", "弃权"),
        ("spoilt", "废票"),
    ):
        if name in result:
            figures.append(_figure(label, result[name], participating))
    if not result["quorum_met"]:
        verdict = "参与表决的业主未达到专有部分面积和人数的三分之二，表决不成立，事项未通过。"
    elif result["passed"]:
        verdict = f"达到“{result['threshold']}”的要求，事项通过。"
    else:
        verdict = f"未达到“{result['threshold']}”的要求，事项未通过。"
    return QuestionReport(
        question, figures, result["quorum_met"], result["quorum"], result["threshold"],
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
        f"{assembly.compound.name}{assembly.title}于 {assembly.closed_at:%Y-%m-%d %H:%M} 结束表决，"
        "计票结果如下（面积单位：平方米；百分比仅供阅读，判定按精确比例）。",
        "",
    ]
    for report in assembly_reports(assembly):
        q = report.question
        lines.append(f"第{q.position}项：{q.title}（{q.matter_label}）")
        for f in report.figures:
            lines.append(
                f"  {f.label}：面积 {f.area}（{f.area_pct}%），人数 {f.heads}（{f.heads_pct}%）"
            )
        lines.append(f"  参与条件：{report.quorum}——{'已达到' if report.quorum_met else '未达到'}")
        lines.append(f"  通过条件：{report.threshold}")
        for row in report.candidates:
            mark = "当选" if row["elected"] else ("决选" if row["runoff"] else "")
            lines.append(
                f"    {row['label']}：面积 {row['area']}，人数 {row['heads']} {mark}".rstrip()
            )
        lines.append(f"  结果：{report.verdict}")
        lines.append("")
    lines.append(
        f"计入选票 {assembly.ballots_count} 张。选票清单（回执码、议题序号、选择）的 SHA-256 哈希："
    )
    lines.append(assembly.ballots_hash)
    if verify_url:
        lines.append(f"业主可凭投票回执在此核验本人选票是否计入：{verify_url}")
    return "\n".join(lines)


CHOICE_LABELS = {c.value: label for c, label in rules.CHOICE_LABELS.items()}
