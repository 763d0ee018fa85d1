"""A notice names what it reports (``related``: an election, an assembly ...): one of
another compound is refused as a missing one (core.refs), and nothing is posted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gongzhi.core.refs import NOT_FOUND
from gongzhi.demands.models import Category
from gongzhi.notices import services
from gongzhi.notices.models import Notice


def test_a_notice_reporting_another_compounds_record_is_refused(cast):
    elsewhere = Category.objects.create(compound=cast.b, name="乙小区专用")
    with pytest.raises(ValidationError) as error:
        services.notice_post(actor=None, compound=cast.a, title="公示", related=elsewhere)
    assert error.value.message_dict == {"related": [str(NOT_FOUND)]}
    assert not Notice.objects.exists()


def test_a_notice_reporting_its_own_compounds_record_is_posted(cast):
    own = Category.objects.create(compound=cast.a, name="甲小区专用")
    notice = services.notice_post(actor=None, compound=cast.a, title="公示", related=own)
    assert notice.related_id == str(own.pk)
