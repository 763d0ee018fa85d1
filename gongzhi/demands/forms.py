"""Forms of the demands pages. They parse; the services validate and say what is wrong.

Fields are mostly optional here on purpose: a missing description, category or room is
refused by ``services`` with its own Chinese message ("请填写诉求内容。"), and
``add_service_errors`` puts that message beside the field it concerns. Photos are not
checked here either: ``demands.photos`` checks type, size and pixels and re-encodes.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongzhi.bodies.models import Body
from gongzhi.core.text import TextField
from gongzhi.core.widgets import FastSelect
from gongzhi.demands import rules
from gongzhi.demands.models import DESCRIPTION_MAX, STAFF_CHANNELS, Channel, PlaceKind, Urgency
from gongzhi.people.models import Person

# --- photos ---------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of uploads under one name (a camera button and an album button both
    post ``photos``); an empty list when none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [f for f in files if f]


def add_service_errors(form: forms.Form, exc: ValidationError, aliases: dict | None = None):
    """Put a service's refusal beside the fields it names (or above the form)."""
    aliases = aliases or {}
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            name = aliases.get(name, name)
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
        return
    code = str(getattr(exc, "code", "") or "")
    target = "photos" if code.startswith("photo") and "photos" in form.fields else None
    for message in exc.messages:
        form.add_error(target, message)


# --- filing ---------------------------------------------------------------------------------

_REPORTER_RE = re.compile(r"^([0-9]+):([0-9]+)$")
ANONYMOUS = "anonymous"


