"""API authentication: tokens (obtained through django-axes), sessions, and ``me``."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongzhi.audit.models import AuditEvent

PASSWORD = "gongzhi-pass-123"  # tests.factories.AccountFactory
TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/me"


def obtain(phone, password=PASSWORD, client=None):
    return (client or APIClient()).post(
        TOKEN_URL, {"phone": phone, "password": password}, format="json"
    )


def token_client(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_token_from_phone_and_password_authenticates_api_calls(cast):
    response = obtain(cast.clerk.phone)
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=cast.clerk).key == key

    me = token_client(key).get(ME_URL)
    assert me.status_code == 200
    assert me.json()["account"]["id"] == cast.clerk.pk


def test_phone_may_carry_spaces_and_country_code(cast):
    phone = cast.clerk.phone
    assert obtain(f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}").status_code == 200


def test_second_obtain_returns_the_same_token_and_audits_once(cast):
    first = obtain(cast.clerk.phone).json()["token"]
    assert obtain(cast.clerk.phone).json()["token"] == first
    events = AuditEvent.objects.filter(action="account.token_issue", object_id=str(cast.clerk.pk))
    assert events.count() == 1
    assert first not in events.get().object_repr


def test_wrong_password_is_400_in_chinese_and_issues_nothing(cast):
    response = obtain(cast.clerk.phone, "wrong-password")
    assert response.status_code == 400
    assert response.json() == {"detail": "手机号或密码不正确。"}
    assert not Token.objects.exists()


def test_unknown_phone_gets_the_same_answer_as_a_wrong_password(cast):
    response = obtain("13800000000")
    assert response.status_code == 400
    assert response.json() == {"detail": "手机号或密码不正确。"}


def test_missing_and_malformed_fields_are_400_in_chinese(db):
    response = APIClient().post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"phone": ["该字段是必填项。"], "password": ["该字段是必填项。"]}
    response = obtain("12345")
    assert response.json() == {"phone": ["请输入11位中国大陆手机号码。"]}


def test_inactive_account_gets_no_token(cast):
    cast.clerk.is_active = False
    cast.clerk.save()
    assert obtain(cast.clerk.phone).status_code == 400


def test_fifth_failure_locks_the_phone_out_even_for_the_right_password(cast):
    for _ in range(4):
        assert obtain(cast.clerk.phone, "wrong").status_code == 400
    fifth = obtain(cast.clerk.phone, "wrong")
    assert fifth.status_code == 429
    assert "锁定" in fifth.json()["detail"]

    locked = obtain(cast.clerk.phone)
    assert locked.status_code == 429
    assert "token" not in locked.json()
    assert not Token.objects.exists()


def test_lockout_counts_the_phone_however_it_is_written(cast):
    phone = cast.clerk.phone
    for written in (phone, f"+86{phone}", f"{phone[:3]} {phone[3:]}", f"86{phone}"):
        assert obtain(written, "wrong").status_code == 400
    assert obtain(f"{phone[:3]}-{phone[3:]}", "wrong").status_code == 429


def test_lockout_of_one_phone_leaves_others_alone(cast):
    for _ in range(5):
        obtain(cast.clerk.phone, "wrong")
    assert obtain(cast.secretary.phone).status_code == 200


def test_success_resets_the_failure_count(cast):
    for _ in range(4):
        obtain(cast.clerk.phone, "wrong")
    assert obtain(cast.clerk.phone).status_code == 200
    for _ in range(4):
        assert obtain(cast.clerk.phone, "wrong").status_code == 400


def test_obtaining_a_token_stamps_last_login(cast):
    assert cast.clerk.last_login is None
    obtain(cast.clerk.phone)
    cast.clerk.refresh_from_db()
    assert cast.clerk.last_login is not None


def test_revoked_token_no_longer_works(cast):
    key = obtain(cast.clerk.phone).json()["token"]
    client = token_client(key)
    assert client.delete(TOKEN_URL).status_code == 204
    assert not Token.objects.filter(user=cast.clerk).exists()
    assert AuditEvent.objects.filter(action="account.token_revoke").count() == 1

    response = client.get(ME_URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "认证令牌无效。"}


def test_session_may_revoke_its_accounts_token(cast, api):
    obtain(cast.clerk.phone)
    assert api(cast.clerk).delete(TOKEN_URL).status_code == 204
    assert not Token.objects.exists()


def test_session_login_authenticates_api_calls(cast, api):
    response = api(cast.secretary).get(ME_URL)
    assert response.status_code == 200
    assert response.json()["account"]["id"] == cast.secretary.pk


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", ME_URL),
        ("delete", TOKEN_URL),
        ("get", "/api/v1/compounds"),
        ("get", "/api/v1/compounds/1/residents"),
        ("post", "/api/v1/bodies/1/memberships"),
    ],
)
def test_anonymous_request_is_refused_in_chinese(db, method, url):
    response = getattr(APIClient(), method)(url)
    # Token authentication comes first: a script without credentials is told how to log in.
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert response.json() == {"detail": "身份认证信息未提供。"}


def test_unknown_api_version_is_404_in_chinese(cast, api):
    response = api(cast.clerk).get("/api/v9/me")
    assert response.status_code == 404
    assert response.json() == {"detail": "URL路径包含无效版本。"}


def test_me_shows_own_contacts_unmasked_and_every_grant(cast, api):
    body = api(cast.clerk).get(ME_URL).json()
    person = cast.clerk.person
    assert body["account"] == {
        "id": cast.clerk.pk,
        "phone": cast.clerk.phone,
        "display_name": person.name,
        "is_staff": False,
        "is_superuser": False,
    }
    assert body["person"]["phone"] == person.phone
    assert body["person"]["masked"] is False
    assert body["grants"] == [
        {
            "path": cast.a.path,
            "capabilities": sorted(["place.view", "roster.view", "people.phone", "demands.handle"]),
            "source": "甲物业 · 物业管家",
            "kind": "property_company",
            "post": "clerk",
        }
    ]


def test_me_of_a_resident_shows_the_residence_grant(cast, api):
    grants = api(cast.resident).get(ME_URL).json()["grants"]
    assert [(g["path"], g["kind"], g["source"]) for g in grants] == [
        (cast.a.path, "resident", "甲小区 · 居民")
    ]


def test_me_of_an_account_without_person(db, api):
    from gongzhi.people.models import Account

    account = Account.objects.create_user("13700000000", PASSWORD)
    body = api(account).get(ME_URL).json()
    assert body["person"] is None
    assert body["grants"] == []


def test_token_authentication_answers_as_drfs_own(cast, django_assert_num_queries):
    """gongzhi.people.auth.TokenAuthentication reads the account with one statement and
    gives the same user and the same refusals (in Chinese) as DRF's class."""
    from rest_framework import authentication, exceptions

    from gongzhi.people.auth import TokenAuthentication

    ours, drf = TokenAuthentication(), authentication.TokenAuthentication()
    key = Token.objects.create(user=cast.clerk).key
    with django_assert_num_queries(1):  # the account with its person, for the audit log
        account, auth = ours.authenticate_credentials(key)
        assert account.person.name == cast.clerk.person.name
    assert account == drf.authenticate_credentials(key)[0] == cast.clerk and auth == key
    assert account.person == cast.clerk.person and account.person.created_at is not None
    assert account.person_id == cast.clerk.person_id and account.is_active
    for bad in ("0" * 40, key[:-1]):
        with pytest.raises(exceptions.AuthenticationFailed) as refused:
            ours.authenticate_credentials(bad)
        assert str(refused.value.detail) == "认证令牌无效。"
    cast.clerk.is_active = False
    cast.clerk.save(update_fields=["is_active"])
    with pytest.raises(exceptions.AuthenticationFailed) as refused:
        ours.authenticate_credentials(key)
    assert str(refused.value.detail) == "用户未激活或者已删除。"
    assert token_client(key).get(ME_URL).status_code == 401


