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
    # Needed only for a long-term project (the service checks): the page says so instead
    # of "选填" (templates/_field.html).
    plan = TextField(
        label=_("推进计划"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("分几步办、谁来办、何时办完"),
    )
    plan.required_when = _("长期项目必填")
    milestones = TextField(
        label=_("节点"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("2024-06-30 完成方案")}),
        required=False,
        help_text=_("每行一个:日期 节点名称"),
    )
    milestones.required_when = _("长期项目至少一个")

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
        self.demands = {d.pk: d for d in demands}
        for d in demands:
            field = TextField(
                label=_("清单上的标题"),
                max_length=rules.TITLE_MAX,
                required=False,
                initial=rules.suggested_title_for_demand(
                    description=d.description, is_public=d.is_public
                ),
            )
            if not d.is_public:
                field.required_when = _("选中时必填")
                field.help_text = _("居民未同意公开这条诉求:请概括要办的事,不写姓名和门牌。")
            self.fields[f"title_{d.pk}"] = field

    def rows(self) -> list[tuple]:
        """Each demand on offer with its title field, for the page."""
        return [(d, self[f"title_{pk}"]) for pk, d in self.demands.items()]

    def clean(self):
        data = super().clean()
        titles = {}
        for pk in data.get("demands") or []:
            demand = self.demands.get(pk)
            title = " ".join((data.get(f"title_{pk}") or "").split())
            if demand is not None and not demand.is_public and not title:
                self.add_error(
                    f"title_{pk}",
                    _("居民未同意公开第%(n)s号诉求,请为清单写一个标题。") % {"n": pk},
                )
            if title:
                titles[pk] = title
        data["titles"] = titles
        return data


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
    source_label.required_when = _("来源为会议时必填")
    source_date = forms.DateField(label=_("来源日期"), required=False, widget=DateInput)
    place_label = TextField(
        label=_("位置"), max_length=100, required=False, help_text=_("楼栋或公共区域")
    )
    mode = forms.ChoiceField(label=_("办理方式"), choices=Mode.choices, initial=Mode.FIX_NOW)


class PlanForm(MilestonesMixin):
    """Carry an item as a long-term project: the plan and a milestone are both needed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in (
            ("plan", _("长期项目须填写推进计划。")),
            ("milestones", _("长期项目至少要有一个节点。")),
        ):
            field = self.fields[name]
            field.required, field.required_when = True, ""
            field.error_messages["required"] = message


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
