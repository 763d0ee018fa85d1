"""Signing in and out: phone and password, or a one-time SMS code in two steps.

Both ways go through ``authenticate(request, ...)``, so django-axes counts failures and
locks a phone number out (people/locked_out.html) after AXES_FAILURE_LIMIT of them.
"""

from __future__ import annotations

import contextlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from gongzhi.core.ratelimit import RateLimited, client_address
from gongzhi.people import rules, services
from gongzhi.people.forms import PhoneLoginForm, SmsCodeForm, SmsPhoneForm

SMS_PHONE_SESSION_KEY = "people.sms_login_phone"
SMS_SENT_SESSION_KEY = "people.sms_login_sent"


def _lockout_context() -> dict:
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }


class LoginView(auth_views.LoginView):
    """/login/: phone and password."""

    form_class = PhoneLoginForm
    template_name = "people/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **_lockout_context()}


class LogoutView(auth_views.LogoutView):
    """/logout/ (POST only, as Django requires)."""


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _code_step_url(request: HttpRequest) -> str:
    url = reverse("people:login_sms") + "?step=code"
    nxt = request.POST.get("next") or request.GET.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        url += "&" + urlencode({"next": nxt})
    return url


def _send_code(request: HttpRequest, phone: str) -> None:
    """Ask for a code. The page says the same whether or not the number has an account.

    The resend throttle shown to the visitor is kept in their own session. The service's
    own throttle (SmsTooSoon) fires only for numbers that have an account, so showing it
    would tell a stranger which numbers are registered; it is answered like a send.
    """
    now = time.time()
    last = request.session.get(SMS_SENT_SESSION_KEY) or {}
    if last.get("phone") == phone and now - last.get("at", 0) < services.SMS_RESEND_SECONDS:
        messages.warning(
            request,
            _("验证码已发送,请%(seconds)s秒后再试。") % {"seconds": services.SMS_RESEND_SECONDS},
        )
    else:
        # A code sent less than a minute ago is still valid: nothing more to send.
        with contextlib.suppress(services.SmsTooSoon):
            services.sms_code_request(phone=phone, address=client_address(request))
        request.session[SMS_SENT_SESSION_KEY] = {"phone": phone, "at": now}
        messages.success(request, _("验证码已发送,请查看手机短信。"))
    request.session[SMS_PHONE_SESSION_KEY] = phone


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_sms(request: HttpRequest) -> HttpResponse:
    """/login/sms/: step 1 takes a phone number and sends a code; step 2 takes the code."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    phone = request.session.get(SMS_PHONE_SESSION_KEY, "")
    step = "code" if phone and request.GET.get("step") == "code" else "phone"
    phone_form = SmsPhoneForm(initial={"phone": phone})
    code_form = SmsCodeForm()
    status = 200

    if request.method == "POST" and "phone" in request.POST:
        phone_form = SmsPhoneForm(request.POST)
        step, status = "phone", 400
        if phone_form.is_valid():
            try:
                _send_code(request, phone_form.cleaned_data["phone"])
            except ValidationError as exc:
                phone_form.add_error("phone", exc)
            except RateLimited as exc:
                phone_form.add_error(None, exc.message)
                status = 429
            else:
                return redirect(_code_step_url(request))
    elif request.method == "POST" and phone:
        step = "code"
        code_form = SmsCodeForm(request.POST)
        if code_form.is_valid():
            user = authenticate(request, username=phone, sms_code=code_form.cleaned_data["code"])
            if user is not None:
                request.session.pop(SMS_PHONE_SESSION_KEY, None)
                request.session.pop(SMS_SENT_SESSION_KEY, None)
                login(request, user)
                return redirect(_next_url(request))
            code_form.add_error("code", _("验证码不正确或已过期,请重新输入或重新获取。"))
        status = 400
    elif request.method == "POST":  # the session lost the phone number: start again
        messages.warning(request, _("请先输入手机号获取验证码。"))
        return redirect("people:login_sms")

    return render(
        request,
        "people/login_sms.html",
        {
            "step": step,
            "phone_form": phone_form,
            "code_form": code_form,
            "masked_phone": rules.mask_phone(phone),
            "phone": phone,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "resend_seconds": services.SMS_RESEND_SECONDS,
            **_lockout_context(),
        },
        status=status,
    )
