"""core.text: invisible characters at the edges cut, text with nothing visible refused; and
a sweep that every free-text input of every form and every API request uses it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from rest_framework import serializers

import gongzhi
from gongzhi.core import text

# What the attacker typed (issue 8), and what else renders as nothing.
BLANKS = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3000", "\xa0", "\u200b\u3000\ufeff",
    " \t\n\u200e\u200f\u202a\u202c\u2066\u2069\u00ad", "\u3164\u115f\uffa0\u2800", "\u0301",
    "\ufe0f", "\u180e\u2028\u2029",
]  # fmt: skip


@pytest.mark.parametrize("blank", BLANKS)
def test_text_of_only_invisible_characters_has_nothing_visible(blank):
    assert not text.has_visible(blank)
    assert text.visible_or_empty(blank) == ""


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("\u200b停车难\u3000\ufeff", "停车难"),
        ("\xa0 电梯坏了 \u2060", "电梯坏了"),
        ("a\u200bb", "a\u200bb"),  # inside the text: kept
        ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),  # a joiner inside an emoji: kept
        ("é", "é"),  # a mark on a letter
        ("第一行\n第二行", "第一行\n第二行"),
    ],
)
def test_clean_cuts_only_the_edges(raw, cleaned):
    assert text.clean(raw) == cleaned
    assert text.has_visible(cleaned)


def test_form_field_refuses_invisible_text_when_required():
    field = text.TextField(max_length=5)
    with pytest.raises(forms.ValidationError) as error:
        field.clean("\u200b\u3000")
    assert error.value.messages == ["内容不能只有空格或不可见字符,请填写文字。"]
    with pytest.raises(forms.ValidationError) as error:
        field.clean("   ")
    assert error.value.code == "required"


def test_form_field_makes_invisible_text_empty_when_optional():
    assert text.TextField(required=False).clean("\ufeff\u200b") == ""


def test_form_field_cleans_before_measuring_length():
    assert text.TextField(max_length=3).clean("\u200b停车难\u200b") == "停车难"


def test_api_field_refuses_invisible_text_unless_blank_is_allowed():
    field = text.ApiTextField(max_length=10)
    with pytest.raises(serializers.ValidationError) as error:
        field.run_validation("\u200b\u2060")
    assert error.value.detail == ["内容不能只有空格或不可见字符,请填写文字。"]
    assert text.ApiTextField(allow_blank=True).run_validation("\u3000\u200d") == ""
    assert field.run_validation("\u200b  电梯  \ufeff") == "电梯"


def test_api_field_still_refuses_a_missing_value():
    field = text.ApiTextField()
    with pytest.raises(serializers.ValidationError):
        field.run_validation(serializers.empty)


# -- the sweep ------------------------------------------------------------------------


def _modules(suffixes=("forms",)):
    for info in pkgutil.walk_packages(gongzhi.__path__, "gongzhi."):
        parts = info.name.split(".")
        if any(p in ("migrations", "management", "demo") for p in parts):
            continue
        if any(p in suffixes for p in parts[2:]):
            yield importlib.import_module(info.name)


def _is_password(field) -> bool:
    if isinstance(field, forms.Field):
        return isinstance(field.widget, forms.PasswordInput)
    return field.style.get("input_type") == "password"


def plain_form_text_fields() -> list[str]:
    found = []
    for module in _modules():
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not issubclass(cls, forms.BaseForm):
                continue
            for field_name, field in cls.base_fields.items():
                if type(field) is forms.CharField and not _is_password(field):
                    found.append(f"{module.__name__}.{name}.{field_name}")
    return found


def test_every_form_text_field_uses_the_cleaner():
    """A plain forms.CharField keeps a zero-width space as text: use core.text.TextField
    (a password is not free text and is left alone)."""
    assert plain_form_text_fields() == []


def _fields_of(serializer, prefix: str):
    serializer = serializer() if inspect.isclass(serializer) else serializer
    if isinstance(serializer, serializers.ListSerializer):
        serializer = serializer.child
    if not isinstance(serializer, serializers.Serializer):
        return
    for name, field in serializer.fields.items():
        where = f"{prefix}.{name}"
        if field.read_only:
            continue
        child = getattr(field, "child", None)
        if isinstance(field, serializers.Serializer | serializers.ListSerializer):
            yield from _fields_of(field, where)
        elif child is not None and isinstance(child, serializers.Serializer):
            yield from _fields_of(child, where)
        elif child is not None:
            yield where, child
        else:
            yield where, field


def request_serializers(monkeypatch) -> dict[str, object]:
    """Every serializer the OpenAPI schema documents as a request body."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.openapi import AutoSchema

    seen: dict[str, object] = {}
    original = AutoSchema._get_request_for_media_type

    def record(self, serializer, direction="request"):
        if direction == "request" and serializer is not None:
            cls = serializer if inspect.isclass(serializer) else type(serializer)
            seen[f"{cls.__module__}.{cls.__qualname__}"] = serializer
        return original(self, serializer, direction)

    monkeypatch.setattr(AutoSchema, "_get_request_for_media_type", record)
    SchemaGenerator().get_schema(request=None, public=True)
    return seen


