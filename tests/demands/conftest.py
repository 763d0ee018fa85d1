"""Fixtures for demand tests: a category, image uploads, a filing helper, a fixed clock."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongzhi.demands import services
from gongzhi.demands.models import Category, PlaceKind

T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in Asia/Shanghai
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def repair(db):
    """维修: accept within 24 hours, resolve within 3 days."""
    return Category.objects.create(
        name="维修", keywords="漏水 电梯 水管 停电", accept_within_hours=24, resolve_within_days=3
    )


@pytest.fixture
def environment(db):
    return Category.objects.create(
        name="环境卫生", keywords="垃圾 绿化 噪音", accept_within_hours=12, resolve_within_days=2
    )


def jpeg_upload(name="photo.jpg", size=(64, 48), exif: bool = True) -> SimpleUploadedFile:
    img = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "TestCam"  # Make
        data[0x0110] = "Model-GPS"  # Model
        data[0x8825] = {1: "N", 2: (24.0, 28.0, 0.0)}  # GPSInfo
        kwargs["exif"] = data.tobytes()
    img.save(out, format="JPEG", **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png_upload(name="photo.png", size=(40, 30), mode="RGBA") -> SimpleUploadedFile:
    img = Image.new(mode, size)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def file_demand(cast, repair):
    """File a demand as the resident of room A (or as ``actor`` elsewhere)."""

    def _file(actor=None, *, description="3号楼电梯坏了,老人下不了楼", now=T0, **kw):
        kw.setdefault("place_kind", PlaceKind.ROOM)
        if kw["place_kind"] == PlaceKind.ROOM:
            kw.setdefault("room", cast.room_a)
        return services.demand_file(
            actor=actor or cast.resident,
            compound=kw.pop("compound", cast.a),
            category=kw.pop("category", repair),
            description=description,
            now=now,
            **kw,
        )

    return _file


@pytest.fixture
def notified(monkeypatch):
    """Every notification the demands app hands over, recorded instead of sent."""
    calls: list[dict] = []

    def fake_send(**kwargs):
        calls.append(kwargs)
        return True

    from gongzhi.demands import notify

    monkeypatch.setattr(notify, "send", fake_send)
    return calls


@pytest.fixture
def api():
    """``api(account)``: a client logged in by session as ``account`` (anonymous if None)."""
    from rest_framework.test import APIClient

    def client_for(account=None) -> APIClient:
        client = APIClient()
        if account is not None:
            client.force_login(account)
        return client

    return client_for
