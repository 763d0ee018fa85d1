"""End-to-end tests in headless Chromium: Debian's ``chromium`` driven by Playwright for
Python through ``executable_path``; never a downloaded browser. Skipped where chromium
is absent.

Playwright's sync API runs an event loop in the test's thread, so Django's guard against
database calls from async code is lifted here (the calls are synchronous ones made
between browser steps, as in any test). ``live_server`` serves the site from a thread of
this process over the test database, hence transactional tests.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 860}
PASSWORD = "gongzhi-pass-123"  # tests.factories.AccountFactory


@pytest.fixture(scope="session")
def browser():
    found = shutil.which("chromium")
    if not found:
        pytest.skip("本机没有 chromium:跳过浏览器端到端测试")
    # Only while the browser runs, never for the rest of the suite (check --deploy refuses it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = DEBIAN_CHROMIUM if Path(DEBIAN_CHROMIUM).exists() else found
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            if previous is None:
                os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            else:
                os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(viewport)``: a fresh browser context (no cookies) and its page; every
    request outside the live server is refused, so a test never reaches the internet."""
    contexts = []

    def _open(viewport=PHONE, **kwargs):
        context = browser.new_context(
            viewport=viewport,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            base_url=live_server.url,
            **kwargs,
        )
        context.set_default_timeout(10_000)
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(live_server.url)
                else route.abort()
            ),
        )
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def log_in(page, account, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("手机号").fill(account.phone)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(lambda url: "/login/" not in url)


@pytest.fixture
def small_jpeg(tmp_path) -> Path:
    """A small photo, as a phone would give it."""
    path = tmp_path / "楼道.jpg"
    image = Image.new("RGB", (320, 240), (180, 60, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    path.write_bytes(out.getvalue())
    return path
