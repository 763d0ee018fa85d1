"""Forms of the bodies pages: appoint a member, end a membership."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.bodies import rules
from gongzhi.bodies.models import Body, Post
from gongzhi.core.capabilities import Cap
from gongzhi.core.selectors import person_in_scope, scope_choices, scope_node
from gongzhi.people.permissions import can_reach_person


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def post_choices(kind: str) -> list[tuple[str, str]]:
    """The posts that mean something in a body of ``kind`` (bodies.rules), and 成员."""
    return [
        (value, label)
        for value, label in Post.choices
        if (kind, value) in rules.ROLE_CAPABILITIES or value == Post.MEMBER
    ]


class AppointForm(forms.Form):
    person = forms.CharField(
        label=_("手机号或身份证号"),
        max_length=20,
        help_text=_("须是在本组织范围内居住、有房产或任职的人员。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    post = forms.ChoiceField(label=_("职务"))
    scope = forms.ChoiceField(
        label=_("负责范围"), required=False, help_text=_("楼栋长、网格员可限定到楼栋或网格。")
    )
    start = forms.DateField(label=_("任期开始"), widget=DateInput())
    end = forms.DateField(label=_("任期结束"), required=False, widget=DateInput())

    def __init__(self, *args, body: Body, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.user = user
        self.fields["post"].choices = [("", _("请选择职务"))] + post_choices(body.kind)
        self.fields["start"].initial = timezone.localdate()
        scopes = scope_choices(body.place_path)
        if scopes:
            self.fields["scope"].choices = [("", _("整个组织范围"))] + scopes
        else:
            del self.fields["scope"]

    def clean_person(self):
        found = [
            person
            for person in person_in_scope(self.cleaned_data["person"], self.body.place_path)
            if can_reach_person(self.user, person, Cap.MANAGE_BODIES)
        ]
        if not found:
            raise forms.ValidationError(
                _("在本组织范围内没有找到该手机号或身份证号的人员。"), code="not_found"
            )
        if len(found) > 1:
            raise forms.ValidationError(_("该手机号对应多人,请改用身份证号。"), code="ambiguous")
        return found[0]

    def clean_scope(self):
        value = self.cleaned_data.get("scope")
        if not value:
            return None
        node = scope_node(value, self.body.place_path)
        if node is None:
            raise forms.ValidationError(_("负责范围必须在组织所在范围之内。"), code="scope")
        return node

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("任期结束不能早于开始。"))
        return data


class EndMembershipForm(forms.Form):
    end = forms.DateField(label=_("任期结束日期"), required=False, widget=DateInput())
