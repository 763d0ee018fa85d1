"""HTML of the demands pages' repeated parts, made in Python (issue 9).

The dispatch board shows 30 rows; in the template language each row cost about a
hundred variable lookups, two includes and a dozen ``{% translate %}``, which was half of
the page's time. Here each label is translated once per page (``BoardLabels``) and every
row is one ``format_html``: the same markup as ``_state.html`` / ``_place.html`` and the
row of ``_board_table.html`` rendered, values escaped the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from gongzhi.demands import rules
from gongzhi.demands.rules import State


def _truncate(text: str, length: int) -> str:
    return Truncator(text or "").chars(length)


@dataclass(frozen=True)
class BoardLabels:
    """Every label a board row shows, translated once for the page's language."""

    state: str
    text: str
    place: str
    due: str
    handler: str
    act: str
    view: str
    to: str
    dispatch: str
    overdue: str
    micro_wish: str
    urgent: str
    pressing: str
    household: str
    common: str
    feedback: str
    summarise: str
    summary_label: str
    summary_submit: str
    waits_summary: str

    @classmethod
    def now(cls) -> BoardLabels:
        return cls(
            state=_("状态"), text=_("内容"), place=_("位置"), due=_("时限"),
            handler=_("承办"), act=_("操作"), view=_("查看"), to=_("派给"),
            dispatch=_("派单"), overdue=_("已超时"), micro_wish=_("微心愿"),
            urgent=_("紧急"), pressing=_("较急"), household=_("住户"),
            common=_("小区公共区域"), feedback=_("承办方反馈:"),
            summarise=_("写总结并归档"),
            summary_label=_("总结(四步走最后一步:办得怎样、居民评价、以后怎么防)"),
            summary_submit=_("总结归档"),
            waits_summary=_("居民已评价、承办方已反馈,待社区工作人员写总结归档。"),
        )  # fmt: skip


def state_badges(d, overdue: bool, labels: BoardLabels, state_labels: dict) -> SafeString:
    """``_state.html``: the state, overdue, micro-wish and urgency badges."""
    esc = conditional_escape
    label = state_labels.get(d.state)
    if label is None:
        label = state_labels[d.state] = esc(rules.state_label(d.state))
    html = (
        f'<span class="state-badges"><span class="badge state state--{esc(d.state)}">{label}</span>'
    )
    if overdue:
        html += f' <span class="badge state state--overdue">{esc(labels.overdue)}</span>'
    if d.kind == "micro_wish":
        html += f' <span class="badge badge--gold">{esc(labels.micro_wish)}</span>'
    if d.urgency == "urgent":
        html += f' <span class="badge badge--red">{esc(labels.urgent)}</span>'
    elif d.urgency == "pressing":
        html += f' <span class="badge badge--gold">{esc(labels.pressing)}</span>'
    return mark_safe(html + "</span>")


def place_text(d, labels: BoardLabels, *, show_compound: bool, show_room: bool) -> str:
    """``_place.html``: compound (optionally), building, room or "住户", or the common area,
    and the location note. Escaped."""
    parts = []
    if show_compound:
        parts.append(conditional_escape(d.compound.name) + " ")
    if d.place_kind == "room":
        room = d.room.name if show_room else labels.household
        parts.append(conditional_escape(d.building.name) + " " + conditional_escape(room))
    elif d.place_kind == "building":
        parts.append(conditional_escape(d.building.name))
    else:
        parts.append(conditional_escape(labels.common))
    if d.location_note:
        parts.append(" · " + conditional_escape(d.location_note))
    return mark_safe("".join(parts))


def _errors(errors) -> SafeString:
    return format_html(
        '<ul class="errorlist" role="alert">{}</ul>',
        format_html_join("", "<li>{}</li>", ((e,) for e in errors)),
    )


