"""A body's page: who holds which post, for which term and over which place; and, for
those who manage its members, appointing and ending memberships; for those who may found
a body there, dissolving it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongzhi.bodies import services
from gongzhi.bodies.forms import AppointForm, DissolveForm, EndMembershipForm
from gongzhi.bodies.models import Body, Membership, Post
from gongzhi.bodies.permissions import can_dissolve, can_manage_members, get_body_for
from gongzhi.bodies.selectors import body_with_members, central_links
from gongzhi.core.access import ensure
from gongzhi.people.permissions import can_view_roster
from gongzhi.places.selectors import place_names


def _render(
    request: HttpRequest,
    body: Body,
    *,
    appoint_form: AppointForm | None = None,
    end_errors: dict | None = None,
    dissolve_form: DissolveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    body = body_with_members(body.pk)
    rank = {post: i for i, post in enumerate(Post.values)}
    members = sorted(body.current_memberships, key=lambda m: (rank.get(m.post, 99), m.start, m.pk))
    names = place_names([body.place_path, *(m.scope_path for m in members)])
    links = central_links(members)
    current = body.is_current()
    manage = can_manage_members(user, body) and current
    if manage and appoint_form is None:
        appoint_form = AppointForm(body=body, user=request.user)
    # Offered while the body stands; shown again with the refusal when a second try failed.
    dissolve = can_dissolve(user, body) and (body.dissolved_on is None or dissolve_form is not None)
    if dissolve and dissolve_form is None:
        dissolve_form = DissolveForm()
    return render(
        request,
        "bodies/body_detail.html",
        {
            "body": body,
            "place_name": names.get(body.place_path, ""),
            "members": [
                {
                    "membership": m,
                    "scope": names.get(m.scope_path, ""),
                    "whole": m.scope_path == body.place_path,
                    "links": links.get(m.pk, []),
                    "end_errors": (end_errors or {}).get(m.pk, []),
                }
                for m in members
            ],
            "can_manage": manage,
            "show_linked": can_view_roster(user, body.place_path),
            "appoint_form": appoint_form,
            "current": current,
            "dissolve_form": dissolve_form if dissolve else None,
        },
        status=status,
    )


_NEWCOMER_FIELDS = {"name": "new_name", "phone": "new_phone", "id_number": "new_id_number"}


def _add_service_errors(form, exc: ValidationError) -> None:
    """The service's per-field refusals, on the form's fields where they have one."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        name = _NEWCOMER_FIELDS.get(field, field)
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


@login_required
@require_GET
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, get_body_for(request.user, pk))


@login_required
@require_POST
def member_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_body_for(request.user, pk)
    ensure(can_manage_members(request.user, body))
    form = AppointForm(request.POST, body=body, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.membership_appoint(
                actor=request.user,
                body=body,
                person=data["person"],
                newcomer=data.get("newcomer"),
                post=data["post"],
                scope=data.get("scope"),
                start=data["start"],
                end=data.get("end"),
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已任命 %(name)s 为%(post)s。")
                % {"name": membership.person.name, "post": membership.get_post_display()},
            )
            return redirect("bodies:body_detail", pk=body.pk)
    return _render(request, body, appoint_form=form, status=400)


@login_required
@require_POST
def member_end(request: HttpRequest, pk: int, mpk: int) -> HttpResponse:
    body = get_body_for(request.user, pk)
    ensure(can_manage_members(request.user, body))
    membership = get_object_or_404(
        Membership.objects.select_related("body", "person"), pk=mpk, body=body
    )
    form = EndMembershipForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            services.membership_end(
                actor=request.user, membership=membership, end=form.cleaned_data.get("end")
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("%(name)s 的%(post)s任职已结束。")
                % {"name": membership.person.name, "post": membership.get_post_display()},
            )
            return redirect("bodies:body_detail", pk=body.pk)
    else:
        errors = [m for field_errors in form.errors.values() for m in field_errors]
    return _render(request, body, end_errors={membership.pk: errors}, status=400)


@login_required
@require_POST
def body_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    body = get_body_for(request.user, pk)
    ensure(can_dissolve(request.user, body))
    form = DissolveForm(request.POST)
    if form.is_valid():
        try:
            services.body_dissolve(
                actor=request.user,
                body=body,
                on=form.cleaned_data.get("on"),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s 已撤销。") % {"name": body.name})
            return redirect("bodies:body_detail", pk=body.pk)
    return _render(request, body, dissolve_form=form, status=400)