def test_every_api_request_text_field_uses_the_cleaner(monkeypatch):
    """A plain serializers.CharField in a request body keeps a zero-width space as text:
    use core.text.ApiTextField (a password is left alone)."""
    found = request_serializers(monkeypatch)
    assert len(found) > 20  # the sweep sees the API's request bodies
    plain = [
        where
        for name, serializer in found.items()
        for where, field in _fields_of(serializer, name)
        if type(field) is serializers.CharField and not _is_password(field)
    ]
    assert plain == []


# -- through the pages and the API: text of nothing visible changes nothing -------------

INVISIBLE = "\u200b\u3000\ufeff\u2060\xa0"


@pytest.fixture
def category(db):
    from gongzhi.demands.models import Category

    return Category.objects.create(name="维修", accept_within_hours=24, resolve_within_days=3)


def _api(account):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(account)
    return client


def test_demand_of_invisible_text_is_refused_by_the_api(cast, category):
    from gongzhi.demands.models import Demand

    response = _api(cast.resident).post(
        "/api/v1/demands",
        {"compound": cast.a.pk, "category": category.pk, "description": INVISIBLE},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"description": ["请填写诉求内容。"]}
    assert not Demand.objects.exists()


def test_demand_text_is_stored_without_invisible_edges(cast, category):
    from gongzhi.demands.models import Demand

    response = _api(cast.resident).post(
        "/api/v1/demands",
        {
            "compound": cast.a.pk,
            "category": category.pk,
            "description": f"{INVISIBLE}路灯不亮\u200b",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Demand.objects.get().description == "路灯不亮"


def test_demand_of_invisible_text_is_refused_by_the_page(client, cast, category):
    from gongzhi.demands.models import Demand

    client.force_login(cast.resident)
    response = client.post(
        f"/demands/new/?compound={cast.a.pk}",
        {"category": category.pk, "description": INVISIBLE, "place_kind": "common"},
    )
    assert response.status_code == 400
    assert "请填写诉求内容" in response.content.decode()
    assert not Demand.objects.exists()


def test_notice_titled_with_invisible_text_is_refused(client, cast):
    from gongzhi.notices.models import Notice

    client.force_login(cast.community_worker)
    response = client.post(
        f"/compounds/{cast.a.pk}/notices/new", {"title": INVISIBLE, "kind": "general"}
    )
    assert "内容不能只有空格或不可见字符" in response.content.decode()
    assert not Notice.objects.exists()


def test_category_named_with_invisible_text_is_refused(cast):
    from gongzhi.demands.models import Category

    response = _api(cast.secretary).post(
        "/api/v1/demands/categories",
        {"compound": cast.a.pk, "name": "\u200d\u2060", "accept_within_hours": 6,
         "resolve_within_days": 2},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "name" in response.json()
    assert not Category.objects.filter(compound=cast.a).exists()


def test_work_list_titled_with_invisible_text_is_refused(cast):
    from gongzhi.lists.models import WorkList

    response = _api(cast.secretary).post(
        "/api/v1/lists",
        {"compound": cast.a.pk, "kind": "needs", "title": INVISIBLE, "period": "2024"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["title"] == ["内容不能只有空格或不可见字符,请填写文字。"]
    assert not WorkList.objects.exists()
