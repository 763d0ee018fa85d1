"""SMS codes are limited per client address as well as per number (issue 8): one address
asking for codes for many phones is refused past RATE_SMS_CODE_ADDRESS."""

from __future__ import annotations

import pytest

from gongzhi.core.ratelimit import RateLimited
from gongzhi.people import services
from gongzhi.people.models import SmsCode
from gongzhi.people.sms import MemorySmsSender

LIMIT = 3


@pytest.fixture(autouse=True)
def rate(settings, db):
    settings.RATE_SMS_CODE_ADDRESS = (LIMIT, 3600)
    settings.SMS_SENDER = "gongzhi.people.sms.MemorySmsSender"
    MemorySmsSender.outbox.clear()
    yield
    MemorySmsSender.outbox.clear()


def phone(n: int) -> str:
    return f"1391234{n:04d}"


def test_service_allows_the_nth_address_request_and_refuses_the_next():
    for n in range(LIMIT):
        services.sms_code_request(phone=phone(n), address="203.0.113.7")
    with pytest.raises(RateLimited) as refused:
        services.sms_code_request(phone=phone(LIMIT), address="203.0.113.7")
    assert refused.value.message.startswith("从您所在的网络获取验证码的次数太多,请 ")
    assert SmsCode.objects.count() == LIMIT  # refused before any row is written
    services.sms_code_request(phone=phone(LIMIT), address="198.51.100.1")


def test_page_refuses_past_the_limit_with_429_whatever_the_numbers(client):
    for n in range(LIMIT):
        response = client.post("/login/sms/", {"phone": phone(n)}, REMOTE_ADDR="203.0.113.8")
        assert response.status_code == 302
        client.session.flush()
    refused = client.post("/login/sms/", {"phone": phone(LIMIT)}, REMOTE_ADDR="203.0.113.8")
    assert refused.status_code == 429
    assert "获取验证码的次数太多" in refused.content.decode()
    assert SmsCode.objects.filter(phone=phone(LIMIT)).count() == 0
    other = client.post("/login/sms/", {"phone": phone(LIMIT)}, REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 302
