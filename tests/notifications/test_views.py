"""Pages: the list with htmx mark-read, the layout badge, preferences, the delivery log."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from gongzhi.notifications.models import (
    Batch,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
)
from gongzhi.notifications.services import notify


def _note(recipient, title="新的派单", url="/x/"):
    return notify(recipients=[recipient], kind="system", title=title, body="内容", url=url)[0]


def test_list_shows_own_notifications_only(cast, client):
    _note(cast.clerk, "给物业的通知")
    _note(cast.secretary, "给书记的通知")
    client.force_login(cast.clerk)
    response = client.get("/notifications/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "给物业的通知" in html
    assert "给书记的通知" not in html
    assert "标为已读" in html
    assert 'hx-post="/notifications/' in html


def test_anonymous_is_sent_to_login(cast, client, settings):
    settings.LOGIN_URL = "/login/"
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_htmx_mark_read_returns_row_and_badge(cast, client):
    n = _note(cast.clerk)
    _note(cast.clerk, "另一条")
    client.force_login(cast.clerk)
    response = client.post(f"/notifications/{n.pk}/read/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{n.pk}"' in html
    assert "is-read" in html
    assert 'id="notification-badge"' in html and 'hx-swap-oob="true"' in html
    assert ">1</span>" in html  # one unread left
    assert Notification.objects.get(pk=n.pk).read_at is not None


def test_plain_post_mark_read_redirects(cast, client):
    n = _note(cast.clerk)
    client.force_login(cast.clerk)
    response = client.post(f"/notifications/{n.pk}/read/")
    assert response.status_code == 302
    assert Notification.objects.get(pk=n.pk).read_at is not None


def test_marking_someone_elses_notification_is_404(cast, client):
    n = _note(cast.secretary)
    client.force_login(cast.clerk)
    assert client.post(f"/notifications/{n.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{n.pk}/open/").status_code == 404
    assert Notification.objects.get(pk=n.pk).read_at is None


def test_open_marks_read_and_follows_the_link(cast, client):
    n = _note(cast.clerk, url="/demands/9/")
    client.force_login(cast.clerk)
    response = client.get(f"/notifications/{n.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/demands/9/"
    assert Notification.objects.get(pk=n.pk).read_at is not None


def test_open_never_redirects_off_site(cast, client):
    n = _note(cast.clerk, url="https://elsewhere.example.com/")
    client.force_login(cast.clerk)
    response = client.get(f"/notifications/{n.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_read_all(cast, client):
    _note(cast.clerk)
    _note(cast.clerk)
    client.force_login(cast.clerk)
    response = client.post("/notifications/read-all/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert not Notification.objects.filter(recipient=cast.clerk, read_at__isnull=True).exists()


def test_badge_needs_only_request_in_context(cast, django_assert_num_queries):
    _note(cast.clerk)
    _note(cast.clerk)
    request = RequestFactory().get("/")
    request.user = cast.clerk
    template = Template('{% include "notifications/_badge.html" %}')
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request}))
    assert 'href="/notifications/"' in html
    assert ">2</span>" in html


def test_badge_is_empty_for_anonymous(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = Template('{% include "notifications/_badge.html" %}').render(
        Context({"request": request})
    )
    assert html.strip() == ""


def test_preferences_page_saves_opt_outs(cast, client, channels_on):
    client.force_login(cast.resident)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    assert "短信" in page.content.decode()
    response = client.post(
        "/notifications/preferences/",
        {"pref__system__email": "on", "pref___other__sms": "on", "email": "r@example.cn"},
    )
    assert response.status_code == 302
    prefs = dict(
        NotificationPreference.objects.filter(account=cast.resident, kind="system").values_list(
            "channel", "enabled"
        )
    )
    assert prefs == {"sms": False, "email": True}
    assert cast.resident.notification_contact.email == "r@example.cn"


def test_preferences_refuse_bad_email_in_chinese(cast, client, channels_on):
    client.force_login(cast.resident)
    response = client.post("/notifications/preferences/", {"email": "不是邮箱"})
    assert response.status_code == 200
    assert "请输入有效的电子邮箱地址" in response.content.decode()
    assert not NotificationPreference.objects.exists()


@pytest.fixture
def failed_deliveries(cast):
    def make(place_path, title):
        batch = Batch.objects.create(kind="system", title=title, place_path=place_path)
        return Delivery.objects.create(
            batch=batch,
            channel="sms",
            target="13900000001",
            status=DeliveryStatus.FAILED,
            attempts=3,
            last_error="短信网关超时",
        )

    return make(cast.room_a.path, "甲小区的通知"), make(cast.room_z.path, "丙小区的通知")


def test_delivery_log_is_scoped_to_the_staff_place(cast, client, failed_deliveries):
    client.force_login(cast.secretary)
    response = client.get("/notifications/deliveries/?status=failed")
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲小区的通知" in html
    assert "短信网关超时" in html
    assert "139****0001" in html
    assert "丙小区的通知" not in html


def test_delivery_log_refuses_residents(cast, client, failed_deliveries):
    client.force_login(cast.resident)
    assert client.get("/notifications/deliveries/").status_code == 403


def test_the_unread_badge_kept_in_the_cache_follows_every_write(client, cast):
    """The navigation's unread count is cached per account (notifications.selectors):
    a new notification, one read and all read each show on the very next page."""
    from gongzhi.notifications import selectors as notification_selectors
    from gongzhi.notifications import services as notification_services

    client.force_login(cast.resident)
    assert 'class="nav-badge"' not in client.get("/").content.decode()
    assert notification_selectors.unread_count(user=cast.resident) == 0
    two = [_note(cast.resident), _note(cast.resident, "另一条")]
    assert notification_selectors.unread_count(user=cast.resident) == 2
    assert '<span class="nav-badge">2<' in client.get("/").content.decode()
    notification_services.mark_read(actor=cast.resident, notification=two[0])
    assert '<span class="nav-badge">1<' in client.get("/").content.decode()
    notification_services.mark_all_read(actor=cast.resident)
    assert 'class="nav-badge"' not in client.get("/").content.decode()
