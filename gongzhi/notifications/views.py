"""Pages: my notifications (htmx mark-read), preferences, and staff's delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from gongzhi.notifications import permissions, selectors, services
from gongzhi.notifications.forms import PreferencesForm
from gongzhi.notifications.models import DeliveryStatus

PAGE_SIZE = 20


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(
        selectors.notifications_for(user=request.user, unread_only=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": page,
            "unread_only": unread_only,
            "unread_total": selectors.unread_count(user=request.user),
        },
    )


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = permissions.get_notification_for(request.user, pk)
    services.mark_read(actor=request.user, notification=notification)
    if request.htmx:
        # The row, re-drawn as read, and the layout's badge swapped out of band.
        html = render_to_string(
            "notifications/_item.html", {"n": notification}, request=request
        ) + render_to_string("notifications/_badge.html", {"oob": True}, request=request)
        return HttpResponse(html)
    return redirect("notifications:list")


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(actor=request.user)
    messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect("notifications:list")


@require_GET
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = permissions.get_notification_for(request.user, pk)
    services.mark_read(actor=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    choices, email = selectors.preferences_of(user=request.user)
    form = PreferencesForm(request.POST or None, choices=choices, email=email)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_preferences(
                actor=request.user,
                choices=form.choices(),
                email=form.cleaned_data["email"] if "email" in form.fields else None,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("通知设置已保存。"))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@require_GET
@login_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    """Staff: what was sent on SMS, email and group bots, and what failed and why."""
    if not permissions.can_view_deliveries(request.user):
        raise PermissionDenied(_("您没有权限查看投递记录。"))
    status = request.GET.get("status", "")
    if status not in DeliveryStatus.values:
        status = ""
    page = Paginator(
        selectors.deliveries_for(user=request.user, status=status or None), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/deliveries.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": DeliveryStatus.choices,
        },
    )
