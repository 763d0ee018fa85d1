"""Fixtures for notifications: a local fake WeCom server and every channel switched on."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gongzhi.people.sms import MemorySmsSender


class _FakeWeComHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = None
        self.server.received.append(
            {"path": self.path, "content_type": self.headers.get("Content-Type"), "json": payload}
        )
        status, answer = (
            self.server.answers.pop(0) if self.server.answers else (200, self.server.default)
        )
        data = json.dumps(answer).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args) -> None:  # keep the test output quiet
        pass


class FakeWeCom(ThreadingHTTPServer):
    """A WeCom group-bot endpoint on 127.0.0.1: records each POST, answers as told."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _FakeWeComHandler)
        self.received: list[dict] = []
        self.answers: list[tuple[int, dict]] = []  # queued (status, json) answers
        self.default = {"errcode": 0, "errmsg": "ok"}

    def url(self, key: str = "test-key") -> str:
        return f"http://127.0.0.1:{self.server_port}/cgi-bin/webhook/send?key={key}"


@pytest.fixture
def fake_wecom(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = FakeWeCom()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def sms_outbox():
    MemorySmsSender.outbox.clear()
    yield MemorySmsSender.outbox
    MemorySmsSender.outbox.clear()


@pytest.fixture
def channels_on(settings, sms_outbox):
    """Every channel switched on, SMS into memory, email into mail.outbox, no global bot."""
    settings.NOTIFY_CHANNELS = ["inapp", "sms", "email", "wecom"]
    settings.SMS_SENDER = "gongzhi.people.sms.MemorySmsSender"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_BASE_URL = "https://gongzhi.example.cn"
    settings.WECOM_WEBHOOK_URL = ""
    settings.NOTIFY_HTTP_TIMEOUT = 5
    return settings