def board_rows(
    rows: list[dict], *, labels: BoardLabels, csrf_input: SafeString, query: str,
    many_compounds: bool, close_url, errors: dict | None = None,
) -> SafeString:  # fmt: skip
    """The ``<tr>`` of every board row. ``errors``: ``{pk: [message]}`` of a refused move
    (the row's form shows them and stays open). ``close_url(pk)``: the summary's action."""
    errors = errors or {}
    state_labels: dict[str, str] = {}
    hidden = format_html(
        '{}<input type="hidden" name="ctx" value="board"><input type="hidden" name="query"'
        ' value="{}">',
        csrf_input, query,
    )  # fmt: skip
    esc = conditional_escape
    out = []
    for row in rows:
        d = row["demand"]
        overdue = row["overdue"]
        pk = d.pk
        url = esc(row["url"])
        text = '<span class="board-text">'
        if d.category:
            text += f"<strong>{esc(d.category.name)}</strong> "
        text += f"{esc(_truncate(d.description, 50))}</span>"
        if d.state == State.FEEDBACK_GIVEN and d.feedback:
            text += (
                f'<span class="board-feedback">{esc(labels.feedback)}'
                f"{esc(_truncate(d.feedback, 60))}</span>"
            )
        if d.due_at:
            local = timezone.localtime(d.due_at)
            late = ' class="deadline--late"' if overdue else ""
            due = (
                f'<time datetime="{esc(date_format(local, "c"))}"{late}>'
                f"{esc(date_format(local, 'm-d H:i'))}</time>"
            )
        else:
            due = "—"
        if d.handler_body or d.handler_person:
            handler = esc(d.handler_body.name) if d.handler_body else ""
            if d.handler_person:
                handler += f" · {esc(d.handler_person.name)}"
        else:
            handler = "—"
        view = f'<a href="{url}">{esc(labels.view)}</a>'
        dispatch = row["dispatch"]
        if dispatch and d.state != State.DISPATCHED:
            act = format_html(
                '<form class="quick-dispatch" method="post" action="{0}" hx-post="{0}"'
                ' hx-target="#board-table" hx-swap="outerHTML">{1}'
                '<label class="visually-hidden" for="handler-{2}">{3}</label>'
                '<select id="handler-{2}" name="handler">{4}</select>'
                '<button type="submit" class="button button--small">{5}</button></form>{6}',
                row["dispatch_url"], hidden, pk, labels.to, dispatch.options_html,
                labels.dispatch, _errors(errors[pk]) if pk in errors else "",
            )  # fmt: skip
        elif row["summarise"]:
            act = format_html(
                '<details class="disclose board-summary"{0}>'
                '<summary class="button button--small">{1}</summary>'
                '<form class="form" method="post" action="{2}" hx-post="{2}"'
                ' hx-target="#board-table" hx-swap="outerHTML">{3}'
                '<label for="summary-{4}">{5}</label><textarea id="summary-{4}" name="summary"'
                ' rows="3" maxlength="2000" required></textarea>'
                '<button type="submit" class="button button--small">{6}</button></form>'
                "</details>{7}",
                mark_safe(" open") if pk in errors else "", labels.summarise, close_url(pk),
                hidden, pk, labels.summary_label, labels.summary_submit,
                _errors(errors[pk]) if pk in errors else "",
            )  # fmt: skip
        elif d.state == State.FEEDBACK_GIVEN:
            act = f'<p class="board-why">{esc(labels.waits_summary)}</p>{view}'
        else:
            act = view
        place = place_text(d, labels, show_compound=many_compounds, show_room=True)
        out.append(
            f'<tr id="board-{pk}" class="{"is-overdue" if overdue else ""}">'
            f'<th scope="row"><a href="{url}">#{pk}</a></th>'
            f'<td data-label="{esc(labels.state)}">{state_badges(d, overdue, labels, state_labels)}</td>'
            f'<td data-label="{esc(labels.text)}">{text}</td>'
            f'<td data-label="{esc(labels.place)}">{place}</td>'
            f'<td data-label="{esc(labels.due)}" class="nowrap">{due}</td>'
            f'<td data-label="{esc(labels.handler)}">{handler}</td>'
            f'<td data-label="{esc(labels.act)}">{act}</td></tr>'
        )
    return mark_safe("".join(out))
