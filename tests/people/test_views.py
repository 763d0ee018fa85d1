"""Signing in by password (with django-axes lock-out) and by one-time SMS code."""

from __future__ import annotations

import re

import pytest

from gongzhi.people.sms import MemorySmsSender

pytestmark = pytest.mark.django_db

PASSWORD = "gongzhi-pass-123"  # tests/factories.py
IP = "10.1.2.3"


def post_login(client, phone, password, ip=IP):
    return client.post("/login/", {"username": phone, "password": password}, REMOTE_ADDR=ip)


def test_login_page_labels_the_phone_field(client):
    html = client.get("/login/").content.decode()
    assert '<label for="id_username">手机号</label>' in html
    assert 'name="username"' in html and 'inputmode="tel"' in html


def test_login_by_phone_and_password(client, cast):
    response = post_login(client, cast.resident.phone, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == cast.resident.pk


def test_login_accepts_phone_typed_with_country_code_and_spaces(client, cast):
    phone = cast.resident.phone
    typed = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    assert post_login(client, typed, PASSWORD).status_code == 302


def test_login_follows_a_safe_next_only(client, cast):
    response = client.post(
        "/login/",
        {"username": cast.resident.phone, "password": PASSWORD, "next": "https://evil.example/"},
        REMOTE_ADDR=IP,
    )
    assert response["Location"] == "/"


def test_wrong_password_says_so_in_chinese(client, cast):
    response = post_login(client, cast.resident.phone, "wrong")
    assert response.status_code == 200
    assert "手机号或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account_for_30_minutes(client, cast):
    for _ in range(4):
        assert post_login(client, cast.resident.phone, "wrong").status_code == 200
    locked = post_login(client, cast.resident.phone, "wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "账号已锁定" in html
    assert "已被锁定30分钟" in html
    # Even the right password is refused now.
    again = post_login(client, cast.resident.phone, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_out_counts_the_normalised_phone(client, cast):
    phone = cast.resident.phone
    for typed in (phone, f"+86{phone}", f"{phone[:3]} {phone[3:]}", phone, f"86{phone}"):
        response = post_login(client, typed, "wrong")
    assert response.status_code == 429


def test_logout_needs_post(client, cast):
    client.force_login(cast.resident)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# ---------------------------------------------------------------- SMS


@pytest.fixture
def outbox(settings):
    settings.SMS_SENDER = "gongzhi.people.sms.MemorySmsSender"
    MemorySmsSender.outbox.clear()
    yield MemorySmsSender.outbox
    MemorySmsSender.outbox.clear()


def request_code(client, phone, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/login/sms/", {"phone": phone}, REMOTE_ADDR=IP, follow=True)


def test_sms_login_in_two_steps(client, cast, outbox, django_capture_on_commit_callbacks):
    response = request_code(client, cast.owner.phone, django_capture_on_commit_callbacks)
    assert response.redirect_chain == [("/login/sms/?step=code", 302)]
    html = response.content.decode()
    assert "验证码已发送" in html
    assert 'autocomplete="one-time-code"' in html
    ((phone, message),) = outbox
    assert phone == cast.owner.phone
    code = re.search(r"\d{6}", message).group()

    response = client.post("/login/sms/?step=code", {"code": code}, REMOTE_ADDR=IP)
    assert response.status_code == 302 and response["Location"] == "/"
    assert int(client.session["_auth_user_id"]) == cast.owner.pk


def test_sms_for_unknown_phone_says_the_same_and_sends_nothing(
    client, cast, outbox, django_capture_on_commit_callbacks
):
    response = request_code(client, "13700000000", django_capture_on_commit_callbacks)
    assert "验证码已发送" in response.content.decode()
    assert outbox == []


def test_sms_resend_too_soon_is_throttled(client, cast, outbox, django_capture_on_commit_callbacks):
    request_code(client, cast.owner.phone, django_capture_on_commit_callbacks)
    response = request_code(client, cast.owner.phone, django_capture_on_commit_callbacks)
    assert "请60秒后再试" in response.content.decode()
    assert len(outbox) == 1


def test_sms_resend_from_a_new_session_does_not_tell_whether_the_phone_is_registered(
    client, cast, outbox, django_capture_on_commit_callbacks
):
    from django.test import Client

    request_code(client, cast.owner.phone, django_capture_on_commit_callbacks)
    request_code(client, "13700000000", django_capture_on_commit_callbacks)
    answers = []
    for phone in (cast.owner.phone, "13700000000"):
        response = request_code(Client(), phone, django_capture_on_commit_callbacks)
        answers.append(
            re.findall(r'<p class="message[^"]*">([^<]*)</p>', response.content.decode())
        )
    assert answers[0] == answers[1] == ["验证码已发送,请查看手机短信。"]
    assert len(outbox) == 1


def test_sms_wrong_code_does_not_log_in(client, cast, outbox, django_capture_on_commit_callbacks):
    request_code(client, cast.owner.phone, django_capture_on_commit_callbacks)
    code = re.search(r"\d{6}", outbox[0][1]).group()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post("/login/sms/?step=code", {"code": wrong}, REMOTE_ADDR=IP)
    assert response.status_code == 400
    assert "验证码不正确或已过期" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sms_wrong_codes_lock_out_too(client, cast, outbox, django_capture_on_commit_callbacks):
    request_code(client, cast.owner.phone, django_capture_on_commit_callbacks)
    code = re.search(r"\d{6}", outbox[0][1]).group()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        response = client.post("/login/sms/?step=code", {"code": wrong}, REMOTE_ADDR=IP)
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()


def test_sms_bad_phone_is_refused_in_chinese(client, outbox):
    response = client.post("/login/sms/", {"phone": "12345"}, REMOTE_ADDR=IP)
    assert response.status_code == 400
    assert "请输入11位中国大陆手机号码" in response.content.decode()


def test_sms_code_step_without_a_phone_starts_again(client):
    response = client.post("/login/sms/?step=code", {"code": "123456"}, REMOTE_ADDR=IP)
    assert response.status_code == 302 and response["Location"] == "/login/sms/"
