"""The preferences form: one checkbox per kind and optional channel, and an email box."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gongzhi.notifications import rules
from gongzhi.notifications.channels import optional_channels
from gongzhi.notifications.kinds import registered_kinds

OTHER = "_other"  # the field-name stand-in for kind "" (every kind not listed)


class PreferencesForm(forms.Form):
    email = forms.EmailField(
        label=_("接收通知的电子邮箱"),
        required=False,
        error_messages={"invalid": _("请输入有效的电子邮箱地址。")},
    )

    def __init__(self, *args, choices: dict, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.channels = optional_channels()
        self.kinds = [*registered_kinds(), ("", str(_("其他通知")))]
        if "email" in {c.name for c in self.channels}:
            self.fields["email"].initial = email
        else:
            del self.fields["email"]
        self.rows = []
        for kind, label in self.kinds:
            cells = []
            for channel in self.channels:
                name = f"pref__{kind or OTHER}__{channel.name}"
                self.fields[name] = forms.BooleanField(
                    label=f"{label} · {channel.label}",
                    required=False,
                    initial=rules.wants(channel.name, kind, choices),
                )
                cells.append(name)
            self.rows.append(
                (label, [(self[n], c.label) for n, c in zip(cells, self.channels, strict=True)])
            )

    def choices(self) -> dict[tuple[str, str], bool]:
        out = {}
        for kind, _label in self.kinds:
            for channel in self.channels:
                name = f"pref__{kind or OTHER}__{channel.name}"
                out[(kind, channel.name)] = bool(self.cleaned_data.get(name))
        return out
