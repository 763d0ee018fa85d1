"""Form widgets rendered in Python: the same HTML as Django's templates, without one
template include per option (a filter bar of a few selects cost a page 10+ ms)."""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """``attrs.html``: `` name="value"`` for each, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


class FastSelect(forms.Select):
    """A ``<select>`` with the HTML of ``django/forms/widgets/select.html``, built in Python."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))
