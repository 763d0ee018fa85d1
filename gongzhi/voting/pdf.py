"""The printable result (公示版): reportlab with its built-in Chinese CID font, and a QR
code (segno) leading to the public receipt verification page."""

from __future__ import annotations

import io

import segno
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from gongzhi.core.timefmt import local_minute
from gongzhi.voting.models import Assembly
from gongzhi.voting.report import assembly_reports

FONT = "STSong-Light"


def _styles() -> dict[str, ParagraphStyle]:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=1),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=18, spaceBefore=8),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=11),
    }


def _qr_image(url: str) -> Image:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    return Image(buffer, width=32 * mm, height=32 * mm)


def _table(rows: list[list], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def result_pdf(assembly: Assembly, *, verify_url: str) -> bytes:
    """The assembly's result as a PDF (bytes starting with ``%PDF``)."""
    s = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("%(title)s 表决结果") % {"title": assembly.title},
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    story = [
        Paragraph(f"{assembly.compound.name} {assembly.title}", s["title"]),
        Paragraph(_("表决结果公示"), s["title"]),
        Spacer(1, 4 * mm),
        Paragraph(
            _("投票时间：%(opens)s 至 %(closes)s；结束表决：%(closed)s。")
            % {
                "opens": local_minute(assembly.opens_at),
                "closes": local_minute(assembly.closes_at),
                "closed": local_minute(assembly.closed_at),
            }
            if assembly.closed_at
            else "",
            s["body"],
        ),
        Paragraph(
            _(
                "依据《民法典》第二百七十八条：参与表决的业主须占专有部分面积三分之二以上且人数三分之二以上；"
                "面积单位为平方米，百分比仅供阅读，判定按精确比例计算。"
            ),
            s["small"],
        ),
    ]
    for report in assembly_reports(assembly):
        q = report.question
        story.append(
            Paragraph(
                _("第%(n)s项　%(title)s（%(matter)s）")
                % {"n": q.position, "title": q.title, "matter": q.matter_label},
                s["h2"],
            )
        )
        share = _("占比")
        rows = [["", _("专有部分面积"), share, _("人数"), share]]
        rows += [
            [f.label, f.area, f"{f.area_pct}%", str(f.heads), f"{f.heads_pct}%"]
            for f in report.figures
        ]
        story.append(_table(rows, [28 * mm, 40 * mm, 25 * mm, 25 * mm, 25 * mm]))
        if report.candidates:
            rows = [[_("候选人"), _("同意面积"), _("同意人数"), _("结果")]]
            for row in report.candidates:
                rows.append([row["label"], row["area"], str(row["heads"]), row["outcome"]])
            story.append(Spacer(1, 2 * mm))
            story.append(_table(rows, [60 * mm, 40 * mm, 25 * mm, 25 * mm]))
        story.append(
            Paragraph(
                (
                    _("参与条件：%(quorum)s——已达到。")
                    if report.quorum_met
                    else _("参与条件：%(quorum)s——未达到。")
                )
                % {"quorum": report.quorum},
                s["body"],
            )
        )
        story.append(
            Paragraph(_("通过条件：%(threshold)s。") % {"threshold": report.threshold}, s["body"])
        )
        story.append(Paragraph(_("结果：%(verdict)s") % {"verdict": report.verdict}, s["body"]))
    story += [
        Spacer(1, 5 * mm),
        Paragraph(
            _(
                "计入选票 %(n)s 张。选票清单（回执码、议题序号、选择，按回执码排序）"
                "的 SHA-256 哈希："
            )
            % {"n": assembly.ballots_count},
            s["body"],
        ),
        Paragraph(assembly.ballots_hash or "—", s["small"]),
        Spacer(1, 3 * mm),
        Paragraph(_("扫描二维码，凭投票回执核验本人选票是否计入："), s["body"]),
        _qr_image(verify_url),
        Paragraph(verify_url, s["small"]),
    ]
    doc.build(story)
    return buffer.getvalue()
