from gongzhi.notifications import rules


def test_default_channels_leave_out_group_bots():
    enabled = ["inapp", "sms", "wecom", "email"]
    assert rules.effective_channels(None, enabled=enabled, broadcast={"wecom"}) == ["sms", "email"]


def test_group_bot_only_when_named_and_switched_on():
    enabled = ["inapp", "sms", "wecom"]
    got = rules.effective_channels(["wecom", "email"], enabled=enabled, broadcast={"wecom"})
    assert got == ["wecom"]  # email is asked for but switched off for the deployment


def test_inapp_is_never_an_external_channel():
    assert rules.effective_channels(["inapp"], enabled=["inapp"], broadcast=set()) == []


def test_kind_choice_beats_any_kind_choice_beats_default():
    prefs = {("", "sms"): False, ("demand.dispatched", "sms"): True}
    assert rules.wants("sms", "demand.dispatched", prefs) is True
    assert rules.wants("sms", "voting.opened", prefs) is False
    assert rules.wants("email", "voting.opened", prefs) is True


def test_only_site_paths_and_http_links_are_safe():
    assert rules.is_safe_link("")
    assert rules.is_safe_link("/demands/3/")
    assert rules.is_safe_link("https://gz.example.cn/x")
    assert not rules.is_safe_link("//evil.example.com/")
    assert not rules.is_safe_link("javascript:alert(1)")
    assert not rules.is_safe_link("/\\evil.example.com")


def test_absolute_link_joins_base_url():
    assert rules.absolute_link("/d/1/", "https://gz.cn/") == "https://gz.cn/d/1/"
    assert rules.absolute_link("/d/1/", "") == "/d/1/"
    assert rules.absolute_link("https://x.cn/a", "https://gz.cn") == "https://x.cn/a"


def test_sms_text_never_cuts_the_link():
    link = "https://gz.cn/demands/123/"
    text = rules.sms_text("标题", "很长" * 500, link)
    assert text.endswith(" " + link)
    assert len(text) <= rules.SMS_MAX_CHARS


def test_wecom_markdown_fits_4096_bytes_and_keeps_the_link():
    content = rules.wecom_markdown(
        "漏水", "楼上漏水" * 2000, "https://gz.cn/d/1/", link_label="查看详情"
    )
    assert len(content.encode("utf-8")) <= rules.WECOM_MARKDOWN_MAX_BYTES
    assert content.startswith("**漏水**")
    assert content.endswith("[查看详情](https://gz.cn/d/1/)")


def test_truncate_utf8_never_splits_a_character():
    cut = rules.truncate_utf8("共治" * 10, 10)
    assert len(cut.encode("utf-8")) <= 10
    cut.encode("utf-8").decode("utf-8")


def test_wecom_outcomes():
    assert rules.wecom_outcome(200, {"errcode": 0, "errmsg": "ok"}) == (True, False, "")
    assert rules.wecom_outcome(500, None)[:2] == (False, True)
    assert rules.wecom_outcome(429, None)[:2] == (False, True)
    assert rules.wecom_outcome(404, None)[:2] == (False, False)
    assert rules.wecom_outcome(200, {"errcode": 45009, "errmsg": "freq"})[:2] == (False, True)
    ok, retry, error = rules.wecom_outcome(200, {"errcode": 93000, "errmsg": "invalid webhook"})
    assert (ok, retry) == (False, False)
    assert "93000" in error


def test_targets_are_masked_for_staff():
    assert rules.mask_target("13912345678") == "139****5678"
    assert rules.mask_target("zhang@example.cn") == "z***@example.cn"
    assert rules.mask_target("wecom:3") == "wecom:3"
