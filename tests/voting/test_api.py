"""The voting API under /api/v1/: casting ballots, duplicates, scoping, results, receipts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gongzhi.voting import services
from gongzhi.voting.models import Assembly, Ballot
from tests.factories import OwnershipFactory
from tests.voting.helpers import after_close


@pytest.fixture
def api():
    return APIClient()


def _as(api, user):
    api.force_authenticate(user)
    return api


def test_owner_casts_a_ballot_over_the_api_with_a_token(api, cast, open_a):
    question = open_a.questions.get()
    token = Token.objects.create(user=cast.owner)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(
        f"/api/v1/assemblies/{open_a.pk}/ballots/",
        {"question": question.pk, "choice": "agree"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["receipt"] == Ballot.objects.get().receipt
    assert response.json()["channel"] == "online"


def test_duplicate_ballot_is_409_and_nothing_changes(api, cast, open_a):
    question = open_a.questions.get()
    _as(api, cast.owner)
    url = f"/api/v1/assemblies/{open_a.pk}/ballots/"
    assert (
        api.post(url, {"question": question.pk, "choice": "agree"}, format="json").status_code
        == 201
    )
    response = api.post(url, {"question": question.pk, "choice": "oppose"}, format="json")
    assert response.status_code == 409
    assert "不能更改" in response.json()["detail"]
    assert Ballot.objects.get().choice == "agree"


def test_invalid_choice_is_400_in_chinese(api, cast, open_a):
    question = open_a.questions.get()
    response = _as(api, cast.owner).post(
        f"/api/v1/assemblies/{open_a.pk}/ballots/", {"question": question.pk}, format="json"
    )
    assert response.status_code == 400
    assert "请选择" in str(response.json())
    assert not Ballot.objects.exists()


def test_scoping_404_for_other_compounds_and_403_off_the_roll(api, cast, open_a):
    question = open_a.questions.get()
    url = f"/api/v1/assemblies/{open_a.pk}/ballots/"
    body = {"question": question.pk, "choice": "agree"}
    assert _as(api, cast.clerk_b).post(url, body, format="json").status_code == 404
    OwnershipFactory(room=cast.room_b, person=cast.outsider.person)
    assert _as(api, cast.outsider).post(url, body, format="json").status_code == 404
    assert _as(api, cast.resident).post(url, body, format="json").status_code == 403
    assert _as(api, cast.clerk_b).get(f"/api/v1/assemblies/{open_a.pk}/").status_code == 404
    assert api.get(f"/api/v1/compounds/{cast.a.pk}/assemblies/").status_code == 404
    assert not Ballot.objects.exists()


def test_anonymous_gets_401_or_403(api, open_a):
    assert api.get(f"/api/v1/assemblies/{open_a.pk}/").status_code == 401


def test_voting_outside_the_window_is_400(api, cast, open_a):
    Assembly.objects.filter(pk=open_a.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    response = _as(api, cast.owner).post(
        f"/api/v1/assemblies/{open_a.pk}/ballots/",
        {"question": open_a.questions.get().pk, "choice": "agree"},
        format="json",
    )
    assert response.status_code == 400 and "截止" in str(response.json())


def test_lists_detail_my_entry_and_participation(api, cast, open_a):
    _as(api, cast.owner)
    listed = api.get("/api/v1/assemblies/", {"state": "open"}).json()
    assert [a["id"] for a in listed["results"]] == [open_a.pk]
    detail = api.get(f"/api/v1/assemblies/{open_a.pk}/").json()
    assert detail["questions"][0]["matter"] == "use_maintenance_fund"
    mine = api.get(f"/api/v1/assemblies/{open_a.pk}/roll/me").json()
    assert (mine["area"], mine["heads"]) == ("89.57", 1)
    services.ballot_cast(actor=cast.owner, question=open_a.questions.get(), choice="abstain")
    meter = api.get(f"/api/v1/assemblies/{open_a.pk}/participation").json()
    assert meter["overall"]["participating"] == {"area": "89.57", "heads": 1}
    assert meter["overall"]["quorum_met"] is True
    assert _as(api, cast.resident).get(f"/api/v1/assemblies/{open_a.pk}/roll/me").status_code == 404
    mine = _as(api, cast.owner).get(f"/api/v1/assemblies/{open_a.pk}/ballots/").json()
    assert mine[0]["choice"] == "abstain"


def test_transitions_need_manage_votes(api, cast, staff, open_a):
    url = f"/api/v1/assemblies/{open_a.pk}/transitions"
    assert _as(api, cast.owner).post(url, {"to": "closed"}, format="json").status_code == 403
    response = _as(api, staff[0]).post(url, {"to": "closed"}, format="json")
    assert response.status_code == 400 and "不能提前结束表决" in str(response.json())


def test_result_and_public_receipt_check_without_login(api, cast, staff, open_a):
    ballot = services.ballot_cast(actor=cast.owner, question=open_a.questions.get(), choice="agree")
    assert _as(api, cast.owner).get(f"/api/v1/assemblies/{open_a.pk}/result").status_code == 404
    services.assembly_close(actor=staff[0], assembly=open_a, now=after_close(open_a))
    result = api.get(f"/api/v1/assemblies/{open_a.pk}/result").json()
    assert result["hash_matches"] and result["questions"][0]["passed"] is True
    anonymous = APIClient()
    checked = anonymous.get(
        f"/api/v1/verify/{open_a.public_code}/", {"receipt": ballot.receipt}
    ).json()
    assert checked["found"] and checked["choice"] == "agree" and checked["question"] == 1
    assert (
        anonymous.get(f"/api/v1/verify/{open_a.public_code}/", {"receipt": "nope"}).json()["found"]
        is False
    )


def test_schema_documents_the_voting_api(api, cast):
    schema = _as(api, cast.owner).get("/api/schema").content.decode()
    assert "/api/v1/assemblies/{id}/ballots/" in schema
