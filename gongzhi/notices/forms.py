from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.core.text import TextField
from gongzhi.notices.models import SYSTEM_KINDS, NoticeKind

# What staff may post by hand: results, rolls, slates and reminders are the system's.
POSTABLE_KINDS = [(k, label) for k, label in NoticeKind.choices if k not in SYSTEM_KINDS]


class NoticeForm(forms.Form):
    title = TextField(label=_("标题"), max_length=200)
    body = TextField(label=_("正文"), widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=POSTABLE_KINDS, initial=NoticeKind.GENERAL)
    attachment = forms.FileField(label=_("附件（PDF/PNG/JPG）"), required=False)
    pinned = forms.BooleanField(label=_("置顶"), required=False)