class FileForm(forms.Form):
    """File a demand or a micro-wish, for oneself or (``behalf``) for a resident."""

    category = forms.ModelChoiceField(
        label=_("类别"),
        queryset=None,
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("该类别不适用于本小区。")},
    )
    description = TextField(
        label=_("遇到了什么问题?"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("描述不能超过%(limit_value)d字。")},
    )
    place_kind = forms.ChoiceField(
        label=_("在哪里?"),
        choices=PlaceKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择位置:本户、楼栋或小区公共区域。"),
            "invalid_choice": _("请选择位置:本户、楼栋或小区公共区域。"),
        },
    )
    room = forms.ModelChoiceField(
        label=_("哪一户"),
        queryset=None,
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": _("只能为自己居住或拥有的房屋提交诉求。")},
    )
    building = forms.ModelChoiceField(
        label=_("哪一栋"),
        queryset=None,
        required=False,
        empty_label=_("请选择楼栋"),
        error_messages={"invalid_choice": _("所选楼栋不属于该小区。")},
    )
    location_note = TextField(
        label=_("具体位置"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如:东门停车场、3单元楼道")}),
        error_messages={"max_length": _("位置说明不能超过200字。")},
    )
    urgency = forms.ChoiceField(
        label=_("急不急?"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        required=False,
    )
    photos = PhotosField(label=_("照片"))
    is_public = forms.BooleanField(
        label=_("可以公开展示(不会显示我的姓名)"), required=False, initial=False
    )
    # On behalf of a resident only.
    channel = forms.ChoiceField(
        label=_("诉求从哪里来?"),
        choices=[(c.value, c.label) for c in Channel if c in STAFF_CHANNELS],
        widget=forms.RadioSelect,
        required=False,
    )
    reporter = TextField(required=False, widget=forms.RadioSelect)

    def __init__(
        self,
        *args,
        kind: str,
        behalf: bool,
        categories,
        rooms,
        buildings,
        find_reporter=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.behalf = behalf
        self.find_reporter = find_reporter
        self.selected_reporter = None
        self.fields["category"].queryset = categories
        self.fields["room"].queryset = rooms
        self.fields["building"].queryset = buildings
        if kind == "micro_wish":
            self.fields["description"].label = _("您的心愿是什么?")
            self.fields["category"].label = _("类别(可不选)")
            del self.fields["urgency"]
            self.fields["is_public"].initial = True
        if not behalf:
            del self.fields["channel"]
            del self.fields["reporter"]
        else:
            self.fields["room"].required = False
            self.fields["channel"].error_messages["required"] = _(
                "代录入须注明来源:电话、入户走访、纸质意见条或会议。"
            )

    def clean_reporter(self):
        value = (self.cleaned_data.get("reporter") or "").strip()
        if value == ANONYMOUS:
            if self.kind == "micro_wish":
                raise ValidationError(_("微心愿须选择居民本人。"), code="anonymous_wish")
            return ANONYMOUS
        match = _REPORTER_RE.match(value)
        if not match:
            raise ValidationError(
                _("请先按房号或手机号找到居民并选中;没有署名的纸质意见条请选“匿名”。"),
                code="no_reporter",
            )
        found = self.find_reporter(int(match[1]), int(match[2])) if self.find_reporter else None
        if found is None:
            raise ValidationError(_("该居民不在本小区。"), code="not_found")
        self.selected_reporter = found
        return found

    def clean_channel(self):
        value = self.cleaned_data.get("channel")
        if self.behalf and not value:
            raise ValidationError(self.fields["channel"].error_messages["required"])
        return value

    def clean(self):
        data = super().clean()
        if self.behalf and data.get("place_kind") == PlaceKind.ROOM:
            reporter = data.get("reporter")
            if reporter and reporter != ANONYMOUS:
                data["room"] = reporter.room
        return data

    def service_kwargs(self) -> dict:
        """The arguments the filing services take, from the cleaned data."""
        data = self.cleaned_data
        kwargs = {
            "category": data.get("category"),
            "description": data.get("description", ""),
            "place_kind": data.get("place_kind") or "",
            "room": data.get("room"),
            "building": data.get("building"),
            "location_note": data.get("location_note", ""),
            "is_public": bool(data.get("is_public")),
            "photos": data.get("photos") or [],
        }
        if self.kind != "micro_wish":
            kwargs["urgency"] = data.get("urgency") or Urgency.NORMAL
        if kwargs["place_kind"] != PlaceKind.ROOM:
            kwargs["room"] = None
        if kwargs["place_kind"] != PlaceKind.BUILDING:
            kwargs["building"] = None
        if self.behalf:
            reporter = data.get("reporter")
            kwargs["reporter"] = None if reporter in (None, ANONYMOUS) else reporter.person
            kwargs["channel"] = data.get("channel")
        return kwargs


# --- moves on one demand ------------------------------------------------------------------


class NoteForm(forms.Form):
    note = TextField(
        label=_("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = TextField(
        label=_("理由"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(NoteForm):
    photos = PhotosField(label=_("办结照片"))


class TextForm(forms.Form):
    text = TextField(
        label=_("内容"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SummaryForm(forms.Form):
    summary = TextField(
        label=_("总结"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvaluateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("您满意吗?"),
        choices=[(i, str(i)) for i in range(rules.RATING_MIN, rules.RATING_MAX + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请点星星打分,1到5星。"),
            "invalid_choice": _("评价须为1到5的整数。"),
        },
    )
    comment = TextField(
        label=_("还想说点什么"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("评价意见不能超过1000字。")},
    )


_HANDLER_RE = re.compile(r"^b([0-9]+)(?:p([0-9]+))?$")


def parse_handler(value: str) -> tuple[Body | None, Person | None]:
    """ "b12" → (body 12, None); "b12p34" → (body 12, person 34). Unknown ids → (None, None);
    the dispatch service then says which handler is missing or out of scope."""
    match = _HANDLER_RE.match((value or "").strip())
    if not match:
        return None, None
    body = Body.objects.filter(pk=int(match[1])).first()
    person = Person.objects.filter(pk=int(match[2])).first() if match[2] else None
    return body, person


def parse_handler_ids(value: str) -> tuple[str | None, str | None]:
    """ "b12p34" → ("12", "34"): the ids a dispatch names, resolved in the demand's scope by
    ``services.resolve_handler`` (an id of elsewhere is refused as a missing one)."""
    match = _HANDLER_RE.match((value or "").strip())
    return (match[1], match[2]) if match else (None, None)


class DispatchForm(forms.Form):
    handler = TextField(label=_("派给"), required=False)
    note = TextField(
        label=_("派单说明"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        data["handler_body"], data["handler_person"] = parse_handler_ids(data.get("handler", ""))
        if data.get("handler") and data["handler_body"] is None:
            self.add_error("handler", _("请选择承办组织或承办人。"))
        return data


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("合并到"),
        error_messages={
            "required": _("请选择要合并到的另一条诉求。"),
            "invalid": _("请选择要合并到的另一条诉求。"),
        },
    )
    note = TextField(label=_("说明"), required=False, max_length=1000)


# --- the dispatch board's filters -------------------------------------------------------------


class BoardFilterForm(forms.Form):
    """The board's filters, from the query string (so a filtered board is a link)."""

    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        widget=FastSelect,
        choices=[("", _("全部状态")), *rules.State.choices],
    )
    category = forms.TypedChoiceField(
        label=_("类别"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    building = forms.TypedChoiceField(
        label=_("楼栋"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    compound = forms.TypedChoiceField(
        label=_("小区"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )
    overdue = forms.ChoiceField(
        label=_("时限"),
        required=False,
        widget=FastSelect,
        choices=[("", _("不限")), ("1", _("只看已超时")), ("0", _("未超时"))],
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        required=False,
        widget=FastSelect,
        choices=[("", _("诉求和微心愿")), ("demand", _("诉求")), ("micro_wish", _("微心愿"))],
    )

    def __init__(self, *args, categories=(), buildings=(), compounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("全部类别"))] + [
            (c.pk, c.name) for c in categories
        ]
        self.fields["building"].choices = [("", _("全部楼栋"))] + [
            (b.pk, b.name) for b in buildings
        ]
        self.fields["compound"].choices = [("", _("全部小区"))] + [
            (c.pk, c.name) for c in compounds
        ]
        if len(compounds) <= 1:
            del self.fields["compound"]
        if not buildings:
            del self.fields["building"]

    def filters(self) -> dict:
        """Keyword arguments of ``selectors.dispatch_board``."""
        data = self.cleaned_data if self.is_valid() else {}
        overdue = data.get("overdue")
        return {
            "state": data.get("state") or None,
            "category": data.get("category"),
            "building": data.get("building"),
            "compound": data.get("compound"),
            "kind": data.get("kind") or None,
            "overdue": {"1": True, "0": False}.get(overdue or ""),
        }


# --- a compound's settings ----------------------------------------------------------------------


class RoutingRuleForm(forms.Form):
    category = forms.TypedChoiceField(label=_("类别"), required=False, coerce=int, empty_value=None)
    place_kind = forms.ChoiceField(
        label=_("位置"), required=False, choices=[("", _("任何位置")), *PlaceKind.choices]
    )
    building = forms.TypedChoiceField(label=_("楼栋"), required=False, coerce=int, empty_value=None)
    handler = forms.ChoiceField(
        label=_("派给"), error_messages={"required": _("请选择承办组织或承办人。")}
    )

    def __init__(self, *args, settings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("任何类别"))] + [
            (c.pk, c.name) for c in settings.categories
        ]
        self.fields["building"].choices = [("", _("任何楼栋"))] + [
            (b.pk, b.name) for b in settings.buildings
        ]
        self.fields["handler"].choices = [("", _("请选择"))] + [
            (o.value, o.label) for o in settings.handler_options
        ]
        self._settings = settings

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        body, person = parse_handler(data["handler"])
        return {
            "category": next(
                (c for c in self._settings.categories if c.pk == data["category"]), None
            ),
            "place_kind": data.get("place_kind") or "",
            "building": next(
                (b for b in self._settings.buildings if b.pk == data["building"]), None
            ),
            "handler_body": body,
            "handler_person": person,
        }


class ChainForm(forms.Form):
    """The escalation chain: which levels take part, and in which order (1 first)."""

    def __init__(self, *args, chain=(), **kwargs):
        super().__init__(*args, **kwargs)
        positions = [(str(i), str(i)) for i in range(1, len(rules.Level.values) + 1)]
        self.levels = list(rules.Level.values)
        for i, level in enumerate(self.levels, start=1):
            self.fields[f"use_{level}"] = forms.BooleanField(
                label=rules.level_label(level), required=False, initial=level in chain
            )
            self.fields[f"order_{level}"] = forms.ChoiceField(
                label=_("顺序"),
                choices=positions,
                required=False,
                initial=str(list(chain).index(level) + 1 if level in chain else i),
            )

    def rows(self):
        return [(self[f"use_{lv}"], self[f"order_{lv}"]) for lv in self.levels]

    def clean(self):
        data = super().clean()
        chosen = [
            (int(data.get(f"order_{lv}") or 0), lv) for lv in self.levels if data.get(f"use_{lv}")
        ]
        orders = [o for o, _lv in chosen]
        if len(set(orders)) != len(orders):
            raise ValidationError(_("启用的层级顺序不能重复。"), code="order")
        data["levels"] = [lv for _o, lv in sorted(chosen)]
        return data


class CategoryForm(forms.Form):
    """诉求类别: add one to the compound or change one. Parsing only: the service checks
    the name, the deadlines (at least 1) and duplicates, and says so beside the field."""

    name = TextField(
        label=_("类别名称"),
        widget=forms.TextInput(attrs={"maxlength": 40, "placeholder": _("如:加装电梯")}),
        error_messages={"required": _("请填写类别名称。")},
    )
    keywords = TextField(
        label=_("关键词"),
        required=False,
        help_text=_("以空格、逗号或顿号分隔,居民描述里出现时推荐这个类别"),
        widget=forms.TextInput(attrs={"maxlength": 500}),
    )
    accept_within_hours = forms.IntegerField(
        label=_("接单时限(小时)"),
        help_text=_("提交或派单后多少小时内须接单,超时自动吹哨升级"),
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        error_messages={
            "required": _("请填写接单时限(小时)。"),
            "invalid": _("接单时限须为整数(小时)。"),
        },
    )
    resolve_within_days = forms.IntegerField(
        label=_("办结时限(天)"),
        help_text=_("接单后多少天内须办结,超时自动吹哨升级"),
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        error_messages={
            "required": _("请填写办结时限(天)。"),
            "invalid": _("办结时限须为整数(天)。"),
        },
    )
    sort_order = forms.IntegerField(
        label=_("排序"),
        required=False,
        help_text=_("小的在前"),
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        error_messages={"invalid": _("排序须为整数。")},
    )

    def __init__(self, *args, category=None, **kwargs):
        if category is not None:
            kwargs.setdefault("prefix", f"category-{category.pk}")
            kwargs.setdefault(
                "initial",
                {field: getattr(category, field) for field in CATEGORY_FIELDS},
            )
        else:
            kwargs.setdefault(
                "initial",
                {
                    "accept_within_hours": rules.DEFAULT_ACCEPT_HOURS,
                    "resolve_within_days": rules.DEFAULT_RESOLVE_DAYS,
                    "sort_order": 0,
                },
            )
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data.get("name", ""),
            "keywords": data.get("keywords", ""),
            "accept_within_hours": data["accept_within_hours"],
            "resolve_within_days": data["resolve_within_days"],
            "sort_order": data.get("sort_order") or 0,
        }


CATEGORY_FIELDS = ("name", "keywords", "accept_within_hours", "resolve_within_days", "sort_order")


class CategoryActiveForm(forms.Form):
    """Take a category off the filing form (停用) or put it back (重新启用)."""

    is_active = forms.TypedChoiceField(
        choices=[("1", _("启用")), ("0", _("停用"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("请选择启用或停用。"),
            "invalid_choice": _("请选择启用或停用。"),
        },
    )
