"""Login by a one-time SMS code, as an authentication backend (so django-axes counts failures)."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend

from gongzhi.people.models import Account


class SmsCodeBackend(BaseBackend):
    def authenticate(self, request, username=None, sms_code=None, **kwargs):
        if not username or not sms_code:
            return None
        from gongzhi.people.services import sms_code_verify

        if not sms_code_verify(phone=username, code=sms_code):
            return None
        try:
            account = Account.objects.get(phone=username)
        except Account.DoesNotExist:
            return None
        return account if account.is_active else None

    def get_user(self, user_id):
        try:
            return Account.objects.get(pk=user_id)
        except Account.DoesNotExist:
            return None
