"""Shared API v1 routes: API tokens (obtain, revoke) and ``me``.

A token is obtained with phone and password through django's ``authenticate(request=...)``,
so django-axes counts each failure and locks the phone number out after
AXES_FAILURE_LIMIT failures from one address, exactly as it does for the login page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.db import transaction
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from gongzhi.audit import services as audit
from gongzhi.core import capabilities
from gongzhi.core.access import grants_for
from gongzhi.core.api_permissions import ApiViewMixin, ErrorSerializer, error_responses
from gongzhi.core.text import ApiTextField
from gongzhi.people import rules as people_rules
from gongzhi.people.models import Account
from gongzhi.people.rules import EVERYTHING
from gongzhi.people.selectors import person_card
from gongzhi.people.serializers import PersonCardSerializer

AUTH_TAGS = ["auth 认证"]


class LockedOut(exceptions.APIException):
    status_code = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    default_code = "locked_out"

    def __init__(self):
        minutes = round(settings.AXES_COOLOFF_TIME * 60)
        super().__init__(
            _("登录失败次数过多,该手机号已暂时锁定,请%(minutes)d分钟后再试。")
            % {"minutes": minutes}
        )


class TokenObtainSerializer(serializers.Serializer):
    phone = ApiTextField(max_length=20, help_text="11位手机号")
    password = serializers.CharField(
        max_length=128, trim_whitespace=False, style={"input_type": "password"}
    )

    def validate_phone(self, value: str) -> str:
        phone = people_rules.normalise_mobile(value)
        if not people_rules.is_mobile(phone):
            raise serializers.ValidationError(_("请输入11位中国大陆手机号码。"))
        return phone


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="请求头写 Authorization: Token <token>")


# Token writes. They belong in people.services (account_token_issue/revoke), which is not
# ours to edit in this change; they audit like every service does.
@transaction.atomic
def _token_issue(*, account: Account) -> Token:
    token, created = Token.objects.get_or_create(user=account)
    if created:
        audit.record(actor=account, action="account.token_issue", obj=account)
    return token


@transaction.atomic
def _token_revoke(*, account: Account) -> None:
    deleted, _per_model = Token.objects.filter(user=account).delete()
    if deleted:
        audit.record(actor=account, action="account.token_revoke", obj=account)


@extend_schema_view(
    post=extend_schema(
        operation_id="auth_token_create",
        summary="取得令牌",
        description=(
            "用手机号和密码取得 API 令牌(每个账号一个,已有则返回原令牌)。"
            "连续失败达到上限后该手机号被暂时锁定(429)。"
        ),
        tags=AUTH_TAGS,
        request=TokenObtainSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="手机号或密码不正确。"),
            429: OpenApiResponse(ErrorSerializer, description="失败次数过多,已暂时锁定。"),
        },
        auth=[],
    ),
    delete=extend_schema(
        operation_id="auth_token_destroy",
        summary="吊销令牌",
        description="吊销当前账号的 API 令牌(会话登录也可)。",
        tags=AUTH_TAGS,
        request=None,
        responses={204: None, **error_responses()},
    ),
)
class TokenView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = TokenSerializer

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    def post(self, request, *args, **kwargs):
        data = TokenObtainSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account = authenticate(
            request=request,
            username=data.validated_data["phone"],
            password=data.validated_data["password"],
        )
        if account is None:
            # Axes marks the request it was given when this failure reached the limit,
            # or when the phone number was already locked out.
            if getattr(request, "axes_locked_out", False):
                raise LockedOut()
            raise serializers.ValidationError({"detail": _("手机号或密码不正确。")})
        # A token is a login: axes resets the failures, last_login is stamped.
        user_logged_in.send(sender=type(account), request=request, user=account)
        token = _token_issue(account=account)
        return Response(TokenSerializer({"token": token.key}).data)

    def delete(self, request, *args, **kwargs):
        _token_revoke(account=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField()

    class Meta:
        model = Account
        fields = ["id", "phone", "display_name", "is_staff", "is_superuser"]
        read_only_fields = fields


class CapabilityListField(serializers.ListField):
    """Capability names, from every app's declarations (read when the field is made, so
    after the apps' ``ready``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.ChoiceField(choices=sorted(capabilities.known())))
        super().__init__(**kwargs)

    def to_representation(self, data):
        return sorted(str(c) for c in data)


class GrantSerializer(serializers.Serializer):
    """授权: capabilities over a node of the place tree (core.access.Grant)."""

    path = serializers.CharField(help_text="地点路径;其下所有地点均在范围内")
    capabilities = CapabilityListField()
    source = serializers.CharField(help_text="来源,如 “一社区居委会 · 社区工作者”")
    kind = serializers.CharField(help_text="组织类型,或 resident / owner")
    post = serializers.CharField(help_text="职务(若由任职而来)")


class MeSerializer(serializers.Serializer):
    account = AccountSerializer()
    person = PersonCardSerializer(allow_null=True, help_text="本人信息,联系方式不隐去")
    grants = GrantSerializer(many=True)


@extend_schema_view(
    get=extend_schema(
        operation_id="me_retrieve",
        summary="当前账号",
        description="当前账号、本人信息(联系方式不隐去)及其全部授权。",
        tags=AUTH_TAGS,
        responses={200: MeSerializer, **error_responses()},
    )
)
class MeView(ApiViewMixin, generics.GenericAPIView):
    serializer_class = MeSerializer

    def get(self, request, *args, **kwargs):
        account = request.user
        # One's own data in full (PIPL art. 45: a person may see what is held about them).
        person = person_card(account.person, reveal=EVERYTHING) if account.person_id else None
        me = {"account": account, "person": person, "grants": grants_for(account)}
        return Response(MeSerializer(me).data)


app_name = "core"

urlpatterns = [
    path("auth/token", TokenView.as_view(), name="auth-token"),
    path("me", MeView.as_view(), name="me"),
]
