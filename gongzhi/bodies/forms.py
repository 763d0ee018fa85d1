"""Forms of the bodies pages: appoint a member, end a membership, dissolve the body."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.bodies import rules
from gongzhi.bodies.models import Body, Post
from gongzhi.bodies.selectors import person_in_scope
from gongzhi.core.capabilities import Cap
from gongzhi.core.text import TextField
from gongzhi.people.permissions import can_reach_person
from gongzhi.people.rules import normalise_mobile
from gongzhi.places.selectors import scope_choices, scope_node


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def post_choices(kind: str) -> list[tuple[str, str]]:
    """The posts that mean something in a body of ``kind`` (bodies.rules), and 成员."""
    posts = rules.post_roles()
    return [
        (value, label)
        for value, label in Post.choices
        if (kind, value) in posts or value == Post.MEMBER
    ]


class AppointForm(forms.Form):
    person = TextField(
        label=_("手机号或身份证号"),
        max_length=20,
        required=False,
        help_text=_("须是在本组织范围内居住、有房产或任职的人员。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    person.required_when = _("必填;尚未登记的人员请在下方登记")
    # A person not yet registered (a property clerk living elsewhere): registered by the post.
    new_name = TextField(label=_("新人员姓名"), max_length=50, required=False)
    new_name.required_when = _("登记新人员时必填")
    new_phone = TextField(
        label=_("新人员手机号"), max_length=11, required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    new_phone.required_when = _("登记新人员时必填")
    new_id_number = TextField(label=_("新人员身份证号"), max_length=18, required=False)
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
        if not (self.cleaned_data.get("person") or "").strip():
            return None
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
        newcomer = {
            "name": (data.get("new_name") or "").strip(),
            "phone": normalise_mobile(data.get("new_phone") or ""),
            "id_number": (data.get("new_id_number") or "").strip(),
        }
        if data.get("person") is None and "person" not in self.errors:
            if not (newcomer["name"] or newcomer["phone"]):
                self.add_error("person", _("请填写手机号或身份证号;此人尚未登记时,请登记新人员。"))
            elif not newcomer["name"]:
                self.add_error("new_name", _("请填写新人员的姓名。"))
            elif not newcomer["phone"]:
                self.add_error("new_phone", _("请填写新人员的手机号。"))
            else:
                data["newcomer"] = newcomer
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("任期结束不能早于开始。"))
        return data


class EndMembershipForm(forms.Form):
    end = forms.DateField(label=_("任期结束日期"), required=False, widget=DateInput())


class DissolveForm(forms.Form):
    on = forms.DateField(
        label=_("撤销日期"),
        required=False,
        widget=DateInput(),
        help_text=_("默认今天;自该日起成员不再任职"),
    )
    reason = TextField(
        label=_("撤销原因"),
        max_length=Body._meta.get_field("dissolution_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
