"""The voting pages over HTTP: scoping, voting, the meter, the roll, paper ballots, results."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from gongzhi.voting import rules, services
from gongzhi.voting.models import Assembly, Ballot, PaperSheet, RollEntry, SheetStatus
from tests.voting.helpers import add_owner, open_assembly, scan

S = rules.AssemblyState


def _page(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    "url",
    [
        "/assemblies/{pk}/",
        "/assemblies/{pk}/roll",
        "/assemblies/{pk}/vote",
        "/assemblies/{pk}/result",
        "/assemblies/{pk}/meter",
        "/assemblies/{pk}/paper",
    ],
)
def test_clerk_of_other_compound_gets_404(client, cast, open_a, url):
    assert _page(client, cast.clerk_b, url.format(pk=open_a.pk)).status_code == 404


def test_pages_need_login(client, open_a):
    response = client.get(f"/assemblies/{open_a.pk}/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_compound_list_and_create_by_a_manager_only(client, cast, staff):
    assert _page(client, cast.owner, f"/compounds/{cast.a.pk}/assemblies/").status_code == 200
    now = timezone.now()
    data = {
        "title": "2026年业主大会",
        "opens_at": (now + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=17)).strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post(f"/compounds/{cast.a.pk}/assemblies/", data).status_code == 403
    client.force_login(staff[0])
    response = client.post(f"/compounds/{cast.a.pk}/assemblies/", data)
    assembly = Assembly.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/assemblies/{assembly.pk}/"


def test_manager_drafts_publishes_and_the_bad_move_shows_a_message(client, cast, staff):
    client.force_login(staff[0])
    now = timezone.now()
    assembly = services.assembly_create(
        actor=staff[0],
        compound=cast.a,
        title="会议",
        opens_at=now + dt.timedelta(days=8),
        closes_at=now + dt.timedelta(days=9),
    )
    client.post(
        f"/assemblies/{assembly.pk}/questions/add",
        {"title": "更换电梯", "matter": "use_maintenance_fund"},
    )
    assert assembly.questions.count() == 1
    response = client.post(f"/assemblies/{assembly.pk}/move", {"to": "open"}, follow=True)
    assert "不能变为“表决中”" in response.content.decode()
    client.post(f"/assemblies/{assembly.pk}/move", {"to": "roll_published"})
    assembly.refresh_from_db()
    assert assembly.state == S.ROLL_PUBLISHED and assembly.roll.count() == 1
    response = client.post(f"/assemblies/{assembly.pk}/move", {"to": "open"}, follow=True)
    assert "公示期满后才能开始表决" in response.content.decode()


def test_owner_votes_on_the_page_and_sees_the_receipt(client, cast, open_a):
    question = open_a.questions.get()
    page = _page(client, cast.owner, f"/assemblies/{open_a.pk}/vote").content.decode()
    assert question.title in page and 'value="agree"' in page
    response = client.post(
        f"/assemblies/{open_a.pk}/vote", {f"q{question.pk}": "agree", "confirm": "1"}, follow=True
    )
    ballot = Ballot.objects.get()
    assert ballot.receipt in response.content.decode()
    again = client.post(
        f"/assemblies/{open_a.pk}/vote", {f"q{question.pk}": "oppose", "confirm": "1"}, follow=True
    )
    assert Ballot.objects.get().choice == "agree"
    assert (
        "请至少对一项议题作出选择" in again.content.decode()
        or "各项议题均已投票" in again.content.decode()
    )


def test_the_ballot_is_cast_only_after_the_voter_confirms_what_they_chose(client, cast, open_a):
    question = open_a.questions.get()
    client.force_login(cast.owner)
    url = f"/assemblies/{open_a.pk}/vote"
    review = client.post(url, {f"q{question.pk}": "oppose"})
    html = review.content.decode()
    assert review.status_code == 200 and not Ballot.objects.exists()
    assert "请核对您的选择" in html and "<strong>反对</strong>" in html
    assert f'name="q{question.pk}" value="oppose"' in html  # carried to the confirmation
    assert 'name="confirm"' in html and 'name="edit"' in html
    back = client.post(url, {f"q{question.pk}": "oppose", "edit": "1"}).content.decode()
    assert not Ballot.objects.exists() and "checked" in back and "请核对您的选择" not in back
    nothing = client.post(url, {}, follow=True).content.decode()
    assert "请至少对一项议题作出选择" in nothing and not Ballot.objects.exists()
    client.post(url, {f"q{question.pk}": "oppose", "confirm": "1"})
    assert Ballot.objects.get().choice == "oppose"


def test_the_ballot_page_shows_big_labelled_choice_cards(client, cast, open_a):
    question = open_a.questions.get()
    html = _page(client, cast.owner, f"/assemblies/{open_a.pk}/vote").content.decode()
    assert 'class="big-page"' in html and 'class="ballot-question' in html
    for value, word in (("agree", "同意"), ("oppose", "反对"), ("abstain", "弃权")):
        label = re.search(
            rf'<label class="choice choice--{value}" for="([^"]+)">(.*?)</label>', html, re.S
        )
        assert label and f'value="{value}"' in label.group(2) and word in label.group(2)
    assert "btn btn-primary" not in html  # classes the stylesheet does not have
    assert f"q{question.pk}" in html


def test_non_owner_cannot_open_the_ballot(client, cast, open_a):
    assert _page(client, cast.resident, f"/assemblies/{open_a.pk}/vote").status_code == 403


def test_meter_is_an_htmx_partial_polled_every_ten_seconds(client, cast, open_a):
    services.ballot_cast(actor=cast.owner, question=open_a.questions.get(), choice="agree")
    detail = _page(client, cast.resident, f"/assemblies/{open_a.pk}/").content.decode()
    assert (
        'hx-trigger="every 10s"' in detail and f'hx-get="/assemblies/{open_a.pk}/meter"' in detail
    )
    meter = client.get(f"/assemblies/{open_a.pk}/meter", HTTP_HX_REQUEST="true").content.decode()
    assert "100.00%" in meter and "已达到三分之二参与条件" in meter
    assert "<html" not in meter


def test_voter_sees_own_roll_entry_and_managers_see_the_whole_roll(client, cast, staff):
    other = add_owner(cast.a, "120.00")
    assembly = open_assembly(staff[0], cast.a)
    mine = _page(client, cast.owner, f"/assemblies/{assembly.pk}/roll").content.decode()
    assert "我的登记" in mine and "89.57" in mine and other.person.name not in mine
    full = _page(client, staff[0], f"/assemblies/{assembly.pk}/roll").content.decode()
    assert other.person.name in full and cast.owner.person.name in full


def test_roll_correction_page_during_objections(client, cast, staff):
    now = timezone.now()
    assembly = services.assembly_create(
        actor=staff[0],
        compound=cast.a,
        title="会议",
        opens_at=now + dt.timedelta(days=8),
        closes_at=now + dt.timedelta(days=9),
    )
    services.question_add(actor=staff[0], assembly=assembly, title="议题", matter="other_major")
    services.assembly_publish_roll(actor=staff[0], assembly=assembly)
    entry = RollEntry.objects.get(assembly=assembly)
    client.force_login(staff[1])
    response = client.post(
        f"/roll-entries/{entry.pk}/correct", {"area": "90.00", "reason": "按登记面积"}
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert str(entry.area) == "90.00"
    assert _page(client, cast.owner, f"/roll-entries/{entry.pk}/correct").status_code == 403


def test_paper_ballot_entered_by_one_and_confirmed_by_another(client, cast, staff, open_a):
    question = open_a.questions.get()
    entry = RollEntry.objects.get(assembly=open_a, person=cast.owner.person)
    client.force_login(staff[0])
    client.post(
        f"/assemblies/{open_a.pk}/paper",
        {"entry": entry.pk, f"q{question.pk}": "oppose", "scan": scan()},
    )
    sheet = PaperSheet.objects.get()
    page = client.get(f"/assemblies/{open_a.pk}/paper").content.decode()
    assert "须由另一名工作人员复核" in page
    response = client.post(f"/paper-sheets/{sheet.pk}/confirm", follow=True)
    assert "录入人不能复核" in response.content.decode() or response.status_code == 403
    client.force_login(staff[1])
    client.post(f"/paper-sheets/{sheet.pk}/confirm")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.CONFIRMED and Ballot.objects.get().counts
    assert client.get(f"/paper-sheets/{sheet.pk}/scan").status_code == 200
    assert _page(client, cast.clerk, f"/assemblies/{open_a.pk}/paper").status_code == 403


def test_result_page_pdf_and_public_verification(client, cast, staff, open_a):
    ballot = services.ballot_cast(actor=cast.owner, question=open_a.questions.get(), choice="agree")
    Assembly.objects.filter(pk=open_a.pk).update(closes_at=timezone.now() - dt.timedelta(seconds=1))
    client.force_login(staff[0])
    client.post(f"/assemblies/{open_a.pk}/move", {"to": "closed"})
    client.post(f"/assemblies/{open_a.pk}/move", {"to": "result_published"})
    open_a.refresh_from_db()
    assert open_a.state == S.RESULT_PUBLISHED
    page = client.get(f"/assemblies/{open_a.pk}/result").content.decode()
    assert "核验通过" in page and open_a.ballots_hash in page and rules.MAJORITY.description in page
    pdf = client.get(f"/assemblies/{open_a.pk}/result.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.logout()
    found = client.get(
        f"/verify/{open_a.public_code}/", {"receipt": ballot.receipt.lower()}
    ).content.decode()
    assert (
        "该回执在公布的选票清单中" in found
        and "同意" in found
        and cast.owner.person.name not in found
    )
    missing = client.get(
        f"/verify/{open_a.public_code}/", {"receipt": "ZZZZZZZZZZ"}
    ).content.decode()
    assert "没有这个回执码" in missing
    listing = client.get(f"/verify/{open_a.public_code}/ballots.txt").content.decode()
    assert listing == f"{ballot.receipt}\t1\tagree\n"


def test_verification_page_does_not_exist_before_closing(client, open_a):
    assert client.get(f"/verify/{open_a.public_code}/").status_code == 404
    assert client.get("/verify/not-a-code/").status_code == 404


def test_proxy_registered_on_the_page_then_vote_for_the_principal(client, cast, staff):
    principal = add_owner(cast.a, "70.00")
    assembly = open_assembly(staff[0], cast.a)
    room_id = RollEntry.objects.get(assembly=assembly, person=principal.person).room_ids[0]
    client.force_login(cast.resident)
    client.post(f"/assemblies/{assembly.pk}/proxies", {"room_id": room_id, "authorisation": scan()})
    proxy = assembly.proxies.get()
    services.proxy_review(actor=staff[1], proxy=proxy, accept=True)  # the paper checked
    question = assembly.questions.get()
    client.post(
        f"/assemblies/{assembly.pk}/vote?proxy={proxy.pk}",
        {f"q{question.pk}": "agree", "proxy": proxy.pk, "confirm": "1"},
    )
    ballot = Ballot.objects.get()
    assert ballot.roll_entry.person == principal.person and ballot.channel == "proxy"


def test_policy_page_for_managers(client, cast, staff):
    assert _page(client, cast.owner, f"/compounds/{cast.a.pk}/voting-policy").status_code == 403
    client.force_login(staff[0])
    data = {"proxy_limit": 3, "objection_days": 7, "joint_nomination_min": 5, "named_ballots": "on"}
    assert client.post(f"/compounds/{cast.a.pk}/voting-policy", data).status_code == 302
    assert services.policy_for(cast.a).proxy_limit == 3


def test_election_pages_flow(client, cast, staff):
    client.force_login(staff[0])
    client.post(
        f"/compounds/{cast.a.pk}/elections/",
        {"title": "换届选举", "committee_kind": "owners_committee", "seats": 7, "term_years": 5},
    )
    from gongzhi.voting.models import Candidate, Election

    election = Election.objects.get()
    client.force_login(cast.owner)
    client.post(f"/elections/{election.pk}/nominate", {"kind": "self"})
    candidate = Candidate.objects.get()
    assert candidate.person == cast.owner.person
    page = client.get(f"/elections/{election.pk}/").content.decode()
    assert "业主自荐" in page and "小区党支部推荐" in page
    client.force_login(staff[1])
    client.post(f"/candidates/{candidate.pk}/check", {"eligible": "1"})
    candidate.refresh_from_db()
    assert candidate.status == "eligible"
    response = client.post(f"/elections/{election.pk}/publish-slate", follow=True)
    assert "少于应选人数 7 名" in response.content.decode()
