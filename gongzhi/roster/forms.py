"""The upload form. Size, format and every cell are checked by the import itself."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("花名册文件"),
        help_text=_(".xlsx 或 .csv,不超过 5 MB、20000 行"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet,text/csv"
            }
        ),
    )
