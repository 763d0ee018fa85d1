"""Login by a one-time SMS code, as an authentication backend (so django-axes counts
failures), and the API's token authentication."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from gongzhi.core import sql
from gongzhi.people.models import Account, Person


def _account_with_person(user_id):
    """The session's account with its person: one small statement (as the token's below;
    every page pays it, and compiling ``select_related("person").get(pk=…)`` cost more
    than running it). None for an id that names no account."""
    try:
        pk = int(user_id)
    except (ValueError, TypeError):
        return None
    if not -(2**63) <= pk < 2**63:
        return None
    found = sql.rows(_account_by_id_sql(), [pk])
    if not found:
        return None
    return _account_from_row(found[0])


def _account_from_row(row):
    width = len(Account._meta.concrete_fields)
    account = sql.from_row(Account, row[:width])
    if account.person_id is not None:
        account.person = sql.from_row(Person, row[width:])
    return account


def _account_by_id_sql() -> str:
    def build(q):
        return (
            f"SELECT {sql.columns(Account, 'a', q)}, {sql.columns(Person, 'p', q)}"
            f" FROM {q(Account._meta.db_table)} a"
            f" LEFT JOIN {q(Person._meta.db_table)} p ON p.{q('id')} = a.{q('person_id')}"
            f" WHERE a.{q('id')} = %s"
        )

    return sql.statement("account_by_id", build)


class PasswordBackend(ModelBackend):
    """Django's password login; the signed-in account is read with its person in one
    query (every page names the person in its header and every write in the audit log)."""

    def get_user(self, user_id):
        account = _account_with_person(user_id)
        return account if account is not None and self.user_can_authenticate(account) else None


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
        account = _account_with_person(user_id)
        return account if account is not None and account.is_active else None


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's ``Authorization: Token <key>``, with the account and its person read by one
    small SQL statement instead of a compiled ORM query (every API request pays it;
    compiling ``select_related("user").get(key=...)`` cost more than running it, and every
    write names its actor in the audit log, which reads the person). Same answers as DRF's
    own class, with its Chinese wording as our messages; ``request.auth`` is the key."""

    def authenticate_credentials(self, key):
        found = sql.rows(_account_by_token_sql(), [key])
        if not found:
            raise exceptions.AuthenticationFailed(_("认证令牌无效。"))
        account = _account_from_row(found[0])
        if not account.is_active:
            raise exceptions.AuthenticationFailed(_("用户未激活或者已删除。"))
        return account, key


def _account_by_token_sql() -> str:
    def build(q):
        return (
            f"SELECT {sql.columns(Account, 'a', q)}, {sql.columns(Person, 'p', q)}"
            f" FROM {q(Account._meta.db_table)} a"
            f" JOIN {q(Token._meta.db_table)} t ON t.{q('user_id')} = a.{q('id')}"
            f" LEFT JOIN {q(Person._meta.db_table)} p ON p.{q('id')} = a.{q('person_id')}"
            f" WHERE t.{q('key')} = %s"
        )

    return sql.statement("account_by_token", build)
