"""The notice board pages: parse, call one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongzhi.notices import permissions, selectors, services
from gongzhi.notices.forms import NoticeForm
from gongzhi.notices.models import NoticeKind
from gongzhi.places.permissions import get_compound_for


@login_required
def board(request, pk: int):
    compound = get_compound_for(request.user, pk)
    kind = request.GET.get("kind", "")
    if kind not in NoticeKind.values:
        kind = ""
    return render(
        request,
        "notices/board.html",
        {
            "compound": compound,
            "notices": selectors.board_for(request.user, compound, kind=kind)[:200],
            "kinds": NoticeKind.choices,
            "kind": kind,
            "can_post": permissions.can_post_notice(request.user, compound),
        },
    )


@login_required
def notice_new(request, pk: int):
    compound = get_compound_for(request.user, pk)
    if not permissions.can_post_notice(request.user, compound):
        raise PermissionDenied(_("您没有在本小区发布公示的权限。"))
    form = NoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_post(
                actor=request.user, compound=compound, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("公示已发布。"))
            return redirect("notices:detail", pk=notice.pk)
    return render(request, "notices/form.html", {"compound": compound, "form": form})


@login_required
def detail(request, pk: int):
    notice = permissions.get_notice_for(request.user, pk)
    return render(request, "notices/detail.html", {"notice": notice, "compound": notice.compound})


@login_required
def attachment(request, pk: int):
    notice = permissions.get_notice_for(request.user, pk)
    if not notice.attachment:
        raise Http404
    return FileResponse(notice.attachment.open("rb"), filename=notice.attachment_filename)
