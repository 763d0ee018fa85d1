"""Forms of the list pages. They parse input; the services check it and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.text import TextField
from gongzhi.lists import rules
from gongzhi.lists.rules import ListKind, Mode, Source


class DateInput(forms.DateInput):
    input_type = "date"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one field; each is checked and re-encoded by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class WorkListForm(forms.Form):
    LEVELS = [("compound", _("本小区")), ("community", _("整个社区(社区级清单)"))]

    kind = forms.ChoiceField(label=_("类型"), choices=ListKind.choices, initial=ListKind.NEEDS)
    title = TextField(label=_("标题"), max_length=rules.TITLE_MAX)
    period = TextField(
        label=_("期间"),
        max_length=rules.PERIOD_MAX,
        help_text=_("如 2024、2024-Q3、2024-H1、2024-03"),
    )
    level = forms.ChoiceField(label=_("范围"), choices=LEVELS, initial="compound")
    note = TextField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MilestonesMixin(forms.Form):
    plan = TextField(
        label=_("推进计划"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("长期项目必填"),
    )
    milestones = TextField(
        label=_("节点"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("2024-06-30 完成方案")}),
        required=False,
        help_text=_("每行一个:日期 节点名称;长期项目至少一个"),
    )

    def clean_milestones(self):
        try:
            return rules.parse_milestone_lines(self.cleaned_data.get("milestones", ""))
        except rules.ListError as exc:
            raise forms.ValidationError(exc.message_dict["milestones"]) from None


class CompileForm(MilestonesMixin):
    """Choose open demands of the place to put on the list."""

    demands = forms.TypedMultipleChoiceField(
        label=_("选择诉求"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    mode = forms.ChoiceField(label=_("办理方式"), choices=Mode.choices, initial=Mode.FIX_NOW)

    def __init__(self, *args, demands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demands"].choices = [(d.pk, str(d.pk)) for d in demands]


FREE_SOURCES = [(s, label) for s, label in Source.choices if s != Source.DEMAND]


class ItemForm(MilestonesMixin):
    """An item raised at a meeting or found on a visit."""

    title = TextField(label=_("事项"), max_length=rules.TITLE_MAX)
    description = TextField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    source = forms.ChoiceField(label=_("来源"), choices=FREE_SOURCES, initial=Source.MEETING)
    source_label = TextField(
        label=_("来源说明"),
        max_length=120,
        required=False,
        help_text=_("会议名称,如“3月邻里夜谈”"),
    )
    source_date = forms.DateField(label=_("来源日期"), required=False, widget=DateInput)
    place_label = TextField(
        label=_("位置"), max_length=100, required=False, help_text=_("楼栋或公共区域")
    )
    mode = forms.ChoiceField(label=_("办理方式"), choices=Mode.choices, initial=Mode.FIX_NOW)


class PlanForm(MilestonesMixin):
    """Carry an item as a long-term project."""


class ProgressForm(forms.Form):
    text = TextField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("进度(%)"), min_value=0, max_value=100)
    photos = MultipleImageField(label=_("照片"), required=False)


class ReasonForm(forms.Form):
    reason = TextField(
        label=_("原因"), max_length=rules.REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    text = TextField(label=_("办结说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
