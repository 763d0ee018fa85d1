"""Login forms: phone and password, and the two steps of a one-time SMS code."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gongzhi.core.text import TextField
from gongzhi.people import rules

PHONE_WIDGET_ATTRS = {
    "inputmode": "tel",
    "autocomplete": "username",
    "placeholder": _("11位手机号"),
    "maxlength": "20",
}


def clean_phone(raw: str) -> str:
    phone = rules.normalise_mobile(raw)
    if not rules.is_mobile(phone):
        raise forms.ValidationError(_("请输入11位中国大陆手机号码。"), code="mobile")
    return phone


class PhoneLoginForm(AuthenticationForm):
    """Phone and password. The field stays named ``username``: django-axes reads it
    (AXES_USERNAME_FORM_FIELD) to count failures per phone number."""

    username = TextField(
        label=_("手机号"), widget=forms.TextInput(attrs={**PHONE_WIDGET_ATTRS, "autofocus": True})
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("手机号或密码不正确。"),
        "inactive": _("该账号已停用,请联系社区工作人员。"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # AuthenticationForm caps the input at the model's 11 characters; allow the
        # spaces and +86 prefix people type, normalised below.
        self.fields["username"].max_length = 20
        self.fields["username"].widget.attrs["maxlength"] = "20"

    def clean_username(self) -> str:
        # Normalised before authenticate(), so "138 0013 8000" and "+8613800138000" log in
        # and count toward the same lock-out as "13800138000".
        return rules.normalise_mobile(self.cleaned_data["username"])


class SmsPhoneForm(forms.Form):
    """Step 1: the phone number to send a code to."""

    phone = TextField(
        label=_("手机号"), widget=forms.TextInput(attrs={**PHONE_WIDGET_ATTRS, "autofocus": True})
    )

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])


class SmsCodeForm(forms.Form):
    """Step 2: the six-digit code from the message."""

    code = TextField(
        label=_("验证码"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
                "placeholder": _("6位数字"),
                "autofocus": True,
            }
        ),
        error_messages={
            "required": _("请输入短信中的6位验证码。"),
            "min_length": _("验证码是6位数字。"),
            "max_length": _("验证码是6位数字。"),
        },
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not (code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("验证码是6位数字。"), code="digits")
        return code
