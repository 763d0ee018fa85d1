"""Filters on the audit log, shared by the list page, the CSV export and the API."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongzhi.core import access
from gongzhi.core.capabilities import Cap
from gongzhi.core.inputs import MAX_BIGINT
from gongzhi.core.text import TextField
from gongzhi.places import rules as place_rules
from gongzhi.places.models import PATH_MAX, Community, Compound, Street


class DateOrDateTimeField(forms.DateTimeField):
    """Takes ``2026-05-01`` (a whole day, returned as a date) or a full date and time."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip():
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        return super().to_python(value)


def _validate_place_path(value: str) -> None:
    try:
        place_rules.parse_path(value)
    except ValueError as exc:
        raise ValidationError(_("位置格式不正确。"), code="place") from exc


class EventFilterForm(forms.Form):
    """The filters of ``selectors.events_for``, read from a query string."""

    action = TextField(
        label=_("操作"),
        required=False,
        max_length=64,
        help_text=_("如 person.create;以 .* 结尾表示一类操作,如 membership.*"),
    )
    object_type = TextField(label=_("对象类型"), required=False, max_length=64)
    object_id = TextField(label=_("对象编号"), required=False, max_length=64)
    place = TextField(
        label=_("位置"), required=False, max_length=PATH_MAX, validators=[_validate_place_path]
    )
    actor = forms.IntegerField(
        label=_("操作人编号"), required=False, min_value=1, max_value=MAX_BIGINT
    )
    since = DateOrDateTimeField(label=_("开始日期"), required=False)
    until = DateOrDateTimeField(label=_("结束日期"), required=False)
    q = TextField(label=_("搜索"), required=False, max_length=100)
    correlation_id = forms.UUIDField(label=_("关联编号"), required=False)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and _as_datetime(since) > _as_datetime(until):
            raise ValidationError(_("开始日期不能晚于结束日期。"), code="range")
        return data

    def filters(self) -> dict:
        """Keyword arguments for ``events_for``, from the fields that are valid and given."""
        data = getattr(self, "cleaned_data", {})
        out = {
            "action": data.get("action") or None,
            "actor": data.get("actor"),
            "object_type": data.get("object_type") or None,
            "object_id": data.get("object_id") or None,
            "place_path": data.get("place") or None,
            "since": data.get("since"),
            "until": data.get("until"),
            "q": data.get("q") or None,
            "correlation_id": data.get("correlation_id"),
        }
        if self.errors.get("__all__"):  # an inverted range: drop it rather than show nothing
            out["since"] = out["until"] = None
        return {key: value for key, value in out.items() if value not in (None, "")}


def _as_datetime(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time.min)


def object_type_choices() -> list[tuple[str, str]]:
    """Every model of ours, as ``people.person`` labelled with its Chinese name."""
    choices = [
        (model._meta.label_lower, f"{model._meta.verbose_name} ({model._meta.label_lower})")
        for model in apps.get_models()
        if model.__module__.startswith("gongzhi.")
    ]
    return sorted(choices)


def place_choices(user) -> list[tuple[str, str]]:
    """Streets, communities and compounds where ``user`` may read the audit log."""
    q = access.scope_q(user, Cap.VIEW_AUDIT, "path")
    nodes: list[tuple[str, str]] = []
    for model in (Street, Community, Compound):
        nodes += model.objects.filter(q).values_list("path", "name")
    depth = {path: path.count("/") for path, _name in nodes}
    top = min(depth.values(), default=0)
    return [
        (path, ("—" * (depth[path] - top) + " " if depth[path] > top else "") + name)
        for path, name in sorted(nodes)
    ]


class AuditFilterForm(EventFilterForm):
    """The list page's form: choices instead of free text where the user can pick."""

    object_type = forms.ChoiceField(label=_("对象类型"), required=False)
    place = forms.ChoiceField(label=_("位置"), required=False)
    since = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    actor = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    object_id = TextField(required=False, max_length=64, widget=forms.HiddenInput)
    correlation_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["object_type"].choices = everything + object_type_choices()
        self.fields["place"].choices = everything + place_choices(user)