def test_token_of_an_account_without_a_person(db):
    from gongzhi.people.auth import TokenAuthentication
    from gongzhi.people.models import Account

    account = Account.objects.create_user(phone="13900000001", password=PASSWORD)
    key = Token.objects.create(user=account).key
    found, _ = TokenAuthentication().authenticate_credentials(key)
    assert found == account and found.person_id is None and found.person is None


def test_session_account_is_read_as_the_orm_reads_it(cast, django_assert_num_queries):
    """A session's account (people.auth.PasswordBackend.get_user) is one statement with
    its person, the same fields as the ORM's ``select_related("person")``; an id naming
    nothing (or no id at all) is no user, and an inactive account none either."""
    from gongzhi.people.auth import PasswordBackend
    from gongzhi.people.models import Account

    backend = PasswordBackend()
    orm = Account.objects.select_related("person").get(pk=cast.clerk.pk)
    with django_assert_num_queries(1):
        account = backend.get_user(str(cast.clerk.pk))
        assert account.person.name == orm.person.name
    fields = [f.attname for f in Account._meta.concrete_fields]
    assert [getattr(account, f) for f in fields] == [getattr(orm, f) for f in fields]
    person_fields = [f.attname for f in type(orm.person)._meta.concrete_fields]
    assert [getattr(account.person, f) for f in person_fields] == [
        getattr(orm.person, f) for f in person_fields
    ]
    for missing in ("999999999", "abc", None, str(2**63)):
        assert backend.get_user(missing) is None
    alone = Account.objects.create_user(phone="13900000002", password=PASSWORD)
    assert backend.get_user(alone.pk).person is None
    cast.clerk.is_active = False
    cast.clerk.save(update_fields=["is_active"])
    assert backend.get_user(cast.clerk.pk) is None
