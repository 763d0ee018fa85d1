"""Filing is rate limited per account and per client address, on the pages, the API and
Open311 (issue 8: 4 accounts filed 1,626 demands in 20 s), counted in the cache with no
database query added to a filing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongzhi.demands.models import Demand

LIMIT = 3


@pytest.fixture(autouse=True)
def rates(settings):
    settings.RATE_DEMAND_FILE_ACCOUNT = (LIMIT, 3600)
    settings.RATE_DEMAND_FILE_STAFF = (LIMIT + 2, 3600)
    settings.RATE_DEMAND_FILE_ADDRESS = (LIMIT * 2, 3600)


def api_for(account, address="203.0.113.7") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.force_authenticate(account)
    return client


def file_api(client, cast, repair, **extra):
    data = {"compound": cast.a.pk, "category": repair.pk, "description": "1号楼电梯坏了",
            "place_kind": "common", **extra}  # fmt: skip
    return client.post("/api/v1/demands", data, format="json")


def test_api_files_the_nth_and_refuses_the_next_with_429(cast, repair):
    client = api_for(cast.resident)
    for _ in range(LIMIT):
        assert file_api(client, cast, repair).status_code == 201
    refused = file_api(client, cast, repair)
    assert refused.status_code == 429
    detail = refused.json()["detail"]
    assert detail.startswith("提交太频繁:每 1 小时 最多提交 3 件,请 ") and detail.endswith(
        "后再试。"
    )
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Demand.objects.count() == LIMIT


def test_another_account_is_not_held_back_by_the_first(cast, repair):
    for _ in range(LIMIT + 1):
        file_api(api_for(cast.resident), cast, repair)
    assert file_api(api_for(cast.owner), cast, repair).status_code == 201


def test_a_filing_refused_for_its_content_does_not_count(cast, repair):
    client = api_for(cast.resident)
    for _ in range(LIMIT + 2):
        assert file_api(client, cast, repair, description="").status_code == 400
    for _ in range(LIMIT):
        assert file_api(client, cast, repair).status_code == 201


def test_one_address_is_limited_across_accounts(cast, repair, settings):
    settings.RATE_DEMAND_FILE_ADDRESS = (LIMIT + 1, 3600)
    for _ in range(LIMIT):
        assert file_api(api_for(cast.resident), cast, repair).status_code == 201
    assert file_api(api_for(cast.owner), cast, repair).status_code == 201  # the address's last
    refused = file_api(api_for(cast.owner), cast, repair)
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("从您所在的网络提交的诉求太多")
    other_address = api_for(cast.owner, address="198.51.100.1")
    assert file_api(other_address, cast, repair).status_code == 201  # the refusal cost nothing


def test_staff_filing_on_behalf_have_their_own_rate(cast, repair):
    client = api_for(cast.clerk, address="198.51.100.2")
    for _ in range(LIMIT + 2):
        assert file_api(client, cast, repair, channel="phone").status_code == 201
    assert file_api(client, cast, repair, channel="phone").status_code == 429


def test_a_filing_adds_no_database_query(cast, repair, settings):
    """The limits are counted in the cache: a filing with them costs the queries of one
    without them."""

    def queries_of_one_filing() -> int:
        client = api_for(cast.resident, address="192.0.2.77")
        file_api(client, cast, repair)  # warm: the token, grants, first-time caches
        with CaptureQueriesContext(connection) as queries:
            assert file_api(client, cast, repair).status_code == 201
        return len(queries)

    limited = queries_of_one_filing()
    Demand.objects.all().delete()
    settings.RATE_DEMAND_FILE_ACCOUNT = None
    settings.RATE_DEMAND_FILE_ADDRESS = None
    assert queries_of_one_filing() == limited


def test_the_page_keeps_what_was_typed_and_answers_429(client, cast, repair):
    client.force_login(cast.resident)
    url = f"/demands/new/?compound={cast.a.pk}"
    data = {"category": repair.pk, "description": "楼道灯不亮", "place_kind": "common"}
    for _ in range(LIMIT):
        assert client.post(url, data, REMOTE_ADDR="203.0.113.9").status_code == 302
    refused = client.post(url, {**data, "description": "第四件诉求"}, REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "提交太频繁" in page and "第四件诉求" in page
    assert Demand.objects.count() == LIMIT


def test_open311_answers_429_in_its_own_format(client, cast, repair):
    key = Token.objects.get_or_create(user=cast.resident)[0].key
    data = {"api_key": key, "jurisdiction_id": str(cast.a.pk), "service_code": str(repair.pk),
            "address_string": "2号楼东侧", "description": "外墙瓷砖脱落"}  # fmt: skip
    for _ in range(LIMIT):
        assert client.post("/open311/v2/requests.json", data).status_code == 201
    refused = client.post("/open311/v2/requests.json", data)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    [error] = refused.json()
    assert error["code"] == 429 and error["description"].startswith("提交太频繁")
