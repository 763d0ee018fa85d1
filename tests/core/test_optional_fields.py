"""A field's label says the truth about whether it must be filled.

``_field.html`` marks a field the form does not require "(选填)". A field the service
needs in some cases (a plan "for a long-term project", a meeting's name "when the source is
a meeting", a newcomer's name "when registering one") declares ``required_when`` and the
page says that instead; a required field never calls itself optional, and "选填" is never
said twice (by the page and by the help text).
"""

from __future__ import annotations

import importlib
import pkgutil

from django import forms
from django.template.loader import render_to_string

import gongzhi

OPTIONAL_WORDS = ("选填", "可不填", "可选", "可以不填")


def _form_classes() -> list[type[forms.Form]]:
    for module in pkgutil.walk_packages(gongzhi.__path__, "gongzhi."):
        if module.name.rsplit(".", 1)[-1] == "forms":
            importlib.import_module(module.name)
    found, todo = [], [forms.Form]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("gongzhi."):
                found.append(sub)
    return found


def _offences(form_class) -> list[str]:
    out = []
    for name, field in form_class.base_fields.items():
        words = f"{field.label or ''} {field.help_text or ''}"
        where = f"{form_class.__module__}.{form_class.__name__}.{name}"
        says_optional = any(w in words for w in OPTIONAL_WORDS)
        if field.required and says_optional:
            out.append(f"{where}: required, but says it is optional")
        if not field.required and "必填" in words and not getattr(field, "required_when", ""):
            out.append(f"{where}: shown as 选填 but says 必填 (declare required_when)")
        if not field.required and str(field.help_text).strip() in OPTIONAL_WORDS:
            out.append(f"{where}: says 选填 twice")
    return out


def test_no_form_field_says_it_is_optional_when_it_is_not():
    classes = _form_classes()
    assert len(classes) > 20  # the sweep found the forms
    offences = [o for cls in classes for o in _offences(cls)]
    assert offences == [], "\n".join(offences)


def test_a_conditionally_required_field_is_labelled_with_its_condition():
    class Probe(forms.Form):
        plan = forms.CharField(label="推进计划", required=False)
        note = forms.CharField(label="说明", required=False)

    Probe.base_fields["plan"].required_when = "长期项目必填"
    form = Probe()
    plan = render_to_string("_field.html", {"field": form["plan"]})
    note = render_to_string("_field.html", {"field": form["note"]})
    assert "(长期项目必填)" in plan and "选填" not in plan
    assert "(选填)" in note


def test_the_sweep_catches_each_kind_of_mistake():
    class Wrong(forms.Form):
        a = forms.CharField(label="电话(选填)")
        b = forms.CharField(label="计划", help_text="长期项目必填", required=False)
        c = forms.CharField(label="身份证号", help_text="选填", required=False)

    assert len(_offences(Wrong)) == 3


def test_appointing_says_which_fields_a_newcomer_needs(cast):
    """The person box and a newcomer's name and phone were all "(选填)" although one of
    the two ways must be filled; the ID number said "选填" twice."""
    from gongzhi.bodies.forms import AppointForm

    form = AppointForm(body=cast.branch_a, user=cast.secretary)
    label = {name: render_to_string("_field.html", {"field": form[name]}) for name in form.fields}
    assert "(必填;尚未登记的人员请在下方登记)" in label["person"]
    assert "(登记新人员时必填)" in label["new_name"] and "(登记新人员时必填)" in label["new_phone"]
    assert label["new_id_number"].count("选填") == 1
    assert all("选填" not in label[n] for n in ("person", "new_name", "new_phone"))
