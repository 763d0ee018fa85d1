"""What every voting view shares: calling a service and turning refusals into messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _


def call(request, fn, *, success: str = "", **kwargs):
    """Run a service as the request's user. A ValidationError becomes error messages
    (nothing changed: the service's transaction rolled back); returns None then."""
    try:
        result = fn(actor=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(
                request,
                _("%(label)s：%(error)s") % {"label": label, "error": error} if label else error,
            )


def verify_url(request, assembly) -> str:
    return request.build_absolute_uri(reverse("voting:verify", args=[assembly.public_code]))
