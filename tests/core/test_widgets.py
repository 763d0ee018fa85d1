"""FastSelect renders exactly what Django's Select template renders."""

from __future__ import annotations

import pytest
from django import forms

from gongzhi.core.widgets import FastSelect

CHOICES = [("", "全部"), (1, "1号楼"), (2, '<b>"2"号楼</b> & 3'), ("组", [(4, "四"), (5, "五")])]


@pytest.mark.parametrize("value", [None, "", 1, "2", 5, "missing"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_x", "required": True, "disabled": False}])
def test_fast_select_renders_the_same_html_as_djangos_select(value, attrs):
    slow = forms.Select(choices=CHOICES).render("building", value, attrs)
    fast = FastSelect(choices=CHOICES).render("building", value, attrs)
    assert fast == slow


def test_a_form_field_with_it_renders_its_label_choices_and_the_chosen_one():
    class F(forms.Form):
        state = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=FastSelect)

    html = str(F({"state": "b"})["state"])
    assert '<option value="b" selected>乙</option>' in html and 'id="id_state"' in html
