"""Ids named by a write, resolved through the scoped getter for the actor.

A write that names another object (the person to appoint, the reporter of a demand filed
on someone's behalf, the body a claim is made for, the demand to merge into ...) must not
trust that id: it is resolved through the same ``permissions.get_<thing>_for(user, pk)``
getter a direct request for the object would use, with the capability the write needs.
An id outside the actor's scope is then refused exactly as a missing one is: a per-field
error with the same words, nothing written, nothing revealed.

- ``ScopedRef`` is the serializer field (API), ``ScopedRefField`` the form field (web):
  both take ``getter(user, pk) -> obj`` that raises ``Http404``.
- Services check again with their own predicates (``ensure_field``), because a service is
  also called by jobs, imports and other services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

Getter = Callable[[Any, int], Any]

NOT_FOUND = _("没有这个对象,或不在您的管辖范围内。")
MAX_ID = 2**63 - 1  # bigint: a larger id names nothing


def parse_id(value: Any) -> int | None:
    """A positive id written in ASCII digits (``'²'`` and ``'٣'`` are not ids), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value <= MAX_ID else None
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 19:
            number = int(text)
            return number if 0 < number <= MAX_ID else None
    return None


def resolve(getter: Getter, user, value: Any):
    """The object ``value`` names, through ``getter`` for ``user``; None when it names nothing
    the user may reach (missing and out of scope alike)."""
    pk = parse_id(value)
    if pk is None:
        return None
    try:
        return getter(user, pk)
    except Http404:
        return None


class ScopedRef(serializers.IntegerField):
    """An id in an API request, resolved to the object through a scoped getter.

    The request's user comes from the serializer context (``context={"request": ...}``) or
    ``context={"user": ...}``. The OpenAPI schema shows an integer.
    """

    default_error_messages = {"not_found": NOT_FOUND}

    def __init__(self, *, getter: Getter, message=None, **kwargs):
        # No min/max validators: they would run on the resolved object; parse_id bounds it.
        super().__init__(**kwargs)
        self.getter = getter
        if message is not None:
            self.error_messages["not_found"] = message
        # The bounds parse_id applies, for the schema only (no validators, see above).
        self.min_value, self.max_value = 1, MAX_ID

    def _user(self):
        context = self.context
        if "user" in context:
            return context["user"]
        request = context.get("request")
        return getattr(request, "user", None)

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.strip().isascii():
            self.fail("invalid")  # DRF's int() reads "٣" as 3
        pk = super().to_internal_value(data)
        obj = resolve(self.getter, self._user(), pk) if parse_id(pk) else None
        if obj is None:
            self.fail("not_found")
        return obj

    def to_representation(self, value):
        return getattr(value, "pk", value)


class ScopedRefField(forms.IntegerField):
    """An id in a web form, resolved to the object through a scoped getter for ``user``
    (given when the form is built: ``ScopedRefField.bind(form, user)`` or the form sets
    ``field.user``)."""

    default_error_messages = {"not_found": NOT_FOUND}

    def __init__(self, *, getter: Getter, message=None, **kwargs):
        super().__init__(**kwargs)
        self.getter = getter
        self.user = None
        if message is not None:
            self.error_messages["not_found"] = message

    def clean(self, value):
        pk = super().clean(value)
        if pk is None:
            return None
        obj = resolve(self.getter, self.user, pk) if parse_id(pk) else None
        if obj is None:
            raise ValidationError(self.error_messages["not_found"], code="not_found")
        return obj


def bind_user(form: forms.BaseForm, user) -> None:
    """Give every ``ScopedRefField`` of ``form`` the acting user."""
    for field in form.fields.values():
        if isinstance(field, ScopedRefField):
            field.user = user


def ensure_field(condition: bool, field: str, message=NOT_FOUND) -> None:
    """In a service: refuse a named object outside the actor's reach as a per-field error."""
    if not condition:
        raise ValidationError({field: message})
